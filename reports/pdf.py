"""The printed annual report (Pasal 15 ayat 3) and the regency summary, as PDF.

HTML is rendered by Django templates (autoescaped: narrative and registry text are
user text and are never marked safe) and turned into PDF by WeasyPrint. WeasyPrint
fetches nothing but the portal's own static files: :class:`StaticOnlyFetcher` refuses
every other URL, so an ``<img src="http://…">`` typed into a narrative (escaped anyway)
or any stray reference can never make the server call out.

The figures are the report's frozen ``snapshot`` once submitted; a draft prints a
preview computed now by :func:`reports.compile.compile_report`.
"""

import datetime as dt
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from inquiries.models import InquiryKind
from katingan_sosmed import clock
from publications.models import PostCategory

from . import charts
from .compile import report_figures
from .models import FACILITIES, SECTIONS, AnnualReport, Evaluation, ReportStatus

PLACE = "Kasongan"


# --- Fetching: the static files and nothing else ---------------------------------------


def static_roots() -> list[Path]:
    """The folders WeasyPrint may read from: the static dirs and the collected root."""
    roots = [Path(p) for p in getattr(settings, "STATICFILES_DIRS", ())]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots]


def base_url() -> str:
    """The folder relative URLs of the PDF templates resolve against (``reports/pdf.css``)."""
    found = finders.find("reports/pdf.css")
    folder = Path(found).resolve().parent.parent if found else static_roots()[0]
    return folder.as_uri() + "/"


def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        """Serves ``data:`` URIs and ``file://`` paths inside the static folders; refuses
        (and records in ``refused``) everything else."""

        def __init__(self, roots: list[Path]):
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
            self.roots = roots
            self.refused: list[str] = []
            self.fetched: list[str] = []

        def fetch(self, url, headers=None):
            if not self._allowed(url):
                self.refused.append(url)
                raise ValueError(f"refused to fetch {url!r}: outside the portal's static files")
            self.fetched.append(url)
            return super().fetch(url, headers)

        def _allowed(self, url: str) -> bool:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return True
            if scheme != "file":
                return False
            parts = urlsplit(url)
            if parts.netloc not in ("", "localhost"):
                return False
            path = Path(unquote(parts.path)).resolve()
            return any(path.is_relative_to(root) for root in self.roots)

    return StaticOnlyFetcher


def url_fetcher():
    """A new fetcher limited to the static files (it records what it refused)."""
    return _fetcher_class()(static_roots())


def html_to_pdf(html: str, *, fetcher=None) -> bytes:
    import weasyprint

    fetcher = fetcher or url_fetcher()
    return weasyprint.HTML(string=html, base_url=base_url(), url_fetcher=fetcher).write_pdf()


# --- Formatting helpers ----------------------------------------------------------------


def _day(value) -> dt.date | None:
    """A date from an ISO string, a date or an aware datetime (in WIB)."""
    if not value:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date()
    return value


def long_date(value) -> str:
    """``5 Januari 2027`` (in the active language); empty for no date."""
    day = _day(value)
    return date_format(day, "j F Y") if day else ""


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _sections() -> list[dict]:
    return [{"letter": letter, "label": str(label)} for letter, label in SECTIONS.items()]


# --- The annual report -----------------------------------------------------------------


