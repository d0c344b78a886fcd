"""Import of the posts of one official account from the CSV its platform exports.

Agencies can download their posts with the figures of each from the platform
(Meta Business Suite for Facebook and Instagram, X analytics), or fill in our own
generic template. Importing such a file records every row as a published post of
the account, with one reading of its comments, shares and forwards (Pasal 15
ayat (3)), without anyone retyping it.

The layouts are small declarations (:class:`ImportFormat`, collected in
:data:`FORMATS`): which header columns feed which field, which of them identify
the layout, how times are written. A new platform layout is a new declaration,
not new code. The layout is detected from the header (or forced by name).

All or nothing, in three steps like :mod:`inquiries.imports`:

1. :func:`parse` reads the bytes, detects the layout and keeps the cells of the
   mapped columns. A file that cannot be read at all raises :class:`ImportFileError`.
2. :func:`validate` checks every row against the account and returns either the
   clean rows or every error by row and column (:class:`RowError`). Row numbers are
   those a spreadsheet shows: the header is row 1; the column is the file's own
   column name, so the agency finds the cell in its file.
3. :func:`import_posts` writes a checked file in one transaction. It is keyed by
   the platform's post id: importing the same file again updates the posts (and
   that day's figures) instead of adding them twice.

It has to take a year of an active account's posts (100,000 rows) in seconds, so
nothing is written or read row by row: existing posts are fetched per chunk of
rows, new posts and their events are inserted in bulk, changed posts updated in
bulk, and the figures upserted with one ``INSERT … ON CONFLICT`` per batch on
the ``(post, read_on)`` unique constraint. One audit event records the import as
a whole (the file's SHA-256, its layout and the counts).
"""

import csv
import hashlib
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AccountStatus, OfficialAccount, Platform, User
from audit.services import audit_record

from .models import FigureSource, MediaType, Post, PostCategory, PostEvent, PostMetric, PostStatus
from .services import PostError, _require_agency_writer, check_length, normalise_tags

# Limits of a web upload. The command line passes its own, larger ones.
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
CLI_MAX_BYTES = 500 * 1024 * 1024
CLI_MAX_ROWS = 2_000_000

# Rows written per round of queries: bounds the memory of a large file without a
# query per row (one existing-post fetch, one insert, one update, one upsert each).
CHUNK_ROWS = 5000
BATCH_SIZE = 1000

ISO = "iso"  # a datetime format: ISO 8601, with or without its offset
WIB = "Asia/Jakarta"
_MAX_FIGURE = 2_147_483_647  # PositiveIntegerField
_FIGURES = ("comments", "shares", "forwards")


class ImportFileError(Exception):
    """The file as a whole cannot be read or imported; the message is for the user."""


@dataclass(frozen=True)
class ImportFormat:
    """One CSV layout: which header columns mean what, and how its cells are written.

    ``columns`` maps each field of a post to the header names that carry it, in
    order of preference (matched without regard to case or surrounding space); a
    layout that changed its names over the years lists both. The fields named in
    ``required`` must all be in the header: they identify the layout.

    Fields: ``platform_post_id``, ``published_at``, ``url``, ``text``, ``category``,
    ``media_type``, ``tags``, ``comments``, ``shares``, ``forwards``, ``read_on``,
    ``period`` (the span a platform's figures cover) and ``account_username`` (whose
    posts these are, when the export says).

    The encoding is not a property of a layout: it must be known before the header
    can be read. Every file is read as UTF-8 (with or without the byte-order mark
    Excel and Meta write) or as UTF-16 when it starts with a UTF-16 byte-order mark.
    """

    name: str
    label: str
    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    # Tried in order; ISO means datetime.fromisoformat. A format without %H gives a
    # date only: the post is placed at midnight and an existing post keeps its time.
    datetime_formats: tuple[str, ...]
    date_formats: tuple[str, ...] = ("%Y-%m-%d",)
    # Times written without an offset are in this zone.
    naive_timezone: str = WIB
    # Tried in order when the file does not say (an Excel "sep=;" first line does).
    delimiters: tuple[str, ...] = (",",)
    # The account platforms whose exports have this layout; empty: any.
    platforms: frozenset[str] = frozenset()
    # Fields filled from the longest of several present columns (Meta's caption is in
    # Title or in Description depending on the kind of post).
    longest_of: frozenset[str] = frozenset()
    # What a post id looks like; a rounded "1.22158E+17" is refused before this.
    id_pattern: str | None = None
    # An export leaves a cell empty for "none"; a hand-filled template must say 0.
    empty_figure_is_zero: bool = True
    # How figures are written: "1,234" and "14.0" in the platforms' US English
    # exports, "1.234" in a template saved by Excel set to Indonesian.
    thousands_separator: str = ","
    decimal_separator: str = "."
    text_required: bool = True
    # (keyword, media type): exact value, or the first keyword the value contains.
    media_types: tuple[tuple[str, str], ...] = ()
    media_match_exact: bool = False
    # The media type of an unknown value; None: an unknown value is an error.
    media_fallback: str | None = MediaType.TEXT
    # The values of the ``period`` column that mean lifetime totals.
    lifetime_values: tuple[str, ...] = ()

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.naive_timezone)

    @cached_property
    def id_regex(self) -> re.Pattern | None:
        return re.compile(self.id_pattern) if self.id_pattern else None

    @cached_property
    def figure_regex(self) -> re.Pattern:
        """A whole number: digits, grouped by thousands or not, perhaps with ``.0``."""
        thousands = re.escape(self.thousands_separator)
        decimal = re.escape(self.decimal_separator)
        return re.compile(rf"(-?)(\d{{1,3}}(?:{thousands}\d{{3}})+|\d+)(?:{decimal}0+)?")


