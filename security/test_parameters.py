"""Query parameters are allow-listed: an ordering by an arbitrary relation path (the way to
probe a hidden column such as a password hash through the sort order) changes nothing,
and unknown filter values are ignored or refused as a form error, never a server error."""

import re

import pytest
from django.http import Http404
from django.urls import reverse

from accounts.access import get_for_user
from accounts.models import Agency

from .helpers import client_for, fetch
from .matrix import MATRIX
from .urlmap import named_urls

pytestmark = pytest.mark.django_db

# The ways of asking for an order that list pages (and libraries) commonly read. The
# portal reads ``urutan`` only; the others go in one query string.
HOSTILE_ORDERINGS = [
    "urutan=created_by__password",
    "urutan=-recorded_by__password",
    "urutan=agency__users__password",
    "urutan=nama,created_by__password",
    "urutan=pk);DROP TABLE accounts_user;--",
    "urutan=__class__",
    "ordering=-recorded_by__password&ordering=created_by__password&sort=created_by__password"
    "&sort=-submitted_by__password&o=created_by__password&order_by=created_by__password",
]

# Unknown values of every filter parameter of the portal, in batches (each batch one
# query string; a page reads the parameters it knows and must ignore the rest).
HOSTILE_FILTERS = [
    # Values outside the choices.
    "status=bogus&kotak=zzz&jenis=x&kategori=x&media=x&platform=x&keberlakuan=x&peran=x"
    "&keadaan=x&disetujui=x&terlambat=x&periode=bogus&angka=bogus&kepatuhan=x&format=pdf"
    "&akun=-1&kanal=abc&bulan=2026-99&halaman=abc&tahun=abc",
    # NUL characters (PostgreSQL refuses them in a query: they must stop at validation).
    "status=%00&q=%00&topik=%00&kode=%00&instansi=%00&kanal=%00&akun=%00&next=%00",
    # An agency that does not exist (404 is fine where the agency is the subject).
    "instansi=tidak-ada",
    "instansi[]=dinkes&instansi=",
    # Numbers beyond any column's range.
    "tahun=99999999999999999999999999&halaman=99999999999999999999999"
    "&kanal=999999999999999999999999&akun=999999999999999999999999"
    "&bulan=99999999999999-01&jawaban=99999999999999999999999",
    "tahun=-1&halaman=-1&format=../../etc/passwd",
    # Dates that are not dates.
    "dari=not-a-date&sampai=2026-13-45",
    "dari=2026-02-30&sampai=99999-01-01",
    # Search text: SQL-looking and very long.
    "q=%27%20OR%201%3D1%20--&topik=%27%3B--",
    "q=" + "x" * 5000,
]

# Links to records whose order on a page is the list's order.
RECORD_LINK = re.compile(
    r'href="(/(?:instansi|keputusan|akun-resmi|sop|penunjukan|pertanyaan|publikasi|laporan)'
    r'/[\w-]+/(?:[\w-]+/)?)"'
)


def _lists(urls) -> list[str]:
    """Every page without an object that the administrator opens (lists, boards,
    exports, dashboards)."""
    return sorted(
        name
        for name, expect in MATRIX.items()
        if name in urls
        and not urls[name].kwarg_names
        and expect.outcomes["administrator"] == 200
        and not name.startswith(("admin:", "api:"))
    )


def _order(response) -> list[str]:
    text = response.body.decode("utf-8", "replace")
    if response["Content-Type"].startswith("text/csv"):
        return text.splitlines()
    return RECORD_LINK.findall(text)


@pytest.fixture(scope="module")
def urls():
    return named_urls()


@pytest.fixture(scope="module")
def lenient(world, django_db_blocker):
    """Clients that return a server error as a 500 response instead of raising it, so a
    test lists every page that fails."""
    with django_db_blocker.unblock():
        return {
            role: client_for(world.users[role], raise_request_exception=False)
            for role in ("administrator", "officer_a", "evaluator")
        }


