"""Asking for a report PDF: one file per report version (or regency year), built by
:func:`reports.tasks.build_file` after the request's transaction commits."""

from datetime import datetime

from django.db import transaction

from accounts.models import User

from .models import AnnualReport, ReportFile, ReportFileKind, ReportFileStatus

REUSABLE = (ReportFileStatus.PENDING, ReportFileStatus.RUNNING, ReportFileStatus.DONE)


def request_file(
    *,
    report: AnnualReport | None = None,
    year: int | None = None,
    kind: str,
    by: User,
    now: datetime,
) -> ReportFile:
    """The file of ``report`` at its current version (``kind`` annual) or of the regency
    for ``year`` (``kind`` regency): an existing pending, running or done one is reused;
    otherwise a new one is created and its build enqueued on commit.

    A regency file is rebuilt once a day at most: a done one of the same local day is
    reused, since its figures change as data arrives.
    """
    from django.utils import timezone

    from .tasks import build_file

    if kind == ReportFileKind.ANNUAL:
        if report is None:
            raise ValueError("an annual file needs its report")
        lookup = {"kind": kind, "report": report, "report_version": report.version}
        year = report.year
    elif kind == ReportFileKind.REGENCY:
        if year is None or report is not None:
            raise ValueError("a regency file needs a year and no report")
        lookup = {"kind": kind, "report": None, "year": year}
    else:
        raise ValueError(f"unknown kind {kind!r}")
    with transaction.atomic():
        candidates = ReportFile.objects.select_for_update().filter(status__in=REUSABLE, **lookup)
        if kind == ReportFileKind.REGENCY:
            day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
            candidates = candidates.exclude(status=ReportFileStatus.DONE, finished_at__lt=day_start)
        existing = candidates.order_by("-requested_at", "-pk").first()
        if existing is not None:
            return existing
        report_file = ReportFile.objects.create(
            kind=kind,
            report=report,
            year=year,
            report_version=report.version if report is not None else 0,
            requested_by=by,
            requested_at=now,
        )
        file_id = report_file.pk
        transaction.on_commit(lambda: build_file.delay(file_id))
    return report_file