GENERIC = ImportFormat(
    name="generic",
    label=gettext_lazy("Generic template of the portal"),
    columns={
        "platform_post_id": ("platform_post_id", "id_unggahan"),
        "published_at": ("published_at", "waktu_terbit"),
        "url": ("url", "tautan"),
        "text": ("text", "teks"),
        "category": ("category", "kategori"),
        "media_type": ("media_type", "jenis_media"),
        "tags": ("tags", "tagar"),
        "comments": ("comments", "komentar"),
        "shares": ("shares", "dibagikan"),
        "forwards": ("forwards", "diteruskan"),
        "read_on": ("read_on", "dibaca_pada"),
    },
    required=("platform_post_id", "published_at", "url", "text"),
    # Excel set to Indonesian rewrites times day first when it saves the template.
    datetime_formats=(ISO, "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d-%m-%Y %H:%M"),
    date_formats=("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"),
    delimiters=(",", ";"),
    empty_figure_is_zero=False,
    thousands_separator=".",
    decimal_separator=",",
    media_types=(
        ("text", MediaType.TEXT),
        ("teks", MediaType.TEXT),
        ("isi", MediaType.TEXT),
        ("image", MediaType.IMAGE),
        ("gambar", MediaType.IMAGE),
        ("foto", MediaType.IMAGE),
        ("photo", MediaType.IMAGE),
        ("video", MediaType.VIDEO),
        ("link", MediaType.LINK),
        ("tautan", MediaType.LINK),
        ("document", MediaType.DOCUMENT),
        ("dokumen", MediaType.DOCUMENT),
    ),
    media_match_exact=True,
    media_fallback=None,
)

META_BUSINESS_SUITE = ImportFormat(
    name="meta_business_suite",
    label=gettext_lazy("Meta Business Suite (Facebook, Instagram)"),
    columns={
        "platform_post_id": ("Post ID",),
        "published_at": ("Publish time",),
        "url": ("Permalink",),
        "text": ("Title", "Description"),
        "media_type": ("Post type",),
        "comments": ("Comments",),
        "shares": ("Shares",),
        "period": ("Date",),
        "account_username": ("Account username",),
    },
    required=("platform_post_id", "published_at", "url"),
    datetime_formats=("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", ISO),
    platforms=frozenset({Platform.FACEBOOK, Platform.INSTAGRAM}),
    longest_of=frozenset({"text"}),
    id_pattern=r"\d+(?:_\d+)?",
    # A photo posted without a caption is still a post the account published.
    text_required=False,
    media_types=(
        ("reel", MediaType.VIDEO),
        ("video", MediaType.VIDEO),
        ("live", MediaType.VIDEO),
        ("photo", MediaType.IMAGE),
        ("image", MediaType.IMAGE),
        ("carousel", MediaType.IMAGE),
        ("album", MediaType.IMAGE),
        ("link", MediaType.LINK),
        ("text", MediaType.TEXT),
        ("status", MediaType.TEXT),
    ),
    lifetime_values=("lifetime",),
)

X_ANALYTICS = ImportFormat(
    name="x_analytics",
    label=gettext_lazy("X analytics (posts)"),
    # The tweet activity export ("Tweet id", "time" with its offset) and the later
    # content export ("Post id", "Date" without a time) of analytics.x.com.
    columns={
        "platform_post_id": ("Tweet id", "Post id"),
        "url": ("Tweet permalink", "Post Link"),
        "text": ("Tweet text", "Post text"),
        "published_at": ("time", "Date"),
        "comments": ("replies",),
        "forwards": ("retweets", "Reposts"),
        "shares": ("Shares",),
    },
    required=("platform_post_id", "url", "text", "published_at"),
    datetime_formats=("%Y-%m-%d %H:%M %z", ISO, "%a, %b %d, %Y", "%b %d, %Y"),
    platforms=frozenset({Platform.X}),
    id_pattern=r"\d+",
)

