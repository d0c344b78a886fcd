"""Every table of an annual report as rows, for the page, the CSV and the XLSX export.

Each table is built from the report's figures (the frozen snapshot, or the live
compilation of a draft), so an export holds exactly what the report shows.
"""

import csv
import io
from collections.abc import Callable

from django.http import HttpResponse
from django.utils.translation import gettext as _

from accounts.viewkit import as_download, csv_cell
from inquiries.models import InquiryKind
from publications.models import PostCategory

Table = tuple[list[str], list[list[object]]]


def _accounts(f: dict) -> Table:
    return (
        [_("Platform"), _("Type (Lampiran A)"), _("Handle"), _("Status"), _("Decree")],
        [
            [a["platform"], a["type"], a["handle"], a["status"], a["decree"] or ""]
            for a in f["a"]["accounts"]
        ],
    )


def _decrees(f: dict) -> Table:
    return (
        [_("Decree number"), _("Title"), _("Valid from"), _("Valid until")],
        [
            [d["number"], d["title"], d["valid_from"], d["valid_until"] or ""]
            for d in f["a"]["decrees"]
        ],
    )


def _appointments(f: dict) -> Table:
    return (
        [_("Name"), _("Role"), _("Decree")],
        [[a["name"], a["role"], a["decree"] or ""] for a in f["a"]["appointments"]],
    )


def _categories(f: dict) -> Table:
    counts = f["c"]["by_category"]
    rows = [[str(label), counts[value]] for value, label in PostCategory.choices]
    rows.append([_("Total"), f["c"]["posts"]])
    return [_("Category (Pasal 10)"), _("Posts")], rows


def _kinds(f: dict) -> Table:
    kinds = f["d"]["inquiries_by_kind"]
    rows = [[_("Comments on the posts"), f["d"]["comments"]]]
    rows += [[str(label), kinds[value]] for value, label in InquiryKind.choices]
    rows.append([_("Inquiries received"), f["d"]["inquiries"]])
    return [_("Figure"), _("Count")], rows


def _shares(f: dict) -> Table:
    e = f["e"]
    return (
        [_("Figure"), _("Count")],
        [
            [_("Shares of the posts"), e["shares"]],
            [_("Posts published"), e["posts"]],
            [_("Answers to the public"), e["answers"]],
            [_("Messages sent"), e["messages_sent"]],
        ],
    )


def _audience(f: dict) -> Table:
    rows = [
        [a["platform"], a["handle"], a["followers_at_start"], a["followers"], a["growth"]]
        for a in f["b"]["accounts"]
    ]
    rows.append([_("Total"), "", f["b"]["total_at_start"], f["b"]["total"], ""])
    return [
        _("Platform"),
        _("Handle"),
        _("At the start of the year"),
        _("At the end of the year"),
        _("Growth"),
    ], rows


def _posts_by_month(f: dict) -> Table:
    header = [_("Month")] + [str(label) for label in PostCategory.labels] + [_("Total")]
    rows = [
        [row["month"]] + [row[c] for c in PostCategory.values] + [row["total"]]
        for row in f["c"]["by_month"]
    ]
    return header, rows


def _top_posts(f: dict) -> Table:
    return (
        [
            _("Published at"),
            _("Account"),
            _("Text"),
            _("Comments"),
            _("Shares"),
            _("Forwards (reposts)"),
            _("Link"),
        ],
        [
            [
                p["published_at"][:16].replace("T", " "),
                p["account"],
                p["text"],
                p["comments"],
                p["shares"],
                p["forwards"],
                p["url"],
            ]
            for p in f["c"]["top_posts"]
        ],
    )


def _topics(f: dict) -> Table:
    header = [_("Topic")] + [str(label) for label in InquiryKind.labels] + [_("Total")]
    rows = [
        [t["topic"] or _("(no topic)")]
        + [t["by_kind"][k] for k in InquiryKind.values]
        + [t["total"]]
        for t in f["d"]["topics"]
    ]
    return header, rows


def _forwarded(f: dict) -> Table:
    received, sent = f["f"]["received"], f["f"]["sent"]
    rate = received["on_time_rate"]
    return (
        [_("Figure"), _("Count")],
        [
            [_("Forwards (reposts) of the posts"), f["f"]["forwards"]],
            [_("Inquiries forwarded to other agencies"), sent["total"]],
            [_("… of which replied"), sent["replied"]],
            [_("Inquiries received from other agencies"), received["total"]],
            [_("… replied within 24 hours"), received["replied_on_time"]],
            [_("… replied late"), received["replied_late"]],
            [_("… open and overdue"), received["overdue_open"]],
            [_("Rate replied within 24 hours (%)"), "" if rate is None else round(rate * 100, 1)],
        ],
    )


def _recommendations(f: dict) -> Table:
    return (
        [
            _("Title"),
            _("Recommendation"),
            _("Follow-up plan"),
            _("Status"),
            _("Inquiries"),
            _("Posts"),
        ],
        [
            [r["title"], r["body"], r["follow_up"], r["status"], r["inquiries"], r["posts"]]
            for r in f["h"]["recommendations"]
        ],
    )


TABLES: dict[str, tuple[str, Callable[[dict], Table]]] = {
    "akun": ("a", _accounts),
    "keputusan": ("a", _decrees),
    "penunjukan": ("a", _appointments),
    "khalayak": ("b", _audience),
    "kategori": ("c", _categories),
    "unggahan-per-bulan": ("c", _posts_by_month),
    "unggahan-teratas": ("c", _top_posts),
    "jenis": ("d", _kinds),
    "topik": ("d", _topics),
    "sharing": ("e", _shares),
    "diteruskan": ("f", _forwarded),
    "rekomendasi": ("h", _recommendations),
}


def regency_table(figures: dict, statuses: dict) -> Table:
    """The regency report's table: one row per agency."""
    header = [
        _("Agency"),
        _("Annual report"),
        _("Posts"),
        _("Inquiries"),
        _("Forwardings received"),
        _("Replied within 24 hours"),
        _("Rate replied within 24 hours (%)"),
        _("Audience"),
    ]
    rows = [
        [
            row["name"],
            statuses.get(row["status"], _("Not started")),
            row["posts"],
            row["inquiries"],
            row["forwardings_received"],
            row["replied_on_time"],
            "" if row["on_time_rate"] is None else round(row["on_time_rate"] * 100, 1),
            row["audience"],
        ]
        for row in figures["rows"]
    ]
    return header, rows


def table(name: str, figures: dict) -> Table:
    return TABLES[name][1](figures)


def as_csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[csv_cell(cell) for cell in row] for row in rows])
    return "\ufeff" + out.getvalue()


def as_xlsx(title: str, header: list[str], rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([str(h) for h in header])
    for row in rows:
        # Text that a spreadsheet would run as a formula is kept as text.
        sheet.append([csv_cell(c) if isinstance(c, str) else c for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def response(stem: str, fmt: str, header: list[str], rows: list[list[object]]) -> HttpResponse:
    """A table as a CSV or XLSX download named ``<stem>.<fmt>``."""
    if fmt == "csv":
        body = HttpResponse(as_csv(header, rows), content_type="text/csv; charset=utf-8")
    else:
        body = HttpResponse(as_xlsx(stem.rsplit("-", 1)[-1], header, rows), content_type=XLSX)
    return as_download(body, f"{stem}.{fmt}")
