"""The inquiry pages through the views: the five steps of Lampiran B across agencies,
re-routing, who may open and do what (one matrix over every URL and role), crafted
and stale POSTs, double submits, escaping, masking and a fixed number of queries in
the inbox."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from accounts.tests.factories import AgencyFactory, OfficialAccountFactory, UserFactory
from audit.models import AuditEvent
from inquiries import flow
from inquiries.display import countdown
from inquiries.models import Answer, Forwarding, Inquiry, InquiryStatus
from inquiries.tests.factories import AnswerFactory, InquiryFactory

pytestmark = pytest.mark.django_db

# 09:00 WIB on Monday 2 March 2026.
NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
XSS = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _fast_fixed_english(settings, time_machine, client):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    time_machine.move_to(NOW, tick=False)
    # The assertions read the English source strings, whatever the translation says.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def agency_c(db):
    return AgencyFactory(
        name="Dinas Sosial", short_name="Dinsos", slug="dinsos", authority_topics=["bansos"]
    )


@pytest.fixture
def officer_c(agency_c):
    return UserFactory(username="petugas_c", agency=agency_c, roles=[Role.PETUGAS])


@pytest.fixture
def channel_a(agency_a):
    return OfficialAccountFactory(agency=agency_a, handle="@dinkes.katingan")


@pytest.fixture
def inquiry(agency_a, channel_a, officer_a):
    inquiry, _created = flow.inquiry_record(
        agency=agency_a,
        channel=channel_a,
        kind="pertanyaan",
        author_name="Budi Santoso",
        author_contact="081234567789",
        text="Bagaimana cara mengurus KTP elektronik yang hilang?",
        received_at=NOW - dt.timedelta(hours=1),
        topics=["ktp"],
        by=officer_a,
        now=NOW - dt.timedelta(minutes=30),
    )
    return inquiry


def login(client, request, who: str):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))


def detail_url(inquiry) -> str:
    return reverse("inquiries:detail", args=[inquiry.pk])


def action_url(name: str, inquiry) -> str:
    return reverse(f"inquiries:{name}", args=[inquiry.pk])


def version(inquiry) -> int:
    return Inquiry.objects.get(pk=inquiry.pk).version


def post(client, url: str, data: dict):
    """POST and follow the redirect; returns the final response and its messages."""
    response = client.post(url, data, follow=True)
    return response, [str(message) for message in response.context["messages"]]


def allowed(client, inquiry) -> set[str]:
    response = client.get(detail_url(inquiry))
    assert response.status_code == 200
    return set(response.context["action_forms"])


def snapshot(inquiry) -> tuple:
    row = Inquiry.objects.get(pk=inquiry.pk)
    return (
        row.status,
        row.version,
        row.agency_id,
        row.due_at,
        row.answer_text,
        row.events.count(),
        Forwarding.objects.count(),
        Inquiry.objects.count(),
        Answer.objects.count(),
        Answer.objects.filter(is_approved=True).count(),
    )


def record_data(client, account, url: str = "", **overrides) -> dict:
    """The record form as shown (with its idempotency key), filled in."""
    form = client.get(url or reverse("inquiries:create")).context["form"]
    data = {
        "idempotency_key": str(form.initial["idempotency_key"]),
        "channel": account.pk,
        "kind": "pertanyaan",
        "author_name": "Siti Aminah",
        "author_contact": "siti@contoh.id",
        "text": "Kapan jadwal vaksinasi anak di Puskesmas Kasongan?",
        "source_url": "https://www.instagram.com/p/abc/",
        "received_at": "2026-03-02T08:30",
        "topics": "Vaksinasi, imunisasi",
    }
    data.update(overrides)
    return data


# --- Lampiran B through the views ------------------------------------------------------


def test_five_steps_across_two_agencies(
    client, time_machine, agency_a, agency_b, channel_a, officer_a, officer_b
):
    # 1. Officer A records an inquiry received on the agency's account.
    client.force_login(officer_a)
    response = client.post(reverse("inquiries:create"), record_data(client, channel_a))
    inquiry = Inquiry.objects.get()
    assert response["Location"] == detail_url(inquiry)
    assert inquiry.agency == agency_a and inquiry.recorded_by == officer_a
    assert inquiry.topics == ["vaksinasi", "imunisasi"]
    assert inquiry.received_at == dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)  # 08:30 WIB

    # 2. It is not Dinkes's matter: forward to Disdukcapil.
    assert allowed(client, inquiry) == {"answer_directly", "forward", "dismiss"}
    response, notes = post(
        client,
        action_url("forward", inquiry),
        {"to_agency": agency_b.pk, "note": "Mohon dijawab.", "expected_version": version(inquiry)},
    )
    assert any("forwarded to" in note for note in notes), notes
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.FORWARDED
    assert inquiry.due_at == NOW + dt.timedelta(hours=24)
    assert allowed(client, inquiry) == {"dismiss"}

    # 3. Officer B finds it under "forwarded to us" with the time left, and replies.
    time_machine.move_to(NOW + dt.timedelta(hours=18, minutes=48), tick=False)
    client.force_login(officer_b)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("inquiries:inbox") + "?kotak=diteruskan").content.decode()
    assert inquiry.tracking_code in html
    assert "5 hours 12 minutes left" in html
    assert inquiry.tracking_code not in client.get(reverse("inquiries:inbox")).content.decode()
    assert allowed(client, inquiry) == {"reply", "reroute"}
    response, notes = post(
        client,
        action_url("reply", inquiry),
        {"reply_text": "Silakan datang ke Disdukcapil.", "expected_version": version(inquiry)},
    )
    assert "Your reply was sent to the forwarding agency." in notes
    assert allowed(client, inquiry) == set()

    # 4. Officer A answers the public on the basis of the reply, then closes.
    client.force_login(officer_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(detail_url(inquiry))
    assert set(page.context["action_forms"]) == {"answer_public", "dismiss"}
    assert "Silakan datang ke Disdukcapil." in page.content.decode()
    response, notes = post(
        client,
        action_url("answer_public", inquiry),
        {
            "answer_text": "Menurut Disdukcapil: silakan datang.",
            "expected_version": version(inquiry),
        },
    )
    assert "The answer to the public was recorded." in notes
    response, notes = post(
        client, action_url("close", inquiry), {"note": "", "expected_version": version(inquiry)}
    )
    assert "The inquiry was closed." in notes

    # 5. The history shows every step, in order.
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CLOSED
    html = client.get(detail_url(inquiry)).content.decode()
    assert re.findall(r'data-event="(\w+)"', html) == [
        "record",
        "forward",
        "reply",
        "answer_public",
        "close",
    ]
    assert "Silakan datang ke Disdukcapil." in html  # the reply in the forwardings table
    forwarding = inquiry.forwardings.get()
    assert forwarding.replied_by == officer_b and forwarding.replied_on_time


def test_reroute_a_b_c_after_each_hop(
    client, request, inquiry, agency_b, agency_c, officer_a, officer_b, officer_c, evaluator
):
    def can(who: str) -> set[str] | int:
        client.force_login(request.getfixturevalue(who))
        response = client.get(detail_url(inquiry))
        if response.status_code != 200:
            return response.status_code
        return set(response.context["action_forms"])

    assert can("officer_b") == 404 and can("officer_c") == 404

    client.force_login(officer_a)
    post(
        client,
        action_url("forward", inquiry),
        {"to_agency": agency_b.pk, "expected_version": version(inquiry)},
    )
    assert can("officer_a") == {"dismiss"}
    assert can("officer_b") == {"reply", "reroute"}
    assert can("officer_c") == 404
    assert can("evaluator") == set()

    client.force_login(officer_b)
    _response, notes = post(
        client,
        action_url("reroute", inquiry),
        {"to_agency": agency_c.pk, "note": "Urusan bansos.", "expected_version": version(inquiry)},
    )
    assert any("forwarded to Dinas Sosial" in note for note in notes), notes
    assert can("officer_a") == {"dismiss"}
    assert can("officer_b") == set()  # still reads it: it passed through B
    assert can("officer_c") == {"reply", "reroute"}

    # B can no longer reply: an error message, nothing changed.
    client.force_login(officer_b)
    before = snapshot(inquiry)
    _response, notes = post(
        client,
        action_url("reply", inquiry),
        {"reply_text": "Terlambat.", "expected_version": version(inquiry)},
    )
    assert notes == ["Your agency cannot take this step on this inquiry."]
    assert snapshot(inquiry) == before

    client.force_login(officer_c)
    post(
        client,
        action_url("reply", inquiry),
        {"reply_text": "Kami tangani.", "expected_version": version(inquiry)},
    )
    assert can("officer_a") == {"answer_public", "dismiss"}
    assert can("officer_b") == set()
    assert can("officer_c") == set()
    first, second = inquiry.forwardings.order_by("pk")
    assert (first.status, second.status) == ("rerouted", "replied")
    assert second.from_agency == agency_b and second.due_at == NOW + dt.timedelta(hours=24)

    # Each party's inbox agrees with its detail page.
    client.force_login(officer_c)
    html = client.get(reverse("inquiries:inbox") + "?kotak=diteruskan").content.decode()
    assert inquiry.tracking_code in html


# --- The permission matrix ---------------------------------------------------------------

ROLES = [
    "anonymous",
    "officer_a",
    "pejabat_a",
    "officer_b",
    "evaluator",
    "pimpinan",
    "administrator",
    "outsider",
]
EXPECTED = {
    # Lists and the template: every signed-in user (scoped rows).
    "list": dict.fromkeys(ROLES[1:], 200),
    # Agency A's inquiry or answer.
    "read": {
        "officer_a": 200,
        "pejabat_a": 200,
        "officer_b": 404,
        "evaluator": 200,
        "pimpinan": 200,
        "administrator": 200,
        "outsider": 404,
    },
    # A form for something new: writers of an agency; the administrator picks the agency.
    "create": {
        "officer_a": 200,
        "pejabat_a": 200,
        "officer_b": 200,
        "evaluator": 403,
        "pimpinan": 403,
        "administrator": 200,
        "outsider": 403,
    },
    "edit": {
        "officer_a": 200,
        "pejabat_a": 200,
        "officer_b": 404,
        "evaluator": 403,
        "pimpinan": 403,
        "administrator": 200,
        "outsider": 404,
    },
    # A transition open in the current state: done by the receiving agency's writers.
    "action": {
        "officer_a": 302,
        "pejabat_a": 302,
        "officer_b": 404,
        "evaluator": 403,
        "pimpinan": 403,
        "administrator": 302,
        "outsider": 404,
    },
    # A transition not open now (or for the other side): refused with a message.
    "refused": {
        "officer_a": 302,
        "pejabat_a": 302,
        "officer_b": 404,
        "evaluator": 403,
        "pimpinan": 403,
        "administrator": 302,
        "outsider": 404,
    },
    # Approving a library answer: the agency's pejabat only.
    "approve": {
        "officer_a": 403,
        "pejabat_a": 302,
        "officer_b": 404,
        "evaluator": 403,
        "pimpinan": 403,
        "administrator": 403,
        "outsider": 404,
    },
}

ROUTES = [
    # (URL name, target, method, kind, POST data; "{v}" is the current version)
    ("inbox", None, "get", "list", None),
    ("create", None, "get", "create", None),
    ("create", None, "post", "create", {}),
    ("import", None, "get", "create", None),
    ("import", None, "post", "create", {}),
    ("import_template", None, "get", "list", None),
    ("detail", "inquiry", "get", "read", None),
    ("answer_directly", "inquiry", "post", "action", {"answer_text": "Jawaban."}),
    ("forward", "inquiry", "post", "action", {"to_agency": "agency_c"}),
    ("dismiss", "inquiry", "post", "action", {"reason": "spam", "note": "Iklan."}),
    ("reply", "inquiry", "post", "refused", {"reply_text": "Balasan."}),
    ("reroute", "inquiry", "post", "refused", {"to_agency": "agency_c"}),
    ("answer_public", "inquiry", "post", "refused", {"answer_text": "Jawaban."}),
    ("close", "inquiry", "post", "refused", {"note": ""}),
    ("answer_list", None, "get", "list", None),
    ("answer_create", None, "get", "create", None),
    ("answer_create", None, "post", "create", {}),
    ("answer_edit", "answer", "get", "edit", None),
    ("answer_edit", "answer", "post", "edit", {}),
    ("answer_approve", "answer", "post", "approve", {}),
]


@pytest.fixture
def library_answer(agency_a):
    return AnswerFactory(agency=agency_a, is_approved=False, question="Syarat KTP hilang?")


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize(
    ("name", "target", "method", "kind", "data"),
    ROUTES,
    ids=[f"{method}-{name}" for name, _target, method, _kind, _data in ROUTES],
)
def test_permission_matrix(
    client, request, inquiry, library_answer, agency_c, who, name, target, method, kind, data
):
    obj = {"inquiry": inquiry, "answer": library_answer}.get(target)
    url = reverse(f"inquiries:{name}", args=[obj.pk] if obj else [])
    before = snapshot(inquiry)
    login(client, request, who)
    if method == "post":
        payload = {"expected_version": inquiry.version, **(data or {})}
        if payload.get("to_agency") == "agency_c":
            payload["to_agency"] = agency_c.pk
        response = client.post(url, payload)
    else:
        response = client.get(url)

    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert snapshot(inquiry) == before
        return
    expected = EXPECTED[kind][who]
    assert response.status_code == expected, (who, name, method, response.status_code)
    if kind in ("action", "approve") and expected == 302:
        assert snapshot(inquiry) != before
    else:
        assert snapshot(inquiry) == before
    if kind == "refused" and expected == 302:
        assert response["Location"] == detail_url(inquiry)
        followed = client.get(response["Location"])
        assert [m.level_tag for m in followed.context["messages"]] == ["error"]


ACTIONS = ["answer_directly", "forward", "reply", "reroute", "answer_public", "close", "dismiss"]


@pytest.mark.parametrize("name", ACTIONS)
def test_actions_are_post_only(client, inquiry, officer_a, name):
    client.force_login(officer_a)
    before = snapshot(inquiry)
    assert client.get(action_url(name, inquiry)).status_code == 405
    assert snapshot(inquiry) == before


def test_approve_is_post_only(client, library_answer, pejabat_a):
    client.force_login(pejabat_a)
    url = reverse("inquiries:answer_approve", args=[library_answer.pk])
    assert client.get(url).status_code == 405
    library_answer.refresh_from_db()
    assert not library_answer.is_approved


def test_actions_need_the_csrf_token(inquiry, officer_a):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(officer_a)
    before = snapshot(inquiry)
    response = csrf_client.post(
        action_url("dismiss", inquiry),
        {"reason": "spam", "note": "Iklan.", "expected_version": inquiry.version},
    )
    assert response.status_code == 403
    assert snapshot(inquiry) == before


def test_the_wrong_side_gets_a_message_and_nothing_changes(
    client, inquiry, agency_b, officer_a, officer_b
):
    flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=officer_a, now=NOW)
    client.force_login(officer_b)
    for name, data in [
        ("answer_public", {"answer_text": "Jawaban."}),
        ("close", {}),
        ("dismiss", {"reason": "spam", "note": "Iklan."}),
        ("answer_directly", {"answer_text": "Jawaban."}),
        ("forward", {"to_agency": officer_a.agency_id}),
    ]:
        before = snapshot(inquiry)
        response = client.post(
            action_url(name, inquiry), {"expected_version": version(inquiry), **data}
        )
        assert response.status_code == 302, name
        notes = list(client.get(response["Location"]).context["messages"])
        assert [note.level_tag for note in notes] == ["error"], name
        assert snapshot(inquiry) == before, name
    client.force_login(officer_a)
    before = snapshot(inquiry)
    _response, notes = post(
        client,
        action_url("reply", inquiry),
        {"reply_text": "Balas sendiri.", "expected_version": version(inquiry)},
    )
    assert notes == ["Your agency cannot take this step on this inquiry."]
    assert snapshot(inquiry) == before


# --- Crafted, stale and repeated POSTs --------------------------------------------------


def test_posted_agency_status_and_deadline_change_nothing(
    client, agency_a, agency_b, agency_c, channel_a, officer_a
):
    client.force_login(officer_a)
    extra = {
        "agency": agency_b.pk,
        "status": "closed",
        "due_at": "2030-01-01T00:00",
        "tracking_code": "AAAAAAAA",
        "version": 99,
        "recorded_by": agency_b.pk,
    }
    client.post(reverse("inquiries:create"), record_data(client, channel_a, **extra))
    inquiry = Inquiry.objects.get()
    assert inquiry.agency == agency_a
    assert inquiry.status == InquiryStatus.RECORDED
    assert inquiry.due_at is None
    assert inquiry.tracking_code != "AAAAAAAA"
    assert inquiry.version == 1
    assert inquiry.recorded_by == officer_a

    client.post(
        action_url("forward", inquiry),
        {"to_agency": agency_c.pk, "expected_version": 1, **extra},
    )
    inquiry.refresh_from_db()
    assert inquiry.agency == agency_a
    assert inquiry.status == InquiryStatus.FORWARDED
    assert inquiry.due_at == NOW + dt.timedelta(hours=24)
    assert inquiry.forwardings.get().to_agency == agency_c


def test_a_stale_version_names_who_changed_it(client, inquiry, agency_b, officer_a, pejabat_a):
    client.force_login(officer_a)
    seen = client.get(detail_url(inquiry)).context["inquiry"].version
    # Meanwhile the pejabat forwards it.
    flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=pejabat_a, now=NOW)
    before = snapshot(inquiry)
    _response, notes = post(
        client,
        action_url("dismiss", inquiry),
        {"reason": "spam", "note": "Iklan.", "expected_version": seen},
    )
    assert notes == [
        f"The data was changed by {pejabat_a.get_full_name()} in the meantime. "
        "Check the inquiry again."
    ]
    assert snapshot(inquiry) == before


def test_a_missing_version_is_refused(client, inquiry, officer_a):
    client.force_login(officer_a)
    before = snapshot(inquiry)
    _response, notes = post(client, action_url("dismiss", inquiry), {"reason": "spam", "note": "x"})
    assert notes and notes[0].startswith("Nothing was changed.")
    assert snapshot(inquiry) == before


def test_a_double_submit_records_one_inquiry(client, channel_a, officer_a):
    client.force_login(officer_a)
    data = record_data(client, channel_a)
    first = client.post(reverse("inquiries:create"), data)
    second = client.post(reverse("inquiries:create"), data)
    inquiry = Inquiry.objects.get()
    assert first["Location"] == second["Location"] == detail_url(inquiry)
    assert inquiry.events.count() == 1
    # A new form is a new key: a second, real inquiry.
    client.post(reverse("inquiries:create"), record_data(client, channel_a))
    assert Inquiry.objects.count() == 2


# --- The record form refuses bad input ----------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", "   "),
        ("author_name", ""),
        ("author_name", "Budi\x00"),
        ("text", "x" * 10_001),
        ("kind", "pujian"),
        ("received_at", "2026-03-02T09:30"),  # an hour after NOW (09:00 WIB)
        ("received_at", "kemarin"),
        ("source_url", "javascript:alert(1)"),
        ("channel", 999_999),
        ("idempotency_key", "bukan-uuid"),
    ],
)
def test_the_record_form_refuses_bad_input(client, channel_a, officer_a, field, value):
    client.force_login(officer_a)
    response = client.post(
        reverse("inquiries:create"), record_data(client, channel_a, **{field: value})
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Inquiry.objects.exists()


def test_a_foreign_or_inactive_channel_is_refused(client, channel_a, agency_a, officer_a, agency_b):
    foreign = OfficialAccountFactory(agency=agency_b)
    inactive = OfficialAccountFactory(agency=agency_a, status="inactive")
    client.force_login(officer_a)
    for channel in (foreign, inactive):
        response = client.post(
            reverse("inquiries:create"), record_data(client, channel_a, channel=channel.pk)
        )
        assert response.context["form"].errors["channel"] == [
            "Choose one of your agency's active official accounts."
        ]
    assert not Inquiry.objects.exists()
    html = client.get(reverse("inquiries:create")).content.decode()
    assert channel_a.handle in html and foreign.handle not in html


def test_the_administrator_chooses_the_agency_to_record_for(client, administrator, agency_b):
    channel = OfficialAccountFactory(agency=agency_b)
    client.force_login(administrator)
    assert "?instansi=disdukcapil" in client.get(reverse("inquiries:create")).content.decode()
    url = reverse("inquiries:create") + "?instansi=disdukcapil"
    client.post(url, record_data(client, channel, url))
    assert Inquiry.objects.get().agency == agency_b


# --- Escaping and personal data ----------------------------------------------------------


def test_script_in_name_and_text_is_escaped(client, channel_a, officer_a, evaluator):
    client.force_login(officer_a)
    client.post(
        reverse("inquiries:create"),
        record_data(client, channel_a, author_name=XSS, text=f'{XSS}\n"><img onerror=x>'),
    )
    inquiry = Inquiry.objects.get()
    # The inbox shows the text escaped; to the evaluator (not handling it) with the
    # words of the author's name cut to their initials.
    for who, shown in (
        (officer_a, "&lt;script&gt;alert(1)&lt;/script&gt;"),
        (evaluator, "&lt;s.&gt;a.(1)&lt;/s.&gt;"),
    ):
        client.force_login(who)
        for url in (detail_url(inquiry), reverse("inquiries:inbox")):
            html = client.get(url).content.decode()
            assert XSS not in html and "<img onerror" not in html
        assert shown in html
    client.force_login(officer_a)
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(detail_url(inquiry)).content.decode()
    )


def test_personal_data_is_masked_outside_the_handling_agencies(
    client, inquiry, agency_b, officer_a, officer_b, evaluator, pimpinan, administrator
):
    flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=officer_a, now=NOW)
    for who, full in [
        (officer_a, True),
        (officer_b, True),
        (evaluator, False),
        (pimpinan, False),
        (administrator, False),
    ]:
        client.force_login(who)
        html = client.get(detail_url(inquiry)).content.decode()
        assert ("Budi Santoso" in html) is full, who
        # The contact is masked for everyone until revealed (test_personal_data.py).
        assert "081234567789" not in html and "0812****789" in html, who
        if not full:
            assert "B. S." in html
        box = "diteruskan" if who == officer_b else "diterima"
        html = client.get(reverse("inquiries:inbox") + f"?kotak={box}").content.decode()
        assert inquiry.tracking_code in html, who
        assert ("Budi Santoso" in html) is full, who


def test_regency_roles_cannot_search_by_name(client, inquiry, evaluator, officer_a):
    client.force_login(officer_a)
    assert listed(client.get(reverse("inquiries:inbox") + "?q=Santoso")) == [inquiry.pk]
    client.force_login(evaluator)
    assert listed(client.get(reverse("inquiries:inbox") + "?q=Santoso")) == []
    rows = listed(client.get(reverse("inquiries:inbox") + f"?q={inquiry.tracking_code}"))
    assert rows == [inquiry.pk]


# --- The inbox ---------------------------------------------------------------------------


def listed(response) -> list[int]:
    """The inquiries an inbox page lists, by number, in its order."""
    return [row.pk for row in response.context["rows"]]


def test_countdown_texts():
    due = NOW + dt.timedelta(hours=5, minutes=12, seconds=30)
    assert countdown(due, NOW).text == "5 hours 12 minutes left"
    assert countdown(NOW - dt.timedelta(hours=3), NOW).text == "overdue by 3 hours"
    assert countdown(NOW - dt.timedelta(hours=3), NOW).overdue
    assert countdown(NOW + dt.timedelta(seconds=20), NOW).text == "less than a minute left"
    assert countdown(NOW - dt.timedelta(days=3, hours=2), NOW).text == "overdue by 3 days 2 hours"
    assert countdown(None, NOW) is None


def test_overdue_rows_are_marked_in_words_not_only_colour(
    client, time_machine, inquiry, agency_b, officer_a, officer_b
):
    flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=officer_a, now=NOW)
    time_machine.move_to(NOW + dt.timedelta(hours=27), tick=False)
    client.force_login(officer_b)
    response = client.get(reverse("inquiries:inbox") + "?kotak=diteruskan")
    html = response.content.decode()
    row = re.search(rf'<tr data-inquiry="{inquiry.pk}"[^>]*>', html).group(0)
    assert "table-danger" in row
    assert "Overdue" in html and "overdue by 3 hours" in html
    only = client.get(reverse("inquiries:inbox") + "?kotak=diteruskan&terlambat=ya")
    assert listed(only) == [inquiry.pk]
    client.force_login(officer_a)
    assert listed(client.get(reverse("inquiries:inbox") + "?terlambat=ya")) == [inquiry.pk]


def test_urgent_first_and_filters(client, agency_a, agency_b, channel_a, officer_a):
    old, middle, new = (
        InquiryFactory(agency=agency_a, channel=channel_a, received_at=NOW - dt.timedelta(days=d))
        for d in (3, 2, 1)
    )
    flow.inquiry_answer_directly(inquiry=new, by=officer_a, answer_text="Sudah.", now=NOW)
    flow.inquiry_forward(inquiry=old, to_agency=agency_b, by=officer_a, now=NOW)
    client.force_login(officer_a)
    url = reverse("inquiries:inbox")
    # Open first, the nearest deadline first; the answered one last.
    assert listed(client.get(url)) == [old.pk, middle.pk, new.pk]
    assert listed(client.get(url + "?urutan=-diterima")) == [new.pk, middle.pk, old.pk]
    assert listed(client.get(url + "?status=answered_directly")) == [new.pk]
    day = (NOW - dt.timedelta(days=2)).strftime("%Y-%m-%d")
    assert listed(client.get(url + f"?dari={day}&sampai={day}")) == [middle.pk]
    assert listed(client.get(url + f"?kanal={channel_a.pk}&jenis=pertanyaan")) == [
        old.pk,
        middle.pk,
        new.pk,
    ]


def test_an_unlisted_ordering_is_ignored(client, agency_a, channel_a, officer_a):
    InquiryFactory.create_batch(3, agency=agency_a, channel=channel_a)
    client.force_login(officer_a)

    def orderings(url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return listed(response), [
            q["sql"].split("ORDER BY", 1)[1]
            for q in queries.captured_queries
            if 'FROM "inquiries_inquiry"' in q["sql"] and "ORDER BY" in q["sql"]
        ]

    default, default_orderings = orderings(reverse("inquiries:inbox"))
    rows, crafted = orderings(reverse("inquiries:inbox") + "?urutan=created_by__password")
    assert rows == default
    # The most urgent first, as without the parameter, and no join to the password.
    assert crafted == default_orderings
    assert not any("password" in ordering for ordering in crafted)
    response = client.get(reverse("inquiries:inbox") + "?urutan=agency__users__email")
    assert listed(response) == default
    assert "urutan" in response.context["filterset"].form.errors


def test_regency_roles_see_every_agency_with_an_agency_filter(
    client, agency_a, agency_b, channel_a, evaluator, officer_a
):
    mine = InquiryFactory(agency=agency_a, channel=channel_a)
    theirs = InquiryFactory(agency=agency_b)
    client.force_login(evaluator)
    response = client.get(reverse("inquiries:inbox"))
    assert set(listed(response)) == {mine.pk, theirs.pk}
    assert "Read only" in response.content.decode()
    assert listed(client.get(reverse("inquiries:inbox") + "?instansi=dinkes")) == [mine.pk]
    flow.inquiry_forward(inquiry=mine, to_agency=agency_b, by=officer_a, now=NOW)
    response = client.get(reverse("inquiries:inbox") + "?kotak=diteruskan&instansi=disdukcapil")
    assert listed(response) == [mine.pk]
    # An agency-bound officer has no agency filter: a crafted one is ignored.
    client.force_login(officer_a)
    response = client.get(reverse("inquiries:inbox") + "?instansi=disdukcapil")
    assert listed(response) == [mine.pk]
    assert "instansi" not in response.context["filterset"].form.fields


def test_empty_inbox_and_pagination(client, agency_a, channel_a, officer_a, outsider):
    client.force_login(outsider)
    html = client.get(reverse("inquiries:inbox")).content.decode()
    assert "No inquiry to show." in html
    InquiryFactory.create_batch(27, agency=agency_a, channel=channel_a)
    client.force_login(officer_a)
    first = client.get(reverse("inquiries:inbox"))
    assert len(listed(first)) == 25
    assert "halaman=2" in first.content.decode()
    assert len(listed(client.get(reverse("inquiries:inbox") + "?halaman=2"))) == 2


def _fill(agency, channel, receiver, target, n: int, forwarded: bool) -> None:
    for inquiry in InquiryFactory.create_batch(n, agency=agency, channel=channel):
        if forwarded:
            flow.inquiry_forward(inquiry=inquiry, to_agency=target, by=receiver, now=NOW)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("who", "box"),
    [
        ("officer_a", "diterima"),
        ("officer_b", "diteruskan"),
        ("evaluator", "diterima"),
        ("administrator", "diteruskan"),
    ],
)
def test_inbox_queries_do_not_grow_with_rows(
    client, request, agency_a, agency_b, channel_a, officer_a, who, box
):
    url = reverse("inquiries:inbox") + f"?kotak={box}"
    login(client, request, who)
    _fill(agency_a, channel_a, officer_a, agency_b, 5, forwarded=True)
    client.get(url)  # warm-up: session and the day's ethics check
    with_5 = _count(client, url)
    _fill(agency_a, channel_a, officer_a, agency_b, 45, forwarded=True)
    with_50 = _count(client, url)
    assert with_5 == with_50
    assert with_50 <= 12, with_50


@pytest.mark.parametrize("who", ["officer_a", "evaluator"])
def test_library_queries_do_not_grow_with_rows(client, request, agency_a, pejabat_a, who):
    url = reverse("inquiries:answer_list")
    login(client, request, who)
    AnswerFactory.create_batch(5, agency=agency_a, approved_by=pejabat_a, created_by=pejabat_a)
    client.get(url)
    with_5 = _count(client, url)
    AnswerFactory.create_batch(45, agency=agency_a, approved_by=pejabat_a, is_approved=False)
    assert _count(client, url) == with_5


# --- Answering with the library, forwarding suggestions, dismissing -------------------------


def test_use_a_library_answer_and_save_a_new_one(client, inquiry, agency_a, officer_a, pejabat_a):
    library = AnswerFactory(
        agency=agency_a,
        topic="ktp",
        question="KTP elektronik hilang, bagaimana mengurusnya?",
        text="Bawa surat kehilangan dari kepolisian ke Disdukcapil.",
    )
    client.force_login(officer_a)
    page = client.get(detail_url(inquiry))
    assert page.context["similar"] == [library]
    assert f"?jawaban={library.pk}" in page.content.decode()
    page = client.get(detail_url(inquiry) + f"?jawaban={library.pk}")
    form = page.context["action_forms"]["answer_directly"]
    assert form.initial["answer_text"] == library.text
    assert library.text in page.content.decode()
    # Another agency's answer cannot be pulled in.
    foreign = AnswerFactory(agency=AgencyFactory(slug="lain"), text="Rahasia dinas lain.")
    page = client.get(detail_url(inquiry) + f"?jawaban={foreign.pk}")
    assert "Rahasia dinas lain." not in page.content.decode()

    post(
        client,
        action_url("answer_directly", inquiry),
        {
            "answer_text": library.text + " Terima kasih.",
            "library_answer": library.pk,
            "save_to_library": "on",
            "expected_version": version(inquiry),
        },
    )
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.ANSWERED_DIRECTLY
    library.refresh_from_db()
    assert library.times_used == 1
    saved = Answer.objects.exclude(pk__in=[library.pk, foreign.pk]).get()
    assert (saved.topic, saved.is_approved, saved.source_inquiry) == ("ktp", False, inquiry)
    assert saved.question == inquiry.text
    assert AuditEvent.objects.filter(action="answer.create", object_id=str(saved.pk)).exists()

    # The pejabat approves it in the library; others cannot.
    client.force_login(pejabat_a)
    html = client.get(reverse("inquiries:answer_list") + "?disetujui=belum").content.decode()
    assert f'data-answer="{saved.pk}"' in html
    post(client, reverse("inquiries:answer_approve", args=[saved.pk]), {})
    saved.refresh_from_db()
    assert saved.is_approved and saved.approved_by == pejabat_a


def test_a_pejabats_saved_answer_is_approved_at_once(
    client, inquiry, agency_b, officer_a, officer_b, pejabat_a
):
    flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=officer_a, now=NOW)
    flow.forwarding_reply(inquiry=inquiry, by=officer_b, reply_text="Ke Disdukcapil.", now=NOW)
    client.force_login(pejabat_a)
    post(
        client,
        action_url("answer_public", inquiry),
        {
            "answer_text": "Silakan ke Disdukcapil.",
            "save_to_library": "on",
            "expected_version": version(inquiry),
        },
    )
    saved = Answer.objects.get()
    assert saved.is_approved and saved.approved_by == pejabat_a
    assert saved.agency == inquiry.agency


def test_forwarding_suggests_agencies_first(
    client, agency_a, agency_b, agency_c, channel_a, officer_a
):
    inquiry = InquiryFactory(
        agency=agency_a, channel=channel_a, text="Kapan bansos tahap dua cair?", topics=[]
    )
    client.force_login(officer_a)
    html = client.get(detail_url(inquiry)).content.decode()
    select = re.search(r'<select name="to_agency".*?</select>', html, re.S).group(0)
    assert re.search(rf'<optgroup label="Suggested">\s*<option value="{agency_c.pk}"', select)
    assert '<optgroup label="Other agencies">' in select
    assert f'value="{agency_b.pk}"' in select
    assert f'value="{agency_a.pk}"' not in select


def test_dismiss_as_duplicate_needs_an_original_of_the_same_agency(
    client, inquiry, agency_a, agency_b, channel_a, officer_a
):
    original = InquiryFactory(agency=agency_a, channel=channel_a)
    elsewhere = InquiryFactory(agency=agency_b)
    client.force_login(officer_a)
    for code in ("", elsewhere.tracking_code, inquiry.tracking_code):
        before = snapshot(inquiry)
        _response, notes = post(
            client,
            action_url("dismiss", inquiry),
            {
                "reason": "duplicate",
                "duplicate_code": code,
                "note": "Sama.",
                "expected_version": version(inquiry),
            },
        )
        assert notes[0].startswith("Nothing was changed."), code
        assert snapshot(inquiry) == before
    post(
        client,
        action_url("dismiss", inquiry),
        {
            "reason": "duplicate",
            "duplicate_code": original.tracking_code.lower(),
            "note": "Sama dengan yang kemarin.",
            "expected_version": version(inquiry),
        },
    )
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.DISMISSED and inquiry.duplicate_of == original


def test_a_regency_role_reads_without_action_forms(client, inquiry, pimpinan):
    client.force_login(pimpinan)
    response = client.get(detail_url(inquiry))
    assert response.context["action_forms"] == {}
    html = response.content.decode()
    assert 'method="post" action="/pertanyaan/' not in html


# --- The answer library -------------------------------------------------------------------


def test_the_library_is_scoped_and_filtered(client, agency_a, agency_b, officer_a, evaluator):
    ours = AnswerFactory(agency=agency_a, topic="ktp", question="Cara membuat KTP?")
    pending = AnswerFactory(agency=agency_a, topic="kk", question="Cara KK?", is_approved=False)
    theirs = AnswerFactory(agency=agency_b, topic="ktp", question="Akta kelahiran?")
    url = reverse("inquiries:answer_list")
    client.force_login(officer_a)
    assert set(client.get(url).context["rows"]) == {ours, pending}
    assert client.get(url + "?topik=KTP").context["rows"] == [ours]
    assert client.get(url + "?disetujui=belum").context["rows"] == [pending]
    assert client.get(url + "?q=membuat").context["rows"] == [ours]
    assert client.get(url + "?urutan=created_by__password").status_code == 200
    client.force_login(evaluator)
    response = client.get(url)
    assert set(response.context["rows"]) == {ours, pending, theirs}
    assert "answer_approve" not in response.content.decode()
    assert not any(row.can_edit or row.can_approve for row in response.context["rows"])


def test_library_create_and_edit(client, agency_a, officer_a, pejabat_a):
    client.force_login(officer_a)
    client.post(
        reverse("inquiries:answer_create"),
        {"topic": " KTP ", "question": "Syarat KTP?", "text": "KK asli.", "agency": 999},
    )
    answer = Answer.objects.get()
    assert (answer.agency, answer.topic, answer.is_approved) == (agency_a, "ktp", False)
    client.force_login(pejabat_a)
    client.post(
        reverse("inquiries:answer_edit", args=[answer.pk]),
        {"topic": "ktp", "question": "Syarat KTP?", "text": "KK asli dan akta."},
    )
    answer.refresh_from_db()
    assert answer.is_approved and answer.text == "KK asli dan akta."
    # A petugas who rewrites an approved answer sends it back for approval.
    client.force_login(officer_a)
    client.post(
        reverse("inquiries:answer_edit", args=[answer.pk]),
        {"topic": "ktp", "question": "Syarat KTP?", "text": "Lain lagi."},
    )
    answer.refresh_from_db()
    assert not answer.is_approved and answer.approved_by is None


def test_the_nav_links_to_the_inbox(client, officer_a):
    client.force_login(officer_a)
    html = client.get(reverse("home")).content.decode()
    assert 'data-nav="inquiries:inbox"' in html


def test_a_page_number_alone_leaves_the_filters_unbound(client, agency_a, channel_a, officer_a):
    InquiryFactory.create_batch(27, agency=agency_a, channel=channel_a)
    client.force_login(officer_a)
    second = client.get(reverse("inquiries:inbox") + "?halaman=2")
    assert not second.context["filterset"].is_bound and len(listed(second)) == 2
    filtered = client.get(reverse("inquiries:inbox") + "?halaman=2&status=recorded")
    assert filtered.context["filterset"].is_bound and len(listed(filtered)) == 2
    # The filter bar still keeps what was chosen.
    assert 'value="recorded" selected' in filtered.content.decode()