FORMATS: dict[str, ImportFormat] = {f.name: f for f in (GENERIC, META_BUSINESS_SUITE, X_ANALYTICS)}

TEMPLATE_EXAMPLE = {
    "platform_post_id": "C9xKtg2PqLm",
    "published_at": "2026-11-28 09:15",
    "url": "https://www.instagram.com/p/C9xKtg2PqLm/",
    "text": "Posyandu balita serentak di Kecamatan Katingan Hilir, Sabtu 30 November "
    "pukul 08.00 WIB. #KatinganSehat @dinkes.katingan",
    "category": "kegiatan",
    "media_type": "image",
    "tags": "#KatinganSehat @dinkes.katingan",
    "comments": "12",
    "shares": "5",
    "forwards": "0",
    "read_on": "2026-11-30",
}


# --- Step 1: reading the file -------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the file's own column name, as inquiries.imports.RowError
    message: str


@dataclass(slots=True)
class RawRow:
    """The cells of one data row, by field; ``picked`` names the column a field was
    taken from when the layout reads it from several (otherwise its first)."""

    number: int
    values: dict[str, str]
    picked: dict[str, str] | None = None
    extra_cells: bool = False


@dataclass
class Parsed:
    format: ImportFormat
    header: list[str]
    # Field → the file's name of the column it is read from (the first, if several).
    columns: dict[str, str]
    rows: list[RawRow]
    digest: str

    def column_of(self, row: RawRow, field_name: str) -> str:
        if row.picked and field_name in row.picked:
            return row.picked[field_name]
        return self.columns.get(field_name, "")


def parse(
    file_bytes: bytes,
    *,
    format_name: str | None = None,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> Parsed:
    """Read a CSV export into rows of cells by field. Raises :class:`ImportFileError`."""
    if len(file_bytes) > max_bytes:
        raise ImportFileError(
            _("The file is larger than %(size)d MB; split it into smaller files.")
            % {"size": max_bytes // (1024 * 1024)}
        )
    if format_name is not None and format_name not in FORMATS:
        raise ImportFileError(
            _("“%(name)s” is not a known layout; the layouts are: %(names)s.")
            % {"name": format_name, "names": ", ".join(FORMATS)}
        )
    text = _decode(file_bytes)
    if "\x00" in text:
        raise ImportFileError(_("The file is not a CSV text file."))
    text, hint = _without_separator_hint(text)
    header_line = next((line for line in text.splitlines() if line.strip()), None)
    if header_line is None:
        raise ImportFileError(_("The file is empty."))
    forced = FORMATS[format_name] if format_name else None
    fmt, delimiter, header, found = _detect(header_line, hint=hint, forced=forced)
    rows = _read_rows(text, fmt, delimiter, header, found, max_rows)
    if not rows:
        raise ImportFileError(_("The file has a header but no rows."))
    columns = {name: header[indices[0]] for name, indices in found.items()}
    return Parsed(
        format=fmt,
        header=header,
        columns=columns,
        rows=rows,
        digest=hashlib.sha256(file_bytes).hexdigest(),
    )


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFileError(_("The file is not a CSV text file.")) from None
    try:
        # utf-8-sig drops the byte-order mark spreadsheet programs and Meta write.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _(
                "The file is not UTF-8 text (unreadable byte at position %(position)d). "
                "Save it as “CSV UTF-8” and try again."
            )
            % {"position": error.start}
        ) from None


def _without_separator_hint(text: str) -> tuple[str, str | None]:
    """Excel's optional first line ``sep=;`` names the delimiter; it is not a row."""
    first, _newline, rest = text.partition("\n")
    stripped = first.strip().strip('"')
    if stripped.lower().startswith("sep=") and len(stripped) == 5:
        return rest, stripped[4]
    return text, None


def _normal(name: str) -> str:
    return " ".join(name.split()).casefold()


def _resolve(fmt: ImportFormat, header: list[str]) -> dict[str, list[int]]:
    """Field → indices of the header columns that carry it, in order of preference."""
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        positions.setdefault(_normal(name), index)
    found = {}
    for field_name, names in fmt.columns.items():
        indices = [positions[_normal(n)] for n in names if _normal(n) in positions]
        if indices:
            found[field_name] = indices
    return found


def _missing(fmt: ImportFormat, found: dict[str, list[int]]) -> list[str]:
    return [fmt.columns[name][0] for name in fmt.required if name not in found]