@pytest.mark.parametrize("role", ["administrator", "officer_a"])
def test_hostile_orderings_keep_the_default_order(role, urls, world, lenient):
    client = lenient[role]
    pages = [name for name in _lists(urls) if MATRIX[name].outcomes[role] == 200]
    assert len(pages) >= 30
    wrong = []
    for name in pages:
        base = reverse(name) + MATRIX[name].query
        joiner = "&" if "?" in base else "?"
        default = fetch(client, base)
        assert default.status_code == 200, name
        expected = _order(default)
        for parameter in HOSTILE_ORDERINGS:
            response = fetch(client, f"{base}{joiner}{parameter}")
            if response.status_code != 200:
                wrong.append(f"{name}?{parameter}: {response.status_code}")
            elif _order(response) != expected:
                wrong.append(f"{name}?{parameter}: the order changed")
    assert not wrong, "\n".join(wrong)


def test_an_allowed_ordering_does_change_the_order(world, clients):
    """The comparison above can see a changed order: a real ordering changes it."""
    client = clients["administrator"]
    default = _order(fetch(client, reverse("accounts:agency_list")))
    by_name_desc = _order(fetch(client, reverse("accounts:agency_list") + "?urutan=-nama"))
    assert len(default) >= 3
    assert sorted(default) == sorted(by_name_desc)
    assert default != by_name_desc


@pytest.mark.parametrize("role", ["administrator", "officer_a", "evaluator"])
def test_unknown_filter_values_never_break_a_page(role, urls, world, lenient):
    client = lenient[role]
    pages = [name for name in _lists(urls) if MATRIX[name].outcomes[role] == 200]
    wrong = []
    for name in pages:
        base = reverse(name) + MATRIX[name].query
        joiner = "&" if "?" in base else "?"
        for parameter in HOSTILE_FILTERS:
            status = fetch(client, f"{base}{joiner}{parameter}").status_code
            # 404: an agency (``instansi``) or figure outside the user's scope.
            if status not in (200, 400, 404):
                wrong.append(f"{name}?{parameter}: {status}")
    assert not wrong, "\n".join(wrong)


def test_unknown_values_on_object_pages_and_the_api(world, lenient):
    admin = lenient["administrator"]
    detail = reverse("inquiries:detail", args=[world.a.inquiry.pk])
    for parameter in ("jawaban=abc", "jawaban=99999999999999999999999", "jawaban=-1"):
        assert fetch(admin, f"{detail}?{parameter}").status_code == 200
    report = reverse("reports:report_detail", args=[world.a.report.pk])
    assert fetch(admin, f"{report}?tahun=abc&status=x").status_code == 200
    table = reverse("reports:table_export", args=[world.a.report.pk, "tidak-ada", "csv"])
    assert fetch(admin, table).status_code == 404
    export = reverse("reports:regency_export", args=["exe"])
    assert fetch(admin, export).status_code == 404
    api_client = client_for(
        HTTP_AUTHORIZATION=f"Bearer {world.a.key}", raise_request_exception=False
    )
    api = fetch(
        api_client,
        reverse("api:v1:inquiry-list")
        + "?status=bogus&since=not-a-date&page_size=99999999999999999999&cursor=%00",
    )
    assert api.status_code in (400, 404)
    for code in ("%00", "AAAA%00AA", "%27%3B--", "x" * 300):
        assert fetch(api_client, f"/api/v1/inquiries/{code}/").status_code == 404, code
    for code in ("%00", "AAAA%00AA"):
        assert fetch(admin, f"/lacak/{code}/").status_code == 404, code


def test_a_nul_character_names_no_object_and_reaches_no_query(world, django_assert_num_queries):
    """The fix for the 500s above (PostgreSQL refuses NUL in a query): ``get_for_user``
    treats such a value as naming nothing, before any query, on every database."""
    admin = world.users["administrator"]
    with django_assert_num_queries(0), pytest.raises(Http404):
        get_for_user(Agency.objects.all(), admin, agency_lookup="pk", slug="dinkes\x00")
    assert get_for_user(Agency.objects.all(), admin, agency_lookup="pk", slug="dinkes")
