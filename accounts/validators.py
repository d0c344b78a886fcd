"""Validators for registry data: the NIP and uploaded PDF documents."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

NIP_LENGTH = 18


def validate_nip(value: str) -> None:
    """Check an NIP (Nomor Induk Pegawai) of a civil servant.

    Its 18 digits are: date of birth (YYYYMMDD), month of appointment as CPNS
    (YYYYMM), sex (1 man, 2 woman) and a three-digit sequence number. Each part
    gets its own message so the officer can see which part was mistyped.
    """
    # str.isdigit() also accepts non-ASCII digits (full-width, Arabic-Indic, superscripts);
    # those would slip past the unique constraint as a second spelling of the same NIP.
    if not (value.isascii() and value.isdigit()) or len(value) != NIP_LENGTH:
        raise ValidationError(
            _("An NIP consists of exactly 18 digits, without spaces or dots."), code="nip_format"
        )
    try:
        born = dt.date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise ValidationError(
            _("Digits 1–8 of the NIP must be a valid date of birth (YYYYMMDD)."),
            code="nip_birth_date",
        ) from None
    appointed_year, appointed_month = int(value[8:12]), int(value[12:14])
    if not 1 <= appointed_month <= 12:
        raise ValidationError(
            _("Digits 9–14 of the NIP must be the year and month of appointment (YYYYMM)."),
            code="nip_appointment",
        )
    if not born.year + 17 <= appointed_year <= born.year + 60:
        raise ValidationError(
            _("The year of appointment in the NIP does not fit the date of birth."),
            code="nip_appointment_year",
        )
    if value[14] not in "12":
        raise ValidationError(
            _("Digit 15 of the NIP must be 1 (man) or 2 (woman)."), code="nip_sex"
        )
    if value[15:18] == "000":
        raise ValidationError(
            _("The last three digits of the NIP are a sequence number from 001."),
            code="nip_sequence",
        )


PDF_MAGIC = b"%PDF-"


def validate_pdf(upload: UploadedFile) -> None:
    """Accept only a real PDF within the size limit, judged by its content.

    The name and the browser's content type are not trusted: the file must start
    with the PDF signature and parse as a PDF with at least one page.
    """
    from pypdf import PdfReader

    limit = settings.REGISTRY_MAX_UPLOAD_BYTES
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB."),
            code="too_large",
            params={
                "size": f"{upload.size / 1_048_576:.1f}",
                "limit": f"{limit / 1_048_576:.0f}",
            },
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if not head.lstrip().startswith(PDF_MAGIC):
        raise ValidationError(
            _("The file is not a PDF document (its content is not PDF, whatever its name)."),
            code="not_pdf",
        )
    try:
        pages = len(PdfReader(upload, strict=False).pages)
    # A crafted file can make the parser raise almost anything (IndexError,
    # AttributeError, RecursionError, a warning turned into an error...): all of
    # them mean "not a readable PDF", never a server error.
    except Exception:  # noqa: BLE001
        pages = 0
    finally:
        upload.seek(0)
    if pages == 0:
        raise ValidationError(
            _("The PDF cannot be read (damaged or not a real PDF)."), code="bad_pdf"
        )