def _detect(
    header_line: str, *, hint: str | None, forced: ImportFormat | None
) -> tuple[ImportFormat, str, list[str], dict[str, list[int]]]:
    """The layout (and delimiter) whose required columns are all in the header.

    With ``forced``, only that layout is tried. Otherwise the layouts are tried in the
    order of :data:`FORMATS`; their identifying columns do not overlap, so at most one
    matches. When none does, the message names the closest and what it lacks.
    """
    candidates = [forced] if forced else list(FORMATS.values())
    closest: tuple[int, ImportFormat, list[str]] | None = None
    for fmt in candidates:
        for delimiter in (hint,) if hint else fmt.delimiters:
            try:
                header = next(csv.reader([header_line], delimiter=delimiter))
            except (csv.Error, StopIteration):
                continue
            header = [cell.strip() for cell in header]
            found = _resolve(fmt, header)
            missing = _missing(fmt, found)
            if not missing:
                return fmt, delimiter, header, found
            present = len(fmt.required) - len(missing)
            if closest is None or present > closest[0]:
                closest = (present, fmt, missing)
    if forced:
        missing = closest[2] if closest else list(forced.required)
        raise ImportFileError(
            _("The header lacks the column(s) %(columns)s that the layout “%(layout)s” needs.")
            % {"columns": ", ".join(missing), "layout": forced.label}
        )
    layouts = ", ".join(str(f.label) for f in FORMATS.values())
    if closest is None or closest[0] == 0:
        raise ImportFileError(
            _(
                "The first row is not the header of a known layout (%(layouts)s). "
                "Upload the file as the platform exported it, or start from the template."
            )
            % {"layouts": layouts}
        )
    _present, fmt, missing = closest
    raise ImportFileError(
        _(
            "The header is not that of a known layout (%(layouts)s). It comes closest to "
            "“%(layout)s”, which also needs the column(s) %(columns)s."
        )
        % {"layouts": layouts, "layout": fmt.label, "columns": ", ".join(missing)}
    )


def _read_rows(
    text: str,
    fmt: ImportFormat,
    delimiter: str,
    header: list[str],
    found: dict[str, list[int]],
    max_rows: int,
) -> list[RawRow]:
    single = [(name, idx[0]) for name, idx in found.items() if name not in fmt.longest_of]
    several = [(name, idx) for name, idx in found.items() if name in fmt.longest_of]
    width = len(header)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[RawRow] = []
    number = 0
    try:
        for cells in reader:  # the records before the header are blank lines
            number += 1
            if any(cell.strip() for cell in cells):
                break
        for cells in reader:
            number += 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == max_rows:
                raise ImportFileError(
                    _("The file has more than %(count)d rows; split it into smaller files.")
                    % {"count": max_rows}
                )
            count = len(cells)
            values = {name: cells[i].strip() if i < count else "" for name, i in single}
            row = RawRow(number=number, values=values)
            for name, indices in several:
                options = [(cells[i].strip() if i < count else "", i) for i in indices]
                value, index = max(options, key=lambda option: len(option[0]))
                values[name] = value
                if index != indices[0]:
                    row.picked = {**(row.picked or {}), name: header[index]}
            if count > width and any(cell.strip() for cell in cells[width:]):
                row.extra_cells = True
            rows.append(row)
    except csv.Error as error:
        raise ImportFileError(
            _("The file is not valid CSV near row %(row)d: %(error)s")
            % {"row": number, "error": error}
        ) from None
    return rows


# --- Step 2: checking every row ------------------------------------------------------


@dataclass(slots=True)
class CleanRow:
    number: int
    platform_post_id: str
    published_at: datetime
    # False when the file gives the day only: an existing post keeps its time then.
    exact_time: bool
    url: str
    text: str
    category: str | None  # None: the row does not say (a new post takes the default)
    media_type: str | None  # None: the layout does not say (an existing post keeps its)
    tags: list[str]
    figures: tuple[int, int, int] | None  # comments, shares, forwards; None: no reading
    read_on: date


@dataclass
class Checked:
    """Either every row clean (``rows``) or the ``errors``; never both."""

    rows: list[CleanRow]
    errors: list[RowError]
    format: ImportFormat
    digest: str
    account_id: int
    default_category: str
    total_rows: int = 0


class _Invalid(Exception):
    """One cell's problem; the message is for the user."""


_SCIENTIFIC = re.compile(r"\d+(?:[.,]\d+)?[eE]\+?\d+")
# A hashtag or mention not inside a word, an e-mail address or a link.
_TAG = re.compile(r"(?<![\w@#/&.])[#@][^\W_][\w.]*", re.UNICODE)
_TAG_SPLIT = re.compile(r"[\s,;]+")


