"""Reads of the inquiry flow: scope, inbox, urgency, the answer library and routing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404

from accounts.roles import Role
from accounts.tests.factories import AgencyFactory, UserFactory
from inquiries.models import Inquiry
from inquiries.selectors import (
    by_urgency,
    get_inquiry_for_user,
    inbox,
    inquiries_for,
    similar_answers,
    suggest_agencies,
)
from inquiries.tests import factories as f
from inquiries.tests.factories import AnswerFactory, InquiryFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def agency_c(db):
    return AgencyFactory(name="Dinas Sosial", short_name="Dinsos", slug="dinsos")


@pytest.fixture
def officer_c(agency_c):
    return UserFactory(username="petugas_c", agency=agency_c, roles=[Role.PETUGAS])


@pytest.fixture
def officer_d(db):
    """An officer of an agency that has nothing to do with any inquiry here."""
    agency = AgencyFactory(name="Dinas Perhubungan", short_name="Dishub", slug="dishub")
    return UserFactory(username="petugas_d", agency=agency, roles=[Role.PETUGAS])


@pytest.fixture
def world(agency_a, officer_a, agency_b, officer_b, agency_c, officer_c):
    """Inquiries of A (one kept, one forwarded to B, one re-routed B→C→B) and one of B."""
    holders = [(officer_b, agency_b), (officer_c, agency_c), (officer_b, agency_b)]

    def make(agency, officer, path, *, chain=holders):
        inquiry = InquiryFactory(agency=agency, recorded_by=officer)
        return f.bring_to(path, inquiry, receiver=officer, holders=chain)

    return {
        "kept": make(agency_a, officer_a, "recorded"),
        "to_b": make(agency_a, officer_a, "forwarded"),
        # A→B, B→C, C→B: two forwardings to B.
        "twice_to_b": make(agency_a, officer_a, ("forward", "reroute", "reroute")),
        "of_b": make(agency_b, officer_b, "recorded"),
    }


# --- Scope ---------------------------------------------------------------------------------

SEES = {
    "officer_a": {"kept", "to_b", "twice_to_b"},
    "pejabat_a": {"kept", "to_b", "twice_to_b"},
    "officer_b": {"to_b", "twice_to_b", "of_b"},
    "officer_c": {"twice_to_b"},  # a previous holder keeps read access
    "officer_d": set(),
    "evaluator": {"kept", "to_b", "twice_to_b", "of_b"},
    "pimpinan": {"kept", "to_b", "twice_to_b", "of_b"},
    "administrator": {"kept", "to_b", "twice_to_b", "of_b"},
    "outsider": set(),
}


@pytest.mark.parametrize("who", list(SEES))
def test_inquiries_for_each_role_without_duplicate_rows(world, cast, officer_c, officer_d, who):
    user = {**cast, "officer_c": officer_c, "officer_d": officer_d}[who]
    names = {inquiry.pk: name for name, inquiry in world.items()}
    rows = list(inquiries_for(user).values_list("pk", flat=True))
    assert len(rows) == len(set(rows))  # B holds two forwardings of one inquiry: one row
    assert {names[pk] for pk in rows} == SEES[who]


def test_get_inquiry_for_user_gives_404_outside_the_scope_and_403_to_readers(
    world, officer_a, officer_c, evaluator, officer_d
):
    twice = world["twice_to_b"]
    assert get_inquiry_for_user(officer_c, twice.pk) == twice
    assert get_inquiry_for_user(officer_c, twice.pk, write=True) == twice  # the flow decides
    assert get_inquiry_for_user(evaluator, twice.pk) == twice
    with pytest.raises(PermissionDenied):
        get_inquiry_for_user(evaluator, twice.pk, write=True)
    with pytest.raises(Http404):
        get_inquiry_for_user(officer_d, twice.pk)
    with pytest.raises(Http404):
        get_inquiry_for_user(officer_a, world["of_b"].pk)
    with pytest.raises(Http404):
        get_inquiry_for_user(officer_a, 10**9)


# --- Inbox ---------------------------------------------------------------------------------


def names_in(queryset, world) -> list[str]:
    names = {inquiry.pk: name for name, inquiry in world.items()}
    return sorted(names[pk] for pk in queryset.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("who", "box", "agency", "expected"),
    [
        ("officer_a", "received", None, ["kept", "to_b", "twice_to_b"]),
        ("officer_a", "forwarded", None, []),
        ("officer_b", "received", None, ["of_b"]),
        ("officer_b", "forwarded", None, ["to_b", "twice_to_b"]),
        ("officer_c", "received", None, []),
        ("officer_c", "forwarded", None, ["twice_to_b"]),
        # An agency role cannot look into another agency's inbox.
        ("officer_b", "received", "a", ["of_b"]),
        ("evaluator", "received", "b", ["of_b"]),
        ("evaluator", "forwarded", "b", ["to_b", "twice_to_b"]),
        ("evaluator", "received", None, ["kept", "of_b", "to_b", "twice_to_b"]),
        ("pimpinan", "forwarded", None, ["to_b", "twice_to_b"]),
        ("outsider", "received", None, []),
        ("outsider", "forwarded", None, []),
    ],
)
def test_inbox(world, cast, officer_c, agency_a, agency_b, who, box, agency, expected):
    user = {**cast, "officer_c": officer_c}[who]
    agency_id = {"a": agency_a.pk, "b": agency_b.pk, None: None}[agency]
    queryset = inbox(user, box=box, agency_id=agency_id)
    assert names_in(queryset, world) == sorted(expected)
    rows = list(queryset.values_list("pk", flat=True))
    assert len(rows) == len(set(rows))


# --- Urgency -------------------------------------------------------------------------------


def test_by_urgency_puts_overdue_first_then_the_nearest_deadline_and_closed_last(
    agency_a, officer_a, agency_b, officer_b
):
    def make(name, received_hours_ago, path=(), forwarded_hours_ago=None):
        inquiry = InquiryFactory(
            agency=agency_a,
            recorded_by=officer_a,
            received_at=NOW - received_hours_ago * HOUR,
            text=name,
        )
        start = NOW - (forwarded_hours_ago or received_hours_ago - 0.5) * HOUR - HOUR
        return f.bring_to(
            path, inquiry, receiver=officer_a, holders=[(officer_b, agency_b)], now=start
        )

    made = [
        make("closed, newest", 1, "closed"),
        make("recorded, newest open", 2),
        make("due in 23 h", 40, "forwarded", forwarded_hours_ago=1),
        make("overdue by 6 h", 50, "forwarded", forwarded_hours_ago=30),
        make("replied", 3, "replied"),
        make("due in 4 h", 45, "forwarded", forwarded_hours_ago=20),
        make("dismissed", 4, "dismissed"),
        make("overdue by 2 days", 80, "forwarded", forwarded_hours_ago=72),
        make("recorded, older", 10),
        make("answered, open no more", 6, "answered"),
    ]
    assert len(made) == Inquiry.objects.count()
    ordered = [i.text for i in by_urgency(Inquiry.objects.all())]
    assert ordered == [
        "overdue by 2 days",
        "overdue by 6 h",
        "due in 4 h",
        "due in 23 h",
        # Open without a deadline, newest first.
        "recorded, newest open",
        "replied",
        "recorded, older",
        # Closed, answered and dismissed last, newest first.
        "closed, newest",
        "dismissed",
        "answered, open no more",
    ]
    overdue = Inquiry.objects.filter(due_at__lt=NOW)
    assert {i.text for i in overdue} == {"overdue by 2 days", "overdue by 6 h"}


# --- The answer library --------------------------------------------------------------------


@pytest.fixture
def library(agency_a, agency_b):
    AnswerFactory(
        agency=agency_a,
        topic="imunisasi",
        question="Kapan jadwal imunisasi di puskesmas?",
        text="Imunisasi dasar setiap Selasa di semua puskesmas.",
        times_used=50,
    )
    relevant = AnswerFactory(
        agency=agency_a,
        topic="ktp elektronik",
        question="Bagaimana mengurus KTP elektronik yang hilang?",
        text="Bawa surat keterangan hilang dari kepolisian dan KK ke Disdukcapil.",
    )
    AnswerFactory(
        agency=agency_a,
        topic="ktp elektronik",
        question="KTP elektronik hilang, bagaimana mengurus penggantinya?",
        text="Draf yang belum disetujui pejabat.",
        is_approved=False,
    )
    AnswerFactory(
        agency=agency_b,
        topic="ktp elektronik",
        question="KTP elektronik saya hilang, bagaimana mengurusnya?",
        text="Jawaban instansi lain.",
    )
    return relevant


def test_similar_answers_find_the_approved_answer_of_the_agency_first(library, agency_a):
    question = "Selamat pagi, KTP elektronik saya hilang. Bagaimana cara mengurusnya?"
    found = similar_answers(agency_a.pk, question)
    assert found, connection.vendor
    assert found[0] == library
    assert all(answer.agency_id == agency_a.pk and answer.is_approved for answer in found)


def test_similar_answers_of_nothing_or_nothing_similar(library, agency_a, agency_b):
    assert similar_answers(agency_a.pk, "") == []
    assert similar_answers(agency_a.pk, "?? !! ok") == []
    assert similar_answers(agency_a.pk, "Jembatan gantung Tumbang Samba putus") == []
    assert len(similar_answers(agency_a.pk, "imunisasi ktp elektronik", limit=1)) == 1


# --- Routing suggestion --------------------------------------------------------------------


@pytest.fixture
def authorities(db):
    return {
        "dinkes": AgencyFactory(
            slug="dinkes-topik",
            name="Dinas Kesehatan",
            authority_topics=["puskesmas", "imunisasi", "demam berdarah"],
        ),
        "disdukcapil": AgencyFactory(
            slug="disdukcapil-topik",
            name="Dinas Kependudukan dan Pencatatan Sipil",
            authority_topics=["ktp elektronik", "kartu keluarga", "kia"],
        ),
        "rsud": AgencyFactory(
            slug="rsud-topik", name="RSUD Mas Amsyar", authority_topics=["rawat inap", "igd"]
        ),
        "closed": AgencyFactory(
            slug="dinas-lama", name="Dinas Lama", authority_topics=["puskesmas"], is_active=False
        ),
    }


def suggested(text, topics=(), exclude=()):
    return [(s.agency.name, s.matched) for s in suggest_agencies(text, topics, exclude=exclude)]


def test_suggest_agencies_ranks_by_matched_topics(authorities):
    text = "Jadwal IMUNISASI di Puskesmas Kasongan? Sekalian tanya KTP elektronik."
    assert suggested(text) == [
        ("Dinas Kesehatan", ("puskesmas", "imunisasi")),
        ("Dinas Kependudukan dan Pencatatan Sipil", ("ktp elektronik",)),
    ]
    # A topic given with the inquiry counts like its text.
    assert suggested("Mohon info", ["Kartu Keluarga", "KTP elektronik"])[0] == (
        "Dinas Kependudukan dan Pencatatan Sipil",
        ("ktp elektronik", "kartu keluarga"),
    )


def test_suggest_agencies_excludes_given_ids_and_inactive_agencies(authorities):
    text = "Puskesmas tutup, pasien dirujuk ke IGD."
    assert suggested(text) == [("Dinas Kesehatan", ("puskesmas",)), ("RSUD Mas Amsyar", ("igd",))]
    excluded = [authorities["dinkes"].pk, authorities["rsud"].pk]
    assert suggested(text, exclude=excluded) == []


def test_suggest_agencies_matches_whole_words(authorities):
    # "kia" (Kartu Identitas Anak) is not in "sekian", nor "igd" in "igdx".
    assert suggested("Sekian dan terima kasih, igdx") == []
    # ... but a word with an enclitic or punctuation around it still counts.
    assert suggested("Puskesmasnya buka jam berapa? (KIA)") == [
        ("Dinas Kependudukan dan Pencatatan Sipil", ("kia",)),
        ("Dinas Kesehatan", ("puskesmas",)),
    ]
    assert suggested("demam\nberdarah") == [("Dinas Kesehatan", ("demam berdarah",))]
