"""The NIP and PDF validators: every part of an NIP has its own message, and a PDF is
judged by its content, never by its name or the browser's content type."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from accounts.models import User
from accounts.validators import validate_nip, validate_pdf


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "sk.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def code_of(check, value) -> str:
    with pytest.raises(ValidationError) as caught:
        check(value)
    return caught.value.code


# --- NIP ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "199208172019032011",  # born 17-08-1992, CPNS March 2019, woman, no. 011
        "197905212005011004",  # born 21-05-1979, CPNS January 2005, man, no. 004
        "199208172009032011",  # appointed at 17, the earliest the rule allows
        "200002292019031001",  # born on a leap day
    ],
)
def test_valid_nips_pass(value):
    validate_nip(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("19920817201903201", "nip_format"),  # 17 digits
        ("1992081720190320111", "nip_format"),  # 19 digits
        ("", "nip_format"),
        ("19920817201903201A", "nip_format"),  # a letter
        ("19920817 201903 2 011", "nip_format"),  # spaces as printed on ID cards
        ("199208172019032０11", "nip_format"),  # a full-width digit
        ("١٩٩٢٠٨١٧٢٠١٩٠٣٢٠١١", "nip_format"),  # Arabic-Indic digits
        ("199213322019032011", "nip_birth_date"),  # month 13, day 32
        ("199202302019032011", "nip_birth_date"),  # 30 February
        ("199102292019032011", "nip_birth_date"),  # 29 February of a common year
        ("199208172019132011", "nip_appointment"),  # appointed in month 13
        ("199208172019002011", "nip_appointment"),  # appointed in month 0
        ("199208172008032011", "nip_appointment_year"),  # appointed at 16
        ("199208172005032011", "nip_appointment_year"),  # appointed before birth + 17
        ("195001012019031001", "nip_appointment_year"),  # appointed at 69
        ("199208172019033011", "nip_sex"),  # sex digit 3
        ("199208172019030011", "nip_sex"),  # sex digit 0
        ("199208172019032000", "nip_sequence"),  # sequence 000
    ],
)
def test_invalid_nips_name_the_part_that_is_wrong(value, code):
    assert code_of(validate_nip, value) == code


def test_each_nip_part_has_its_own_message():
    bad = {
        "nip_format": "19920817201903201A",
        "nip_birth_date": "199213322019032011",
        "nip_appointment": "199208172019132011",
        "nip_appointment_year": "199208172005032011",
        "nip_sex": "199208172019033011",
        "nip_sequence": "199208172019032000",
    }
    messages = set()
    for value in bad.values():
        with pytest.raises(ValidationError) as caught:
            validate_nip(value)
        messages.add(caught.value.messages[0])
    assert len(messages) == len(bad)


@pytest.mark.django_db
def test_the_user_model_runs_the_nip_validator():
    user = User(username="asn", nip="199208172019033011")
    with pytest.raises(ValidationError) as caught:
        user.full_clean()
    assert [error.code for error in caught.value.error_dict["nip"]] == ["nip_sex"]


# --- PDF ---------------------------------------------------------------------------


def test_a_real_pdf_is_accepted_and_left_rewound():
    document = upload(pdf_bytes())
    validate_pdf(document)
    assert document.tell() == 0
    assert document.read(5) == b"%PDF-"


def test_a_pdf_with_a_lying_name_and_content_type_is_still_accepted():
    validate_pdf(upload(pdf_bytes(), name="scan.jpg", content_type="image/jpeg"))


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"<html><script>alert(1)</script></html>", "sk.pdf", "not_pdf"),
        (b"", "sk.pdf", "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "sk.pdf", "not_pdf"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "sk.pdf", "not_pdf"),
        # The signature alone does not make a PDF.
        (b"%PDF-1.7\n" + b"garbage " * 200, "sk.pdf", "bad_pdf"),
        (b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n", "sk.pdf", "bad_pdf"),
        # A real PDF cut off half-way.
        (pdf_bytes()[:200], "sk.pdf", "bad_pdf"),
    ],
)
def test_files_that_are_not_readable_pdfs_are_rejected(content, name, code):
    assert code_of(validate_pdf, upload(content, name=name)) == code


def test_the_size_limit_is_inclusive(settings):
    content = pdf_bytes()
    settings.REGISTRY_MAX_UPLOAD_BYTES = len(content)
    validate_pdf(upload(content))
    settings.REGISTRY_MAX_UPLOAD_BYTES = len(content) - 1
    assert code_of(validate_pdf, upload(content)) == "too_large"


def test_the_size_is_checked_before_the_content_is_parsed(settings):
    settings.REGISTRY_MAX_UPLOAD_BYTES = 1_048_576
    oversized = upload(b"x" * (1_048_576 + 1))
    with pytest.raises(ValidationError) as caught:
        validate_pdf(oversized)
    assert caught.value.code == "too_large"
    assert caught.value.params == {"size": "1.0", "limit": "1"}
