"""Masking of citizens' personal data (UU 27/2022) and who sees it in full."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import AgencyFactory, UserFactory
from inquiries.privacy import handles_inquiry, mask_contact, mask_handle, mask_name
from inquiries.tests import factories as f
from inquiries.tests.factories import InquiryFactory


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("Budi Santoso", "B. S."),
        ("  Siti   Nur Aminah ", "S. N. A."),
        ("Yulianus", "Y."),
        ("@budisan", "@bu***"),
        ("@b", "@b***"),
        ("@", ""),
        ("", ""),
        ("   ", ""),
    ],
)
def test_mask_name(value, masked):
    assert mask_name(value) == masked


def test_mask_handle():
    assert mask_handle("@rina_ksg") == "@ri***"
    assert mask_handle("rina_ksg") == "@ri***"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("081234567789", "0812****789"),
        ("0812-3456-7789", "0812****789"),
        # The country code is normalised to the national form before masking.
        ("+62 812-3456-7789", "0812****789"),
        ("62 812 3456 7789", "0812****789"),
        ("(0536) 3221 045", "0536****045"),
        ("budi@contoh.id", "b***@contoh.id"),
        (" Budi.Santoso@Contoh.ID ", "B***@Contoh.ID"),
        ("12345", "***"),
        ("telepon saja", "***"),
        ("", ""),
        ("  ", ""),
    ],
)
def test_mask_contact(value, masked):
    assert mask_contact(value) == masked


def test_a_masked_contact_never_shows_the_middle_digits():
    for contact in ("081234567789", "+62 812-3456-7789", "6281234567789"):
        assert "3456" not in mask_contact(contact)


# --- Who sees the personal data in full ----------------------------------------------------


@pytest.fixture
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
@pytest.mark.usefixtures("_fast_passwords")
@pytest.mark.parametrize(
    ("who", "full"),
    [
        ("officer_a", True),  # the receiving agency
        ("pejabat_a", True),
        ("officer_b", True),  # forwarded to B, then re-routed: B handled it
        ("officer_c", True),  # holds it now
        ("officer_d", False),  # another agency
        ("evaluator", False),
        ("pimpinan", False),
        ("administrator", False),  # Diskominfo did not handle it
        ("outsider", False),
    ],
)
def test_handles_inquiry(cast, agency_a, officer_a, agency_b, officer_b, who, full):
    agency_c = AgencyFactory(slug="dinsos")
    officer_c = UserFactory(agency=agency_c, roles=[Role.PETUGAS])
    officer_d = UserFactory(agency=AgencyFactory(slug="dishub"), roles=[Role.PETUGAS])
    inquiry = f.bring_to(
        "rerouted",
        InquiryFactory(agency=agency_a, recorded_by=officer_a),
        receiver=officer_a,
        holders=[(officer_b, agency_b), (officer_c, agency_c)],
    )
    user = {**cast, "officer_c": officer_c, "officer_d": officer_d}[who]
    assert handles_inquiry(user, inquiry) is full


@pytest.mark.django_db
@pytest.mark.usefixtures("_fast_passwords")
def test_handles_inquiry_before_any_forwarding(agency_a, officer_a, officer_b):
    inquiry = InquiryFactory(agency=agency_a, recorded_by=officer_a)
    assert handles_inquiry(officer_a, inquiry)
    assert not handles_inquiry(officer_b, inquiry)
    officer_a.is_active = False
    assert not handles_inquiry(officer_a, inquiry)