def validate(
    parsed: Parsed,
    *,
    account: OfficialAccount,
    default_category: str,
    today: date,
    now: datetime | None = None,
) -> Checked:
    """Check every row of ``parsed`` as a published post of ``account``.

    ``today`` is the local day the figures without a date of their own were read;
    a publication time after ``now`` (or, without ``now``, after ``today``) is refused.
    """
    fmt = parsed.format
    if default_category not in PostCategory.values:
        raise ImportFileError(
            _("“%(category)s” is not a category; the categories are: %(categories)s.")
            % {"category": default_category, "categories": ", ".join(PostCategory.values)}
        )
    if fmt.platforms and account.platform not in fmt.platforms:
        raise ImportFileError(
            _("A “%(layout)s” file cannot be imported into a %(platform)s account.")
            % {"layout": fmt.label, "platform": account.get_platform_display()}
        )
    checker = _RowChecker(parsed, account=account, today=today, now=now)
    rows: list[CleanRow] = []
    errors: list[RowError] = []
    for raw in parsed.rows:
        clean, row_errors = checker.check(raw)
        if row_errors:
            errors.extend(row_errors)
        elif not errors:
            rows.append(clean)
    return Checked(
        rows=[] if errors else rows,
        errors=errors,
        format=fmt,
        digest=parsed.digest,
        account_id=account.pk,
        default_category=default_category,
        total_rows=len(parsed.rows),
    )


