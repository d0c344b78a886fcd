"""The CSV import: reading the file (encoding, delimiter, limits), checking every row
before anything is written, and all-or-nothing import through the views."""

import csv
import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.models import Platform
from accounts.tests.factories import OfficialAccountFactory
from inquiries import imports
from inquiries.models import Inquiry, InquiryEvent

pytestmark = pytest.mark.django_db

# 09:00 WIB on Monday 2 March 2026.
NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
HEADER = "channel,kind,author,contact,text,source_url,received_at,topics"


@pytest.fixture(autouse=True)
def _fast_fixed_english(settings, time_machine, client):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    time_machine.move_to(NOW, tick=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # The assertions read the English source strings, whatever the translation says.
    with translation.override("en"):
        yield


@pytest.fixture
def channel_a(agency_a):
    return OfficialAccountFactory(agency=agency_a, handle="@dinkes.katingan")


def row(n: int, **overrides) -> str:
    values = {
        "channel": "@dinkes.katingan",
        "kind": "pertanyaan",
        "author": f"Warga {n}",
        "contact": "",
        "text": f"Pertanyaan nomor {n} tentang jadwal posyandu?",
        "source_url": "",
        "received_at": "2026-03-01 10:15",
        "topics": "posyandu, gizi",
    }
    values.update(overrides)
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values.values())
    return buffer.getvalue().rstrip("\r\n")


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return "\n".join([header, *rows]).encode(encoding) + b"\n"


