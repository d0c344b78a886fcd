"""Agency isolation: agency B's officer against agency A's records.

* Every URL that takes an agency's object (detail, edit, action, file, partial, PDF,
  export) answers B's officer for A's object exactly as for an object that does not
  exist: 404 (or 405 for a method the view never accepts), never 403 or 200, and
  changes nothing.
* No page without an object shows A's records to B (searched by A's marker text), not
  even with ``?instansi=<A's slug>``.
* The lists agree with the detail pages: every record linked from a list opens, and
  every record of a kind that opens for the user is in its list.
* The integration API with B's token sees B's records only.
"""

import re

import pytest
from django.urls import reverse

from accounts.models import Agency, Decree, OfficialAccount, Sop
from accounts.tests.factories import UserFactory
from inquiries.models import Answer, Inquiry, IntegrationToken
from notifications.models import Notification
from publications.models import Post, Recommendation
from reports.models import AnnualReport

from .constants import MARK_B, SECRET_A
from .helpers import changed_tables, client_for, db_fingerprint, fetch
from .matrix import MATRIX
from .urlmap import named_urls, url_kwargs

pytestmark = pytest.mark.django_db

OBJECT_KWARGS = {"pk", "slug", "file_pk"}
MISSING = {"pk": 999_999, "slug": "tidak-ada", "file_pk": 999_999}

# Every URL that takes an agency's object. A test below fails when the URL conf has one
# that is not listed here.
OBJECT_URLS = sorted(
    [
        "accounts:agency_detail",
        "accounts:agency_edit",
        "accounts:account_edit",
        "accounts:account_status",
        "accounts:decree_detail",
        "accounts:decree_edit",
        "accounts:decree_file",
        "accounts:appointment_end",
        "accounts:sop_file",
        "tokens:revoke",
        "inquiries:detail",
        "inquiries:answer_directly",
        "inquiries:forward",
        "inquiries:reply",
        "inquiries:reroute",
        "inquiries:answer_public",
        "inquiries:close",
        "inquiries:dismiss",
        "inquiries:reveal_contact",
        "inquiries:answer_edit",
        "inquiries:answer_approve",
        "publications:post_detail",
        "publications:post_edit",
        "publications:post_submit",
        "publications:post_approve",
        "publications:post_return",
        "publications:post_publish",
        "publications:post_metric",
        "publications:recommendation_edit",
        "reports:report_detail",
        "reports:report_edit",
        "reports:report_submit",
        "reports:evaluation_start",
        "reports:evaluation_edit",
        "reports:report_return",
        "reports:report_send",
        "reports:file_request",
        "reports:file_status",
        "reports:file_download",
        "reports:table_export",
        "privacy:request_detail",
        "privacy:request_export",
        "privacy:request_correct",
        "privacy:request_erase",
        "privacy:request_close",
    ]
)
# Refused by role before any object is looked up (Diskominfo's evaluation steps; a
# token is revoked by a pejabat only): 403 for B's petugas, the same for any id.
ROLE_GATED = {
    "reports:evaluation_start",
    "reports:evaluation_edit",
    "reports:report_return",
    "reports:report_send",
    "tokens:revoke",
    # Subject requests belong to no agency: Diskominfo's evaluators alone handle them.
    "privacy:request_detail",
    "privacy:request_export",
    "privacy:request_correct",
    "privacy:request_erase",
    "privacy:request_close",
}


def _address(world, url, *, side="a", missing=False) -> str:
    kwargs = url_kwargs(world, url, side)
    if missing:
        kwargs |= {k: v for k, v in MISSING.items() if k in kwargs}
    return reverse(url.name, kwargs=kwargs)


@pytest.fixture(scope="module")
def urls():
    return named_urls()