class _RowChecker:
    """The rules of one file and account, applied row by row."""

    def __init__(self, parsed: Parsed, *, account, today: date, now: datetime | None):
        self.parsed = parsed
        self.fmt = parsed.format
        self.account = account
        self.today = today
        local = timezone.get_current_timezone()
        self.latest = now or datetime.combine(today + timedelta(days=1), time.min, tzinfo=local)
        self.present = set(parsed.columns)
        self.figure_fields = [name for name in _FIGURES if name in self.present]
        self.categories = _category_lookup()
        self.media = {key: value for key, value in self.fmt.media_types}
        self.handle = account.handle.lstrip("@").casefold()
        self.seen: dict[str, int] = {}
        self.url_validator = URLValidator(schemes=["http", "https"])

    def check(self, raw: RawRow) -> tuple[CleanRow | None, list[RowError]]:
        errors: list[RowError] = []
        values = raw.values
        results: dict[str, object] = {}

        def run(key: str, function, *args, column_of: str | None = None):
            try:
                results[key] = function(*args)
            except (_Invalid, PostError) as error:
                column = self.parsed.column_of(raw, column_of or key)
                errors.append(RowError(raw.number, column, str(error.args[0])))

        if raw.extra_cells:
            errors.append(
                RowError(raw.number, "", _("The row has more cells than the header has columns."))
            )
        run("platform_post_id", self._post_id, values["platform_post_id"], raw.number)
        run("published_at", self._moment, values["published_at"])
        run("url", self._url, values["url"])
        run("text", self._text, values.get("text", ""))
        run("category", self._category, values.get("category", ""))
        run("media_type", self._media_type, values.get("media_type"))
        if "tags" in self.present:
            run("tags", self._tags, values["tags"])
        elif "text" in results:
            run("tags", self._tags_in_text, results["text"], column_of="text")
        run("read_on", self._read_on, values.get("read_on", ""), results.get("published_at"))
        if "period" in self.present:
            run("period", self._period, values["period"])
        if "account_username" in self.present:
            run("account_username", self._username, values["account_username"])
        figures = self._figures(raw, errors)
        if errors:
            return None, errors
        published_at, exact = results["published_at"]
        return (
            CleanRow(
                number=raw.number,
                platform_post_id=results["platform_post_id"],
                published_at=published_at,
                exact_time=exact,
                url=results["url"],
                text=results["text"],
                category=results["category"],
                media_type=results["media_type"],
                tags=results.get("tags", []),
                figures=figures,
                read_on=results["read_on"],
            ),
            [],
        )

    # Each cleaner returns the clean value or raises _Invalid (or PostError).

    def _post_id(self, value: str, number: int) -> str:
        if not value:
            raise _Invalid(_("The post id on the platform is missing."))
        if _SCIENTIFIC.fullmatch(value):
            raise _Invalid(
                _(
                    "The post id “%(value)s” was rounded by a spreadsheet program. Import the "
                    "file as the platform exported it, without saving it from Excel."
                )
                % {"value": value}
            )
        regex = self.fmt.id_regex
        if len(value) > 100 or (regex is not None and not regex.fullmatch(value)):
            raise _Invalid(_("“%(value)s” is not a post id of this platform.") % {"value": value})
        first = self.seen.setdefault(value, number)
        if first != number:
            raise _Invalid(
                _("The post id %(value)s is already in row %(row)d.")
                % {"value": value, "row": first}
            )
        return value

    def _moment(self, value: str) -> tuple[datetime, bool]:
        if not value:
            raise _Invalid(_("The publication time is missing."))
        parsed = _parse_datetime(value, self.fmt)
        if parsed is None:
            raise _Invalid(
                _(
                    "“%(value)s” is not a date and time as this layout writes them "
                    "(for example %(example)s)."
                )
                % {"value": value, "example": _example(self.fmt)}
            )
        if parsed[0] > self.latest:
            raise _Invalid(_("The publication time cannot be in the future."))
        return parsed

    def _url(self, value: str) -> str:
        if not value:
            raise _Invalid(_("A published post needs its link."))
        try:
            if len(value) > 500:
                raise ValidationError("too long")
            self.url_validator(value)
        except ValidationError:
            raise _Invalid(_("“%(value)s” is not a web address.") % {"value": value}) from None
        return value

    def _text(self, value: str) -> str:
        value = value.replace("\r\n", "\n")  # a line break as Excel writes it
        if not value and self.fmt.text_required:
            raise _Invalid(_("A post needs a text."))
        check_length(self.account, value)
        return value

    def _category(self, value: str) -> str | None:
        if not value:
            return None
        category = self.categories.get(_normal(value.replace("_", " ").replace("-", " ")))
        if category is None:
            raise _Invalid(
                _("“%(value)s” is not a category; write one of %(categories)s.")
                % {"value": value, "categories": ", ".join(PostCategory.values)}
            )
        return category

    def _media_type(self, value: str | None) -> str | None:
        if value is None or not value:
            return None
        key = value.casefold()
        if self.fmt.media_match_exact:
            media = self.media.get(key)
        else:
            media = next((m for word, m in self.fmt.media_types if word in key), None)
        if media is None:
            media = self.fmt.media_fallback
        if media is None:
            raise _Invalid(
                _("“%(value)s” is not a media type; write one of %(types)s.")
                % {"value": value, "types": ", ".join(MediaType.values)}
            )
        return media

    def _tags(self, value: str) -> list[str]:
        return normalise_tags(_TAG_SPLIT.split(value))

    def _tags_in_text(self, text: str) -> list[str]:
        return normalise_tags(match.rstrip(".") for match in _TAG.findall(text))

    def _read_on(self, value: str, published: tuple[datetime, bool] | None) -> date:
        read_on = self.today
        if value:
            read_on = _parse_date(value, self.fmt)
            if read_on is None:
                raise _Invalid(
                    _("“%(value)s” is not a date (write it as YYYY-MM-DD).") % {"value": value}
                )
        if read_on > self.today or (
            published is not None and read_on < timezone.localdate(published[0])
        ):
            raise _Invalid(_("The figures must be read between publication and today."))
        return read_on

    def _period(self, value: str) -> str:
        if value and value.casefold() not in self.fmt.lifetime_values:
            raise _Invalid(
                _(
                    "Only lifetime figures can be imported, not those of “%(value)s”: choose "
                    "“Lifetime” when exporting."
                )
                % {"value": value}
            )
        return value

    def _username(self, value: str) -> str:
        if value and value.lstrip("@").casefold() != self.handle:
            raise _Invalid(
                _("This row is a post of @%(found)s, not of the account %(account)s.")
                % {"found": value.lstrip("@"), "account": self.account.handle}
            )
        return value

    def _figures(self, raw: RawRow, errors: list[RowError]) -> tuple[int, int, int] | None:
        """The row's comments, shares and forwards; None when the layout has none of
        the columns, or (in the template) all three cells are empty."""
        if not self.figure_fields:
            return None
        cells = {name: raw.values[name] for name in self.figure_fields}
        if not self.fmt.empty_figure_is_zero and not any(cells.values()):
            return None
        figures = dict.fromkeys(_FIGURES, 0)
        for name, value in cells.items():
            try:
                figures[name] = self._figure(value)
            except _Invalid as error:
                column = self.parsed.column_of(raw, name)
                errors.append(RowError(raw.number, column, str(error.args[0])))
        return figures["comments"], figures["shares"], figures["forwards"]

    def _figure(self, value: str) -> int:
        if not value:
            if self.fmt.empty_figure_is_zero:
                return 0
            raise _Invalid(_("The figure is missing; write 0 for none."))
        match = self.fmt.figure_regex.fullmatch(value)
        if match and match[1]:
            raise _Invalid(_("Figures cannot be negative."))
        if match:
            number = int(match[2].replace(self.fmt.thousands_separator, ""))
            if number <= _MAX_FIGURE:
                return number
        raise _Invalid(_("“%(value)s” is not a whole number.") % {"value": value})


def _parse_datetime(value: str, fmt: ImportFormat) -> tuple[datetime, bool] | None:
    """The moment and whether the value gave a time of day; None if unreadable."""
    for pattern in fmt.datetime_formats:
        try:
            if pattern == ISO:
                moment = datetime.fromisoformat(value)
                exact = len(value) > 10
            else:
                moment = datetime.strptime(value, pattern)  # noqa: DTZ007 (zone set below)
                exact = "%H" in pattern
        except ValueError:
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=fmt.zone)
        return moment, exact
    return None


def _parse_date(value: str, fmt: ImportFormat) -> date | None:
    for pattern in fmt.date_formats:
        try:
            return datetime.strptime(value, pattern).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    return None


