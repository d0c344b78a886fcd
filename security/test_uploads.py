"""Uploads are judged by their content, not their name, and stored files are served only
to those who may read the record they belong to.

The upload fields of the portal (``grep FileField``): the decree scan
(``accounts.Decree.document``) and the SOP (``accounts.Sop.document``), both PDF, and the
CSV imports of inquiries (``inquiries.forms.ImportForm``) and of posts
(``publications.forms.PostImportForm``). ``reports.ReportFile.document`` is written by the
PDF task only, never uploaded.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Decree, Sop
from accounts.tests.registry_factories import PDF
from inquiries.models import Inquiry
from publications.models import Post

from .helpers import fetch

pytestmark = pytest.mark.django_db

# A ".pdf" that is something else. Each must be refused.
NOT_PDF = {
    "html": b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>",
    "html-after-spaces": b"   \n<html><script>alert(1)</script></html>",
    "windows-exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64,
    "elf": b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64,
    "zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 64,
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "pdf-header-only": b"%PDF-1.7\n<script>alert(1)</script>\n%%EOF",
    "empty": b"",
}
# A CSV that is something else. Each must be refused with a form error, never a 500.
NOT_CSV = {
    "windows-exe": NOT_PDF["windows-exe"],
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32,
    "pdf": PDF,
    "utf16-nul": "kanal,jenis\n".encode("utf-16"),
    "zip": NOT_PDF["zip"],
}


def _pdf(content: bytes, name: str = "sk.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _decree_data(number: str, document) -> dict:
    return {
        "number": number,
        "title": "Penunjukan pengelola media sosial",
        "signed_on": "2026-10-01",
        "valid_from": "2026-10-01",
        "valid_until": "2027-12-31",
        "document": document,
    }


def _stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()}


@pytest.mark.parametrize("kind", sorted(NOT_PDF))
def test_a_pdf_upload_that_is_not_a_pdf_is_refused(kind, world, clients):
    officer = clients["officer_a"]
    files_before = _stored_files()
    decrees, sops = Decree.objects.count(), Sop.objects.count()
    response = fetch(
        officer,
        reverse("accounts:decree_create"),
        "post",
        data=_decree_data(f"800/{kind}/2026", _pdf(NOT_PDF[kind])),
    )
    assert response.status_code == 200, "refused on the form, not saved"
    assert b"is-invalid" in response.body
    response = fetch(
        officer,
        reverse("accounts:sop_create"),
        "post",
        data={
            "title": "SOP",
            "effective_from": "2026-11-01",
            "document": _pdf(NOT_PDF[kind], "sop.pdf"),
        },
    )
    assert response.status_code == 200 and b"is-invalid" in response.body
    edit = fetch(
        officer,
        reverse("accounts:decree_edit", args=[world.a.decree.pk]),
        "post",
        data=_decree_data(world.a.decree.number, _pdf(NOT_PDF[kind])),
    )
    assert edit.status_code == 200 and b"is-invalid" in edit.body
    assert Decree.objects.get(pk=world.a.decree.pk).document.name == world.a.decree.document.name
    assert (Decree.objects.count(), Sop.objects.count()) == (decrees, sops)
    assert _stored_files() == files_before


def test_a_real_pdf_is_accepted_and_stored_under_a_generated_name(world, clients):
    """The refusals above are about the content: a real PDF, even with a hostile name,
    is accepted, stored under a generated name inside the media root."""
    response = fetch(
        clients["officer_a"],
        reverse("accounts:decree_create"),
        "post",
        data=_decree_data("800/ASLI/2026", _pdf(PDF, "../../../etc/cron.d/evil.pdf")),
    )
    assert response.status_code == 302
    decree = Decree.objects.get(number="800/ASLI/2026")
    stored = Path(decree.document.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert ".." not in decree.document.name and "evil" not in decree.document.name
    assert stored.read_bytes() == PDF


@pytest.mark.parametrize("kind", sorted(NOT_CSV))
def test_a_csv_import_that_is_not_text_is_refused(kind, world, clients):
    officer = clients["officer_a"]
    inquiries, posts = Inquiry.objects.count(), Post.objects.count()
    upload = SimpleUploadedFile("data.csv", NOT_CSV[kind], content_type="text/csv")
    response = fetch(officer, reverse("inquiries:import"), "post", data={"file": upload})
    assert response.status_code == 200 and b"is-invalid" in response.body
    upload = SimpleUploadedFile("data.csv", NOT_CSV[kind], content_type="text/csv")
    response = fetch(
        officer,
        reverse("publications:import"),
        "post",
        data={
            "account": world.a.account.pk,
            "file": upload,
            "format": "",
            "default_category": "kegiatan",
        },
    )
    assert response.status_code == 200 and b"is-invalid" in response.body
    assert (Inquiry.objects.count(), Post.objects.count()) == (inquiries, posts)


# --- Serving stored files ----------------------------------------------------------------


def _file_urls(world, side: str = "a") -> list[str]:
    records = getattr(world, side)
    return [
        reverse("accounts:decree_file", args=[records.decree.pk]),
        reverse("accounts:sop_file", args=[records.sop.pk]),
        reverse("reports:file_download", args=[records.report_file.pk]),
    ]


def test_stored_files_are_served_to_the_agency_as_private_downloads(world, clients):
    for url in _file_urls(world):
        response = fetch(clients["officer_a"], url)
        assert response.status_code == 200, url
        assert response.body.startswith(b"%PDF")
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("role", ["officer_b", "outsider", "anonymous"])
def test_stored_files_are_not_served_to_others(role, world, clients):
    for url in _file_urls(world):
        response = fetch(clients[role], url)
        expected = 302 if role == "anonymous" else 404
        assert response.status_code == expected, f"{role} {url}"
        assert not response.body.startswith(b"%PDF")


def test_the_regency_pdf_is_for_the_regency_roles_only(world, clients):
    url = reverse("reports:file_download", args=[world.regency_file.pk])
    for role in ("officer_a", "pejabat_a", "officer_b", "outsider"):
        assert fetch(clients[role], url).status_code == 404, role
    for role in ("evaluator", "pimpinan", "administrator"):
        assert fetch(clients[role], url).body.startswith(b"%PDF"), role


def test_the_media_folder_has_no_url(world, clients):
    """Uploaded files are never reachable by their storage path, whoever asks."""
    names = [world.a.decree.document.name, world.a.sop.document.name]
    for role in ("administrator", "officer_a", "anonymous"):
        for name in names:
            for url in (
                f"{settings.MEDIA_URL}{name}",
                f"/media/{name}",
                f"{settings.STATIC_URL}../media/{name}",
                f"{settings.STATIC_URL}%2e%2e/media/{name}",
            ):
                response = fetch(clients[role], url)
                assert response.status_code in (302, 404), f"{role} {url}"
                assert not response.body.startswith(b"%PDF"), f"{role} {url}"


def test_an_upload_larger_than_the_limit_is_refused(world, clients, settings):
    settings.REGISTRY_MAX_UPLOAD_BYTES = len(PDF) - 1
    response = fetch(
        clients["officer_a"],
        reverse("accounts:decree_create"),
        "post",
        data=_decree_data("800/BESAR/2026", _pdf(PDF)),
    )
    assert response.status_code == 200 and b"is-invalid" in response.body
    assert not Decree.objects.filter(number="800/BESAR/2026").exists()