def test_every_object_url_is_checked(urls):
    takes_object = {
        name
        for name, url in urls.items()
        if OBJECT_KWARGS & set(url.kwarg_names)
        and not name.startswith(("admin:", "notifications:"))
    }
    assert takes_object == set(OBJECT_URLS), (
        f"not checked: {sorted(takes_object - set(OBJECT_URLS))}; "
        f"gone: {sorted(set(OBJECT_URLS) - takes_object)}"
    )


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_other_agency_object_does_not_exist(name, urls, world, clients):
    url = urls[name]
    b = clients["officer_b"]
    before = db_fingerprint()
    answers = {}
    for method in ("get", "post"):
        theirs = fetch(b, _address(world, url), method)
        missing = fetch(b, _address(world, url, missing=True), method)
        answers[method] = theirs.status_code
        assert theirs.status_code == missing.status_code, (
            f"{method.upper()} {name}: A's object {theirs.status_code}, "
            f"a missing one {missing.status_code} (an existence oracle)"
        )
        assert SECRET_A.encode() not in theirs.body
    if name in ROLE_GATED:
        assert set(answers.values()) <= {403, 405}, answers
    else:
        assert set(answers.values()) <= {404, 405}, answers
        assert 404 in answers.values(), f"{name}: never looked up the object: {answers}"
    assert changed_tables(before, db_fingerprint()) == []


def test_past_the_role_gate_another_agencys_token_does_not_exist(urls, world):
    """Agency B's pejabat passes the token page's role check: A's token is still a 404.
    (The other gated URLs are Diskominfo's, whose roles see every agency.)"""
    pejabat_b = client_for(world.users["pejabat_b"])
    url = urls["tokens:revoke"]
    before = db_fingerprint()
    for method in ("get", "post"):
        assert fetch(pejabat_b, _address(world, url), method).status_code == 404
    assert changed_tables(before, db_fingerprint()) == []
    assert fetch(pejabat_b, _address(world, url, side="b")).status_code == 200


def test_own_objects_open(urls, world, clients):
    """The same URLs work for B's own objects: the 404s above are isolation, not breakage."""
    b = clients["officer_b"]
    wrong = {}
    for name in OBJECT_URLS:
        if name in ROLE_GATED or MATRIX[name].outcomes["officer_b"] == 405:
            continue
        own = MATRIX[name].outcomes["officer_a"]  # what A's officer gets for A's object
        got = fetch(b, _address(world, urls[name], side="b")).status_code
        if got != own:
            wrong[name] = f"expected {own}, got {got}"
    assert not wrong


def test_another_users_notification_is_not_marked_read(world, clients):
    notice = world.a.notification
    response = fetch(clients["officer_b"], reverse("notifications:read", args=[notice.pk]), "post")
    assert response.status_code == 302
    assert Notification.objects.get(pk=notice.pk).read_at is None
    fetch(clients["officer_b"], reverse("notifications:read_all"), "post")
    assert Notification.objects.get(pk=notice.pk).read_at is None


# --- Pages without an object -----------------------------------------------------------


def _plain_pages(urls, role: str) -> list[str]:
    return sorted(
        name
        for name, expect in MATRIX.items()
        if name in urls
        and not urls[name].kwarg_names
        and expect.outcomes[role] == 200
        and not name.startswith("admin:")
    )


@pytest.mark.parametrize(
    ("role", "foreign", "foreign_slug"),
    [("officer_b", SECRET_A, "dinkes"), ("officer_a", MARK_B, "disdukcapil")],
)
def test_no_page_shows_another_agencys_records(role, foreign, foreign_slug, urls, world, clients):
    client = clients[role]
    pages = _plain_pages(urls, role)
    assert len(pages) >= 30
    leaks = []
    for name in pages:
        base = reverse(name) + MATRIX[name].query
        joiner = "&" if "?" in base else "?"
        for address in (base, f"{base}{joiner}instansi={foreign_slug}"):
            response = fetch(client, address)
            if response.status_code not in (200, 404):
                leaks.append(f"{address}: status {response.status_code}")
            if foreign.encode() in response.body:
                leaks.append(f"{address}: shows {foreign}")
    assert not leaks, "\n".join(leaks)


def test_the_shared_inquiry_is_in_both_agencies_inboxes(world, clients):
    """The marker search above would pass on an empty page: the inboxes do list records."""
    received_b = fetch(clients["officer_b"], reverse("inquiries:inbox")).body.decode()
    forwarded_b = fetch(clients["officer_b"], reverse("inquiries:inbox") + "?kotak=diteruskan")
    assert world.b.inquiry.tracking_code in received_b
    assert world.shared.tracking_code in forwarded_b.body.decode()
    assert world.shared.tracking_code not in received_b
    received_a = fetch(clients["officer_a"], reverse("inquiries:inbox")).body.decode()
    assert world.a.inquiry.tracking_code in received_a
    assert world.shared.tracking_code in received_a