def _example(fmt: ImportFormat) -> str:
    sample = datetime(2026, 11, 28, 9, 15, tzinfo=fmt.zone)
    pattern = fmt.datetime_formats[0]
    return "2026-11-28 09:15" if pattern == ISO else sample.strftime(pattern)


def _category_lookup() -> dict[str, str]:
    """A category by its value, its English or Indonesian label or a short name."""
    lookup = {
        "kegiatan": PostCategory.AGENCY_ACTIVITY,
        "isu": PostCategory.CURRENT_ISSUE,
        "isu aktual": PostCategory.CURRENT_ISSUE,
        "kebijakan": PostCategory.GOVERNMENT_POLICY,
    }
    for language in ("en", "id"):
        with translation.override(language):
            for category in PostCategory:
                lookup[_normal(str(category.label))] = category.value
    for category in PostCategory:
        lookup[_normal(category.value.replace("_", " "))] = category.value
    return lookup


# --- Step 3: writing -----------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    metrics: int
    unchanged: int = 0


_UPDATABLE = ("text", "url", "published_at", "media_type", "tags", "category")


def import_posts(
    checked: Checked, *, account: OfficialAccount, by: User, now: datetime
) -> ImportResult:
    """Write every checked row in one transaction: all of them, or none.

    A new platform post id becomes a published post with one ``import`` event; a
    known one (same account) has its text, link, time, media type and tags updated,
    keeping its category unless the row states one, and an ``import`` event naming
    the changed fields. Each row with figures upserts the post's reading of its day.
    """
    if checked.errors:
        raise ImportFileError(
            _("The file has %(count)d errors; nothing was imported.")
            % {"count": len(checked.errors)}
        )
    if checked.account_id != account.pk:
        raise ValueError("the file was checked for another account")
    _require_agency_writer(by, account.agency_id)
    if account.status != AccountStatus.ACTIVE:
        raise PostError(_("Posts can only be written for an active official account."))
    totals = {"created": 0, "updated": 0, "unchanged": 0, "metrics": 0}
    with transaction.atomic():
        for chunk in _chunks(checked.rows, CHUNK_ROWS):
            for key, count in _write_chunk(chunk, checked, account, by, now).items():
                totals[key] += count
        audit_record(
            actor=by,
            action="post_import",
            obj=account,
            agency_id=account.agency_id,
            changes={
                "sha256": checked.digest,
                "format": checked.format.name,
                "rows": len(checked.rows),
                **totals,
            },
            now=now,
        )
    return ImportResult(**totals)


def _chunks(rows: Sequence[CleanRow], size: int) -> Iterator[Sequence[CleanRow]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _existing_posts(account: OfficialAccount, ids: list[str]) -> dict[str, Post]:
    """The account's posts with these platform ids, locked for the update."""
    step = (connection.features.max_query_params or 10_000) - 10
    found: dict[str, Post] = {}
    for start in range(0, len(ids), step):
        # The excluded "" is the condition of the partial unique index on (account,
        # platform_post_id): stated, PostgreSQL uses that index for a long id list.
        posts = (
            Post.objects.select_for_update()
            .filter(account=account, platform_post_id__in=ids[start : start + step])
            .exclude(platform_post_id="")
            .only("platform_post_id", "status", "version", *_UPDATABLE)
            .order_by()
        )
        found.update((post.platform_post_id, post) for post in posts)
    return found


def _write_chunk(
    rows: Sequence[CleanRow], checked: Checked, account: OfficialAccount, by: User, now
) -> dict[str, int]:
    """Write one chunk of rows: a fixed handful of queries, whatever its size."""
    existing = _existing_posts(account, [row.platform_post_id for row in rows])
    new_posts: list[Post] = []
    changed: list[tuple[Post, list[str]]] = []
    post_of_row: list[Post] = []
    for row in rows:
        post = existing.get(row.platform_post_id)
        if post is None:
            post = _new_post(row, checked.default_category, account, by, now)
            new_posts.append(post)
        else:
            fields = _apply(post, row)
            if fields:
                post.version += 1
                changed.append((post, fields))
        post_of_row.append(post)
    Post.objects.bulk_create(new_posts, batch_size=BATCH_SIZE)
    if changed:
        fields = sorted({name for _post, names in changed for name in names})
        _update_posts([post for post, _names in changed], [*fields, "version"])
    _add_events(new_posts, changed, by, now)
    metrics = _upsert_figures(rows, post_of_row, by, now)
    return {
        "created": len(new_posts),
        "updated": len(changed),
        "unchanged": len(rows) - len(new_posts) - len(changed),
        "metrics": metrics,
    }


# Ids rather than objects in the constructors below: the related descriptors' bookkeeping
# is most of the cost of building a few hundred thousand instances.


def _new_post(row: CleanRow, default_category: str, account, by: User, now) -> Post:
    return Post(
        agency_id=account.agency_id,
        account_id=account.pk,
        category=row.category or default_category,
        text=row.text,
        tags=row.tags,
        media_type=row.media_type or MediaType.TEXT,
        status=PostStatus.PUBLISHED,
        published_at=row.published_at,
        url=row.url,
        platform_post_id=row.platform_post_id,
        created_by_id=by.pk,
        created_at=now,
    )


def _add_events(new_posts: list[Post], changed: list[tuple[Post, list[str]]], by, now) -> None:
    """An ``import`` event for each new post and each changed one (naming its fields)."""
    events = [
        PostEvent(
            post_id=post.pk,
            at=now,
            actor_id=by.pk,
            action="import",
            from_status="",
            to_status=PostStatus.PUBLISHED,
        )
        for post in new_posts
    ]
    events += [
        PostEvent(
            post_id=post.pk,
            at=now,
            actor_id=by.pk,
            action="import",
            from_status=post.status,
            to_status=post.status,
            note=", ".join(names),
        )
        for post, names in changed
    ]
    PostEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)