def annual_report_context(report: AnnualReport, *, now: dt.datetime | None = None) -> dict:
    """Everything the annual template prints, numbers still numbers (the template
    formats them) except rates and dates, formatted here. Call with the id locale on."""
    now = now or clock.now()
    preview = not report.snapshot
    figures = report_figures(report, now=now)
    a, b, c, d = figures["a"], figures["b"], figures["c"], figures["d"]
    e, f, h = figures["e"], figures["f"], figures["h"]
    categories = [(key, str(label)) for key, label in PostCategory.choices]
    kinds = [(key, str(label)) for key, label in InquiryKind.choices]

    months = []
    for row in c["by_month"]:
        first = dt.date(report.year, row["month"], 1)
        months.append(
            {
                "name": date_format(first, "F"),
                "short": date_format(first, "M"),
                "counts": [row.get(key, 0) for key, _label_ in categories],
                "total": row["total"],
            }
        )
    received = f["received"]
    try:
        evaluation = report.evaluation
    except Evaluation.DoesNotExist:
        evaluation = None
    evaluation_rows = []
    if evaluation is not None:
        for section in _sections():
            entry = evaluation.sections.get(section["letter"]) or {}
            if entry.get("findings") or entry.get("recommendations") or entry.get("score"):
                evaluation_rows.append({**section, **entry})
    signer = report.submitted_by
    return {
        "report": report,
        "preview": preview,
        "year": report.year,
        "agency_name": figures["agency"]["name"] if figures.get("agency") else report.agency.name,
        "status": _label(ReportStatus, report.status),
        "document_date": long_date(report.submitted_at or now),
        "compiled_at": long_date(figures.get("compiled_at")),
        "printed_at": long_date(now),
        "sections": {s["letter"]: s for s in _sections()},
        "section_list": _sections(),
        "a": {
            **a,
            "decrees": [
                {
                    **row,
                    "valid_from": long_date(row["valid_from"]),
                    "valid_until": long_date(row["valid_until"]),
                }
                for row in a["decrees"]
            ],
            "sop": {**a["sop"], "effective_from": long_date(a["sop"]["effective_from"])}
            if a.get("sop")
            else None,
        },
        "b": {
            **b,
            "chart": charts.horizontal_bars(
                title=_("Audience per account, 31 December %(year)s") % {"year": report.year},
                rows=[
                    (f"{row['platform']} {row['handle']}", row["followers"])
                    for row in b["accounts"]
                ],
            )
            if b["accounts"]
            else "",
        },
        "c": {
            "posts": c["posts"],
            "categories": [label for _key, label in categories],
            "by_category": [(label, c["by_category"].get(key, 0)) for key, label in categories],
            "months": months,
            "month_totals": [sum(m["counts"][i] for m in months) for i in range(len(categories))],
            "chart": charts.stacked_bars(
                title=_("Posts published per month, by category"),
                categories=[m["short"] for m in months],
                series=[
                    (label, [m["counts"][i] for m in months])
                    for i, (_key, label) in enumerate(categories)
                ],
            ),
            "top_posts": [
                {
                    **post,
                    "published_at": long_date(post["published_at"]),
                    "category": _label(PostCategory, post["category"]),
                }
                for post in c["top_posts"]
            ],
        },
        "d": {
            "comments": d["comments"],
            "inquiries": d["inquiries"],
            "kinds": [label for _key, label in kinds],
            "by_kind": [(label, d["inquiries_by_kind"].get(key, 0)) for key, label in kinds],
            "topics": [
                {
                    "topic": row["topic"] or _("(no topic)"),
                    "counts": [row["by_kind"].get(key, 0) for key, _label_ in kinds],
                    "total": row["total"],
                }
                for row in d["topics"]
            ],
        },
        "e": e,
        "f": {
            "forwards": f["forwards"],
            "sent": f["sent"],
            "received": received,
            "on_time_rate": charts.percent(received["on_time_rate"]),
        },
        "g": {
            "external": report.constraints_external,
            "internal": report.constraints_internal,
            "facilities": [
                {"label": str(label), "present": bool(report.facilities.get(key))}
                for key, label in FACILITIES.items()
            ],
        },
        "h": {"text": report.recommendations_text, "recommendations": h["recommendations"]},
        "evaluation": evaluation,
        "evaluation_rows": evaluation_rows,
        "evaluation_completed": long_date(evaluation.completed_at) if evaluation else "",
        "signer": {
            "name": signer.get_full_name() if signer else "",
            "nip": getattr(signer, "nip", "") if signer else "",
            "date": long_date(report.submitted_at) if report.submitted_at else "",
        },
        "place": PLACE,
    }


def annual_report_html(report: AnnualReport, *, now: dt.datetime | None = None) -> str:
    with translation.override("id"):
        return render_to_string("reports/pdf/annual.html", annual_report_context(report, now=now))


def annual_report_pdf(
    report: AnnualReport, *, now: dt.datetime | None = None, fetcher=None
) -> bytes:
    return html_to_pdf(annual_report_html(report, now=now), fetcher=fetcher)


# --- The regency report ----------------------------------------------------------------


def regency_report_html(year: int, *, now: dt.datetime) -> str:
    from .regency import compile_regency

    with translation.override("id"):
        data = compile_regency(year, now=now)
        rows = data["rows"]
        context = {
            **data,
            "printed_at": long_date(now),
            "audience_on": long_date(data["audience_on"]),
            "rows": [
                {
                    **row,
                    "status": _label(ReportStatus, row["status"])
                    if row["status"]
                    else _("Not started"),
                    "on_time_rate": charts.percent(row["on_time_rate"]),
                }
                for row in rows
            ],
            "total_rate": charts.percent(data["totals"]["on_time_rate"]),
            "rate_chart": charts.horizontal_bars(
                title=_("Forwardings replied within 24 hours, per agency"),
                rows=[(row["short_name"] or row["name"], row["on_time_rate"]) for row in rows],
                value_format=charts.percent,
                axis_max=1,
            ),
            "audience_chart": charts.horizontal_bars(
                title=_("Audience per agency"),
                rows=[(row["short_name"] or row["name"], row["audience"]) for row in rows],
            ),
        }
        return render_to_string("reports/pdf/regency.html", context)


def regency_report_pdf(year: int, *, now: dt.datetime, fetcher=None) -> bytes:
    return html_to_pdf(regency_report_html(year, now=now), fetcher=fetcher)