# --- Lists agree with detail pages ------------------------------------------------------

# list page → (the detail URL its rows link to, the model whose every row is tried).
LISTS = [
    ("accounts:agency_list", "", "accounts:agency_detail", Agency),
    ("accounts:decree_list", "", "accounts:decree_detail", Decree),
    ("accounts:sop_list", "", "accounts:sop_file", Sop),
    ("inquiries:inbox", "", "inquiries:detail", Inquiry),
    ("inquiries:inbox", "?kotak=diteruskan", "inquiries:detail", Inquiry),
    ("inquiries:answer_list", "", "inquiries:answer_edit", Answer),
    ("publications:post_list", "", "publications:post_detail", Post),
    ("publications:recommendation_list", "", "publications:recommendation_edit", Recommendation),
    ("reports:report_list", "", "reports:report_detail", AnnualReport),
    ("tokens:list", "", "tokens:revoke", IntegrationToken),
]
# A petugas gets no link to these (the pejabat's pages), so the list shows them none.
PEJABAT_LINKS = {"publications:recommendation_edit", "tokens:revoke"}
# Lists whose detail covers only part of the kind (by design): every link must open.
PARTIAL_LISTS = [
    ("accounts:account_list", ""),
    ("accounts:appointment_list", ""),
    ("inquiries:deadline_list", ""),
    ("inquiries:deadline_board", ""),
    ("publications:calendar", "?bulan=2026-07"),
    ("publications:feedback", ""),
]


def _link_pattern(detail: str) -> re.Pattern:
    if detail == "accounts:agency_detail":
        template = reverse(detail, kwargs={"slug": "SLUG"}).replace("SLUG", r"([\w-]+)")
    else:
        template = reverse(detail, kwargs={"pk": 4242}).replace("4242", r"(\d+)")
    return re.compile(f'href="{template}"')


def _opens(client, detail: str, key) -> bool:
    kwargs = {"slug": key} if detail == "accounts:agency_detail" else {"pk": key}
    return fetch(client, reverse(detail, kwargs=kwargs)).status_code == 200


def _listed(client, list_name: str, query: str, detail: str) -> set:
    page = fetch(client, reverse(list_name) + query)
    assert page.status_code == 200
    found = set(_link_pattern(detail).findall(page.body.decode()))
    return found if detail == "accounts:agency_detail" else {int(pk) for pk in found}


@pytest.mark.parametrize("role", ["officer_b", "pejabat_b", "officer_a"])
@pytest.mark.parametrize(("list_name", "query", "detail", "model"), LISTS)
def test_list_agrees_with_detail(role, list_name, query, detail, model, world):
    client = client_for(world.users[role])
    listed = _listed(client, list_name, query, detail)
    keys = model.objects.values_list("slug" if model is Agency else "pk", flat=True)
    opening = {key for key in keys if _opens(client, detail, key)}
    if list_name == "inquiries:inbox":
        # The two boxes together list every inquiry the agency handles.
        other = "" if query else "?kotak=diteruskan"
        listed |= _listed(client, list_name, other, detail)
    assert listed == opening, (
        f"listed but closed: {listed - opening}; open but hidden: {opening - listed}"
    )
    if not (role.startswith("officer") and detail in PEJABAT_LINKS):
        assert listed, f"{role} sees nothing on {list_name}: the check would be empty"


@pytest.mark.parametrize("role", ["officer_b", "officer_a"])
def test_every_linked_record_opens(role, world, clients):
    """On the lists that show only part of a kind, every linked record opens."""
    client = clients[role]
    details = [
        "accounts:agency_detail",
        "accounts:decree_detail",
        "inquiries:detail",
        "publications:post_detail",
        "reports:report_detail",
    ]
    closed = []
    for list_name, query in PARTIAL_LISTS:
        body = fetch(client, reverse(list_name) + query).body.decode()
        for detail in details:
            for key in set(_link_pattern(detail).findall(body)):
                key = key if detail == "accounts:agency_detail" else int(key)
                if not _opens(client, detail, key):
                    closed.append(f"{list_name} links {detail} {key}, which does not open")
    assert not closed


# --- The integration API -----------------------------------------------------------------