def _upsert_figures(rows: Sequence[CleanRow], posts: list[Post], by: User, now) -> int:
    """Each row's reading, replacing the post's reading of the same day if any."""
    metrics = [
        PostMetric(
            post_id=post.pk,
            read_on=row.read_on,
            comments=row.figures[0],
            shares=row.figures[1],
            forwards=row.figures[2],
            source=FigureSource.IMPORT,
            recorded_by_id=by.pk,
            recorded_at=now,
        )
        for row, post in zip(rows, posts, strict=True)
        if row.figures is not None
    ]
    PostMetric.objects.bulk_create(
        metrics,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["post", "read_on"],
        update_fields=["comments", "shares", "forwards", "source", "recorded_by", "recorded_at"],
    )
    return len(metrics)


def _update_posts(posts: list[Post], fields: list[str]) -> None:
    """Write ``fields`` of ``posts``: ``bulk_update`` on any database, and on PostgreSQL
    one ``UPDATE … FROM unnest(…)`` per batch instead. Django's bulk_update builds a
    ``CASE WHEN id = … THEN …`` per field and row, which costs about 0.6 ms a row in
    Python alone (a minute for 100,000 changed posts); the arrays cost a few µs."""
    if connection.vendor != "postgresql":
        Post.objects.bulk_update(posts, fields, batch_size=BATCH_SIZE)
        return
    model_fields = [Post._meta.get_field(name) for name in ["id", *fields]]
    columns = [connection.ops.quote_name(field.column) for field in model_fields]
    types = [field.db_type(connection).split("(")[0] for field in model_fields]
    assignments = ", ".join(f"{column} = v.{column}" for column in columns[1:])
    sql = (
        f"UPDATE {connection.ops.quote_name(Post._meta.db_table)} AS p SET {assignments} "  # noqa: S608 (names from the model)
        f"FROM unnest({', '.join(f'%s::{t}[]' for t in types)}) AS v({', '.join(columns)}) "
        f"WHERE p.{columns[0]} = v.{columns[0]}"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(posts), BATCH_SIZE):
            batch = posts[start : start + BATCH_SIZE]
            cursor.execute(
                sql,
                [
                    [
                        field.get_db_prep_save(getattr(post, field.attname), connection)
                        for post in batch
                    ]
                    for field in model_fields
                ],
            )


def _apply(post: Post, row: CleanRow) -> list[str]:
    """Set the row's values on an existing post; the names of the fields that changed."""
    values = {"text": row.text, "url": row.url, "tags": row.tags}
    if row.exact_time or timezone.localdate(post.published_at) != timezone.localdate(
        row.published_at
    ):
        values["published_at"] = row.published_at
    if row.media_type is not None:
        values["media_type"] = row.media_type
    if row.category is not None:
        values["category"] = row.category
    changed = []
    for name, value in values.items():
        if getattr(post, name) != value:
            setattr(post, name, value)
            changed.append(name)
    return changed


# --- The template --------------------------------------------------------------------


def template_columns() -> list[str]:
    return [names[0] for names in GENERIC.columns.values()]


def template_csv() -> str:
    """The generic template: its header and one example row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(template_columns())
    writer.writerow([TEMPLATE_EXAMPLE[name] for name in GENERIC.columns])
    return out.getvalue()


__all__ = [
    "CLI_MAX_BYTES",
    "CLI_MAX_ROWS",
    "FORMATS",
    "MAX_BYTES",
    "MAX_ROWS",
    "Checked",
    "CleanRow",
    "ImportFileError",
    "ImportFormat",
    "ImportResult",
    "Parsed",
    "RowError",
    "import_posts",
    "parse",
    "template_csv",
    "validate",
]
