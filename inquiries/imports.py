"""CSV import of inquiries collected elsewhere (a spreadsheet, a listening tool).

All or nothing: :func:`parse_csv` reads the file, :func:`validate_rows` checks
every row with the record form's rules (:class:`inquiries.forms.InquiryRowForm`);
only when no row has an error does :func:`import_rows` record them all, in one
transaction, through :func:`inquiries.flow.inquiry_record`. Each row carries an
idempotency key made of the file's hash and its row number, so sending the same
file again records nothing twice.

Row numbers are those a spreadsheet shows: the header is row 1, the first
inquiry row 2.
"""

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Agency, User

from . import flow
from .forms import InquiryRowForm, active_channels

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

# Column name → form field. The Indonesian names are accepted as well.
COLUMNS: dict[str, str] = {
    "channel": "channel",
    "kanal": "channel",
    "akun": "channel",
    "platform": "platform",
    "kind": "kind",
    "jenis": "kind",
    "author": "author_name",
    "penulis": "author_name",
    "nama": "author_name",
    "contact": "author_contact",
    "kontak": "author_contact",
    "text": "text",
    "teks": "text",
    "isi": "text",
    "source_url": "source_url",
    "tautan": "source_url",
    "received_at": "received_at",
    "diterima": "received_at",
    "topics": "topics",
    "topik": "topics",
}
# The template's header, in this order.
TEMPLATE_COLUMNS = [
    "channel",
    "platform",
    "kind",
    "author",
    "contact",
    "text",
    "source_url",
    "received_at",
    "topics",
]
REQUIRED_FIELDS = ("channel", "kind", "author_name", "text", "received_at")
FIELD_COLUMN = {
    "channel": "channel",
    "platform": "platform",
    "kind": "kind",
    "author_name": "author",
    "author_contact": "contact",
    "text": "text",
    "source_url": "source_url",
    "received_at": "received_at",
    "topics": "topics",
}


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Parsed:
    """The rows of a file, each a ``(row number, {form field: value})`` pair."""

    rows: list[tuple[int, dict[str, str]]]
    digest: str


@dataclass
class Validated:
    rows: list[tuple[int, dict]]
    errors: list[RowError]


def _decode(data: bytes) -> str:
    try:
        # utf-8-sig drops the byte-order mark spreadsheet programs write.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _(
                "The file is not UTF-8 text (unreadable byte at position %(position)d). "
                "Save it as “CSV UTF-8” and try again."
            )
            % {"position": error.start}
        ) from None


def _delimiter(header_line: str) -> str:
    """Spreadsheets set to Indonesian write ``;`` (the comma is the decimal sign)."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def parse_csv(data: bytes) -> Parsed:
    """Read an uploaded file into rows of form data. Raises :class:`ImportFileError`."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)d MB; split it into smaller files.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    text = _decode(data)
    if "\x00" in text:
        raise ImportFileError(_("The file is not a CSV text file."))
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    header_line = text.lstrip("\r\n").splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line))
    try:
        header = next(reader)
        while not any(cell.strip() for cell in header):
            header = next(reader)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    except csv.Error as error:
        raise ImportFileError(
            _("The file is not valid CSV: %(error)s") % {"error": error}
        ) from None
    names = [cell.strip().lower() for cell in header]
    fields = [COLUMNS.get(name) for name in names]
    missing = [FIELD_COLUMN[f] for f in REQUIRED_FIELDS if f not in fields]
    if missing:
        raise ImportFileError(
            _("The header lacks the column(s) %(columns)s. Start from the template.")
            % {"columns": ", ".join(missing)}
        )
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %(count)d rows; split it into smaller files.")
                    % {"count": MAX_ROWS}
                )
            values: dict[str, str] = {}
            for name, value in zip(fields, cells, strict=False):
                if name is not None:
                    values[name] = value.strip()
            if len(cells) > len(fields) and any(cell.strip() for cell in cells[len(fields) :]):
                values["__extra__"] = "1"
            rows.append((number, values))
    except csv.Error as error:
        raise ImportFileError(
            _("The file is not valid CSV near row %(row)d: %(error)s")
            % {"row": reader.line_num, "error": error}
        ) from None
    if not rows:
        raise ImportFileError(_("The file has a header but no rows."))
    return Parsed(rows=rows, digest=hashlib.sha256(data).hexdigest())


def validate_rows(parsed: Parsed, *, agency: Agency, now: datetime) -> Validated:
    """Check every row; the result holds either every cleaned row or the errors."""
    channels = list(active_channels(agency))
    cleaned_rows: list[tuple[int, dict]] = []
    errors: list[RowError] = []
    for number, values in parsed.rows:
        if values.pop("__extra__", None):
            errors.append(
                RowError(number, "", _("The row has more cells than the header has columns."))
            )
            continue
        data = dict(values)
        if "kind" in data:
            data["kind"] = data["kind"].lower()
        form = InquiryRowForm(data, agency=agency, now=now, channels=channels)
        if form.is_valid():
            cleaned_rows.append((number, form.cleaned_data))
            continue
        for name, messages in form.errors.items():
            column = FIELD_COLUMN.get(name, "")
            for message in messages:
                errors.append(RowError(number, column, message))
    return Validated(rows=[] if errors else cleaned_rows, errors=errors)


@dataclass(frozen=True)
class ImportResult:
    created: int
    existing: int


def import_rows(
    validated: Validated, *, parsed: Parsed, agency: Agency, by: User, now: datetime
) -> ImportResult:
    """Record every validated row in one transaction: all of them, or none."""
    if validated.errors:
        raise ValueError("import_rows needs a file without errors")
    created = existing = 0
    with transaction.atomic():
        for number, row in validated.rows:
            _inquiry, was_created = flow.inquiry_record(
                agency=agency,
                channel=row["channel"],
                kind=row["kind"],
                author_name=row["author_name"],
                author_contact=row["author_contact"],
                text=row["text"],
                source_url=row["source_url"],
                received_at=row["received_at"],
                topics=row["topics"],
                by=by,
                now=now,
                idempotency_key=f"csv:{parsed.digest[:40]}:{number}",
            )
            created += was_created
            existing += not was_created
    return ImportResult(created=created, existing=existing)


def template_rows(example_handle: str, example_platform: str) -> Iterator[list[str]]:
    """The downloadable template: the header and one example row."""
    yield TEMPLATE_COLUMNS
    yield [
        example_handle,
        example_platform,
        "pertanyaan",
        "Budi Santoso",
        "081234567890",
        "Bagaimana cara mengurus KTP elektronik yang hilang?",
        "https://www.instagram.com/p/contoh/",
        "2026-03-02 08:30",
        "ktp, adminduk",
    ]