def _api(world, side: str):
    return client_for(HTTP_AUTHORIZATION=f"Bearer {getattr(world, side).key}")


def test_api_token_sees_its_agency_only(world):
    api_b = _api(world, "b")
    own = api_b.get(reverse("api:v1:inquiry-detail", args=[world.b.inquiry.tracking_code]))
    assert own.status_code == 200
    for code in (world.a.inquiry.tracking_code, world.shared.tracking_code, "ZZZZZZZZ"):
        response = api_b.get(reverse("api:v1:inquiry-detail", args=[code]))
        assert response.status_code == 404, code
    listed = api_b.get(reverse("api:v1:inquiry-list")).json()
    codes = {row["tracking_code"] for row in listed["results"]}
    assert codes == {world.b.inquiry.tracking_code}
    channels = {row["id"] for row in api_b.get(reverse("api:v1:channel-list")).json()}
    assert channels == {world.b.account.pk}
    assert SECRET_A not in api_b.get(reverse("api:v1:inquiry-list")).content.decode()


def test_api_token_cannot_record_on_another_agencys_account(world):
    before = Inquiry.objects.count()
    response = _api(world, "b").post(
        reverse("api:v1:inquiry-list"),
        {
            "channel": world.a.account.pk,
            "kind": "pertanyaan",
            "author_name": "Warga",
            "text": "Halo",
            "received_at": "2026-11-02T09:00:00+07:00",
        },
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="uji-isolasi-1",
    )
    assert response.status_code == 400
    assert Inquiry.objects.count() == before


# --- Crafted writes pointing at another agency's records -------------------------------


def test_crafted_posts_cannot_reach_another_agencys_records(world, clients):
    b = clients["officer_b"]
    pejabat_b = client_for(world.users["pejabat_b"])
    a = world.a
    before = db_fingerprint()
    attempts = [
        (
            b,
            reverse("publications:post_create"),
            {"account": a.account.pk, "category": "kegiatan", "text": "x", "media_type": "text"},
        ),
        (
            b,
            reverse("publications:audience_create"),
            {"account": a.account.pk, "taken_on": "2026-11-01", "followers": "5"},
        ),
        (
            b,
            reverse("accounts:account_create"),
            {
                "account_type": a.account.account_type,
                "platform": "tiktok",
                "handle": "@curang",
                "url": "https://www.tiktok.com/@curang",
                "decree": a.decree.pk,
            },
        ),
        (
            pejabat_b,
            reverse("publications:recommendation_create"),
            {
                "title": "x",
                "body": "x",
                "status": "terbuka",
                "inquiry_codes": a.inquiry.tracking_code,
                "posts": [a.post.pk],
            },
        ),
        (
            b,
            reverse("inquiries:create") + "?instansi=dinkes",
            {
                "channel": a.account.pk,
                "kind": "pertanyaan",
                "author_name": "x",
                "text": "x",
                "received_at": "2026-11-02T09:00",
                "idempotency_key": "5b0c7a8e-8f52-4a55-9d1e-2c0ab1f4e001",
            },
        ),
    ]
    for client, address, data in attempts:
        response = fetch(client, address, "post", data=data)
        assert response.status_code in (200, 400), f"{address}: {response.status_code}"
    assert changed_tables(before, db_fingerprint()) == []
    assert not OfficialAccount.objects.filter(handle="@curang").exists()


def test_a_roleless_member_of_an_agency_sees_nothing_of_it(urls, world):
    """An account of agency A without a role (issued, not yet given one) is the
    outsider of the matrix, whatever its agency: no page shows A's records, and A's
    objects do not exist for it."""
    member = client_for(UserFactory(username="tanpa_peran_a", agency=world.a.agency))
    leaks = []
    for name in _plain_pages(urls, "outsider"):
        response = fetch(member, reverse(name) + MATRIX[name].query)
        if SECRET_A.encode() in response.body:
            leaks.append(f"{name} shows {SECRET_A}")
    for name in OBJECT_URLS:
        expected = MATRIX[name].outcomes["outsider"]
        got = fetch(member, _address(world, urls[name])).status_code
        if got != expected:
            leaks.append(f"{name}: expected {expected} (as the outsider), got {got}")
    assert not leaks, "\n".join(leaks)
