"""The record of processing is generated from the running settings and the models."""

import subprocess

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "record.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_every_signed_in_user_reads_what_is_processed_why_where_and_how_long(
    client, officer_a, settings
):
    settings.PERSONAL_DATA_RETENTION_DAYS = 1095
    client.force_login(officer_a)
    page = client.get(reverse("privacy:processing_record"))
    assert page.status_code == 200
    body = page.content.decode()
    activities = page.context["activities"]
    assert len(activities) >= 5
    first = activities[0]
    # From the models' verbose names, in the active language.
    assert len(first.data) == 4
    assert "inquiries_inquiry" in first.stored_in
    assert "1095" in first.retention and "3" in first.retention
    assert "02:30" in first.retention
    assert "1095" in body


def test_a_changed_setting_changes_the_record(client, officer_a, settings):
    client.force_login(officer_a)
    settings.SUBJECT_REQUEST_HOURS = 48
    settings.SIGN_IN_LOG_RETENTION_DAYS = 30
    activities = client.get(reverse("privacy:processing_record")).context["activities"]
    texts = " ".join(a.purpose + a.retention for a in activities)
    assert "48" in texts and "72" not in texts
    assert any(a.retention.startswith("30 ") for a in activities)


def test_the_record_as_pdf(client, officer_a, settings, tmp_path):
    settings.PERSONAL_DATA_RETENTION_DAYS = 730
    client.force_login(officer_a)
    response = client.get(reverse("privacy:processing_record_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert "KATINGAN" in text
    assert "730" in text
    assert "inquiries_inquiry" in text


def test_the_record_needs_sign_in(client):
    response = client.get(reverse("privacy:processing_record"))
    assert (
        response.status_code == 302
        and "/masuk/" in response["Location"]
        or "login" in (response["Location"])
    )