def upload(data: bytes, name: str = "pertanyaan.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


# --- Reading the file --------------------------------------------------------------------


def test_a_byte_order_mark_and_semicolons_are_understood():
    data = (
        "\ufeffchannel;kind;author;text;received_at\n"
        "@a;saran;Budi;Jalan rusak, mohon;2026-03-01 08:00\n"
    )
    parsed = imports.parse_csv(data.encode())
    assert parsed.rows == [
        (
            2,
            {
                "channel": "@a",
                "kind": "saran",
                "author_name": "Budi",
                "text": "Jalan rusak, mohon",
                "received_at": "2026-03-01 08:00",
            },
        )
    ]


def test_indonesian_column_names_are_accepted():
    data = "akun,jenis,nama,teks,diterima\n@a,kritik,Budi,Lambat,2026-03-01 08:00\n"
    assert imports.parse_csv(data.encode()).rows[0][1]["author_name"] == "Budi"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"channel,kind\n\xff\xfe\x00bad", "not UTF-8"),
        ("channel,kind,author\n".encode("utf-16"), "not UTF-8"),
        (b"", "empty"),
        (b"\n\n", "empty"),
        (csv_bytes(), "no rows"),
        (b"channel,kind,author\n@a,saran,Budi\n", "lacks the column(s) text, received_at"),
        (b"\x00" * 10, "not a CSV"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(data, message):
    with pytest.raises(imports.ImportFileError, match=re.escape(message)):
        imports.parse_csv(data)


def test_size_and_row_limits(monkeypatch):
    with pytest.raises(imports.ImportFileError, match="larger than 2 MB"):
        imports.parse_csv(b"x" * (imports.MAX_BYTES + 1))
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    imports.parse_csv(csv_bytes(row(1), row(2), row(3)))
    with pytest.raises(imports.ImportFileError, match="more than 3 rows"):
        imports.parse_csv(csv_bytes(row(1), row(2), row(3), row(4)))


def test_blank_lines_are_skipped_and_rows_keep_spreadsheet_numbers():
    parsed = imports.parse_csv(csv_bytes(row(1), "", ",,,,,,,", row(2)))
    assert [number for number, _values in parsed.rows] == [2, 5]


# --- Checking every row --------------------------------------------------------------------


def test_every_bad_row_is_reported_by_row_and_column(agency_a, channel_a, agency_b):
    OfficialAccountFactory(agency=agency_b, handle="@disdukcapil")
    parsed = imports.parse_csv(
        csv_bytes(
            row(1),
            row(2, kind="pujian"),
            row(3, received_at="01/03/2026"),
            row(4, channel="@disdukcapil"),  # another agency's account
            row(5, text="   "),
            row(6, received_at="2026-03-02 10:00"),  # after NOW (09:00 WIB)
            row(7, source_url="javascript:alert(1)"),
            row(8) + ",sel-berlebih",
        )
    )
    result = imports.validate_rows(parsed, agency=agency_a, now=NOW)
    assert result.rows == []
    assert {(error.row, error.column) for error in result.errors} == {
        (3, "kind"),
        (4, "received_at"),
        (5, "channel"),
        (6, "text"),
        (7, "received_at"),
        (8, "source_url"),
        (9, ""),
    }
    by_row = {error.row: error.message for error in result.errors}
    assert "not an active official account of your agency" in by_row[5]
    assert by_row[7] == "The time received cannot be in the future."


def test_kind_is_case_insensitive_and_a_handle_without_at_matches(agency_a, channel_a):
    parsed = imports.parse_csv(csv_bytes(row(1, kind="Kritik", channel="DINKES.katingan")))
    result = imports.validate_rows(parsed, agency=agency_a, now=NOW)
    assert result.errors == []
    cleaned = result.rows[0][1]
    assert cleaned["kind"] == "kritik" and cleaned["channel"] == channel_a
    assert cleaned["received_at"] == dt.datetime(2026, 3, 1, 3, 15, tzinfo=dt.UTC)  # WIB
    assert cleaned["topics"] == ["posyandu", "gizi"]


def test_the_platform_column_tells_apart_accounts_with_one_handle(agency_a, channel_a):
    OfficialAccountFactory(agency=agency_a, handle="@dinkes.katingan", platform=Platform.FACEBOOK)
    header = HEADER + ",platform"
    ambiguous = imports.parse_csv(csv_bytes(row(1) + ",", header=header))
    errors = imports.validate_rows(ambiguous, agency=agency_a, now=NOW).errors
    assert [(e.row, e.column) for e in errors] == [(2, "platform")]
    clear = imports.parse_csv(csv_bytes(row(1) + ",Instagram", header=header))
    result = imports.validate_rows(clear, agency=agency_a, now=NOW)
    assert result.rows[0][1]["channel"] == channel_a


# --- Through the view ----------------------------------------------------------------------


def test_a_valid_file_imports_every_row_once(client, agency_a, channel_a, officer_a):
    client.force_login(officer_a)
    data = csv_bytes(*(row(n) for n in range(1, 8)))
    response = client.post(reverse("inquiries:import"), {"file": upload(data)}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["7 inquiries were imported."]
    assert Inquiry.objects.filter(agency=agency_a, recorded_by=officer_a).count() == 7
    assert InquiryEvent.objects.filter(action="record").count() == 7
    # The same file again records nothing twice.
    response = client.post(reverse("inquiries:import"), {"file": upload(data)}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "0 inquiries were imported. 7 rows had been imported before and were skipped."
    ]
    assert Inquiry.objects.count() == 7


def test_one_bad_row_imports_nothing_and_names_the_row(client, agency_a, channel_a, officer_a):
    client.force_login(officer_a)
    data = csv_bytes(
        row(1),
        row(2, kind="pujian"),
        row(3, received_at="kemarin"),
        row(4, channel="@tidak.ada"),
        row(5, text=""),
        row(6),
    )
    response = client.post(reverse("inquiries:import"), {"file": upload(data)})
    assert response.status_code == 200
    assert not Inquiry.objects.exists()
    html = response.content.decode()
    assert "Nothing was imported" in html
    for number, column in [(3, "kind"), (4, "received_at"), (5, "channel"), (6, "text")]:
        assert f'data-row="{number}" data-column="{column}"' in html


def test_invalid_utf8_is_a_clear_error(client, agency_a, channel_a, officer_a):
    client.force_login(officer_a)
    data = csv_bytes(row(1, author="José Ramírez"), encoding="latin-1")
    response = client.post(reverse("inquiries:import"), {"file": upload(data)})
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors and "not UTF-8" in errors[0]
    assert not Inquiry.objects.exists()


def test_an_oversized_upload_is_refused(client, agency_a, channel_a, officer_a):
    client.force_login(officer_a)
    data = csv_bytes(row(1)) + b"#" * imports.MAX_BYTES
    response = client.post(reverse("inquiries:import"), {"file": upload(data)})
    assert "larger than 2 MB" in response.context["form"].errors["file"][0]
    assert not Inquiry.objects.exists()


def test_the_template_downloads_and_imports_as_it_is(client, agency_a, channel_a, officer_a):
    client.force_login(officer_a)
    response = client.get(reverse("inquiries:import_template"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    assert content.startswith("\ufeff".encode())
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",") == imports.TEMPLATE_COLUMNS
    assert len(lines) == 2 and "@dinkes.katingan" in lines[1]
    client.post(reverse("inquiries:import"), {"file": upload(content)})
    inquiry = Inquiry.objects.get()
    assert inquiry.channel == channel_a and inquiry.kind == "pertanyaan"


def test_a_read_only_role_cannot_import(client, evaluator, channel_a):
    client.force_login(evaluator)
    response = client.post(reverse("inquiries:import"), {"file": upload(csv_bytes(row(1)))})
    assert response.status_code == 403
    assert not Inquiry.objects.exists()
