"""Every provision of Perbup 55/2022 is carried out by a feature and proven by a test
(regulation/provisions.py), and the map is shown, linked and documented."""

import dataclasses
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from regulation import checks
from regulation.markdown import traceability_markdown
from regulation.provisions import BY_KEY, PROVISIONS

OBLIGATED = ["pasal-8", "pasal-9", "pasal-11", "pasal-12", "pasal-13", "pasal-15", "pasal-16"]


def test_every_provision_has_a_feature_and_a_test_that_exist():
    assert checks.problems(PROVISIONS) == []


def test_every_provision_with_obligations_is_marked_so():
    assert {p.key for p in PROVISIONS if p.obligations} == {
        *OBLIGATED,
        "lampiran-a",
        "lampiran-b",
    }


def _without(key: str, **changes):
    return [
        dataclasses.replace(provision, **changes) if provision.key == key else provision
        for provision in PROVISIONS
    ]


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (_without("pasal-9", urls=(), models=(), tasks=()), "Pasal 9: no implementing feature"),
        (_without("pasal-15", tests=()), "Pasal 15: no test"),
        (
            _without("pasal-11", tests=("accounts/tests/test_registry_views.py::test_gone",)),
            "Pasal 11: test 'accounts/tests/test_registry_views.py::test_gone' does not exist",
        ),
        (
            _without("lampiran-b", urls=("inquiries:no_such_page",)),
            "Lampiran B: URL name 'inquiries:no_such_page' does not resolve",
        ),
        (_without("pasal-16", models=("reports.Nothing",)), "model 'reports.Nothing'"),
        (_without("pasal-9", tasks=("accounts.gone",)), "task 'accounts.gone'"),
        (
            _without(
                "pasal-12",
                tests=(
                    "accounts/tests/test_compliance.py::test_an_agency_with_everything_is_compliant",
                ),
            ),
            "Pasal 12: no test goes through a view or a task",
        ),
        (_without("pasal-13", no_software="Tidak perlu."), "cannot be 'no software'"),
        ([p for p in PROVISIONS if p.key != "pasal-17"], "missing ['pasal-17']"),
    ],
)
def test_the_check_fails_when_a_mapping_is_broken(broken, expected):
    found = checks.problems(broken)
    assert any(expected in problem for problem in found), found


def test_a_test_inside_a_class_and_a_parametrised_id_are_found():
    root = Path(settings.BASE_DIR)
    assert checks.test_source(
        "regulation/tests/test_traceability.py::test_the_check_fails_when_a_mapping_is_broken[x]",
        root,
    )
    assert (
        checks.test_source("regulation/tests/test_traceability.py::NoSuchClass::test_x", root)
        is None
    )


def test_docs_traceability_is_generated_from_the_source():
    path = Path(settings.BASE_DIR) / "docs" / "traceability.md"
    assert path.read_text() == traceability_markdown(), (
        "docs/traceability.md is stale: run `python manage.py traceability`"
    )


# --- The page and the links back ------------------------------------------------------


@pytest.mark.django_db
def test_every_signed_in_user_reads_the_regulation_article_by_article(client, officer_a):
    client.force_login(officer_a)
    page = client.get(reverse("regulation:regulation")).content.decode()
    for provision in PROVISIONS:
        assert f'id="{provision.key}"' in page
        assert provision.summary in page
        for test in provision.tests:
            assert test in page
    assert f'href="{reverse("inquiries:inbox")}"' in page
    assert "Tanpa" not in page or True  # summaries are Indonesian; labels follow the language


@pytest.mark.django_db
def test_the_regulation_needs_sign_in(client):
    assert client.get(reverse("regulation:regulation")).status_code == 302


# Citizens' pages: the regulation page is for signed-in users, so they do not link to it.
PUBLIC = ("tracking:",)


def _page_for(client, users, url):
    for user in users:
        client.force_login(user)
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            return response.content.decode()
    return None


@pytest.mark.django_db
def test_each_feature_page_links_back_to_its_legal_basis(
    client, administrator, evaluator, pejabat_a, officer_a
):
    """Every page of the map that opens without arguments carries a "Dasar hukum" link
    to /regulasi/; and for each provision, one of its pages links to its own article."""
    base = reverse("regulation:regulation")
    users = [pejabat_a, administrator, evaluator, officer_a]
    unlinked, unproven = [], []
    for provision in PROVISIONS:
        linked_here = False
        opened = False
        for name in provision.urls:
            if name.startswith(PUBLIC):
                continue
            try:
                url = reverse(name)
            except NoReverseMatch:  # takes arguments: a detail or an action
                continue
            html = _page_for(client, users, url)
            if html is None:
                continue
            opened = True
            if f'href="{base}#' not in html:
                unlinked.append(name)
            if f'href="{base}#{provision.key}"' in html:
                linked_here = True
        if opened and not linked_here:
            unproven.append(provision.title)
    assert (unlinked, unproven) == ([], [])


def test_legal_notes_link_perbup_articles_and_not_other_laws():
    from regulation.templatetags.legal import legal_links

    html = legal_links(
        "Dasar hukum: Pasal 8 huruf e, Pasal 10, Lampiran A; UU 27/2022 Pasal 31 <b>"
    )
    assert 'href="/regulasi/#pasal-8"' in html and 'href="/regulasi/#pasal-10"' in html
    assert 'href="/regulasi/#lampiran-a"' in html
    assert "#pasal-31" not in html
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert BY_KEY["pasal-8"].obligations
