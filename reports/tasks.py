"""Building report PDFs in the background (Celery). Tasks take ids only."""

import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, close_old_connections, transaction

from katingan_sosmed import clock
from notifications.tasks import _backoff

from .models import ReportFile, ReportFileKind, ReportFileStatus

# The weekly reminders live with their rules; importing the task here registers it with
# the worker, which discovers ``tasks`` modules only.
from .reminders import send_reminders  # noqa: F401

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3


def file_name(report_file: ReportFile) -> str:
    if report_file.kind == ReportFileKind.REGENCY:
        return f"laporan-kabupaten-{report_file.year}.pdf"
    report = report_file.report
    return f"laporan-{report.agency.slug}-{report.year}-v{report_file.report_version}.pdf"


def build_report_file(file_id: int) -> bool:
    """Build one file's PDF; True if built now, False if it was already done (or gone).

    The row is claimed under a lock (pending or failed or a stale running → running),
    the PDF is built outside the lock, then stored and marked done. A failure marks the
    file failed with the error text; a database OperationalError is raised for a retry.
    """
    from .pdf import annual_report_pdf, regency_report_pdf

    with transaction.atomic():
        report_file = (
            ReportFile.objects.select_for_update(of=("self",))
            .select_related("report__agency")
            .filter(pk=file_id)
            .first()
        )
        if report_file is None or report_file.status == ReportFileStatus.DONE:
            return False
        report_file.status = ReportFileStatus.RUNNING
        report_file.error = ""
        report_file.save(update_fields=["status", "error"])
    now = clock.now()
    try:
        if report_file.kind == ReportFileKind.REGENCY:
            content = regency_report_pdf(report_file.year, now=now)
        else:
            content = annual_report_pdf(report_file.report, now=now)
    except OperationalError:
        raise
    except Exception as exc:  # noqa: BLE001 - recorded on the row for the user
        log.exception("report file %s failed", file_id)
        ReportFile.objects.filter(pk=file_id).update(
            status=ReportFileStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=clock.now(),
        )
        return False
    with transaction.atomic():
        locked = ReportFile.objects.select_for_update().get(pk=file_id)
        if locked.status == ReportFileStatus.DONE:  # a concurrent run finished first
            return False
        locked.document.save(file_name(report_file), ContentFile(content), save=False)
        locked.status = ReportFileStatus.DONE
        locked.finished_at = clock.now()
        locked.error = ""
        locked.save(update_fields=["document", "status", "finished_at", "error"])
    return True


@shared_task(
    bind=True,
    name="reports.build_file",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_ATTEMPTS,
)
def build_file(self, file_id: int) -> bool:
    """Build the PDF of one :class:`ReportFile`; safe to run twice (done stays done)."""
    try:
        return build_report_file(file_id)
    except (OperationalError, InterfaceError) as exc:
        # A lost database connection: drop it, so the retry opens a new one.
        close_old_connections()
        if self.request.retries >= MAX_ATTEMPTS:
            ReportFile.objects.filter(pk=file_id).exclude(status=ReportFileStatus.DONE).update(
                status=ReportFileStatus.FAILED, error=str(exc)[:2000], finished_at=clock.now()
            )
            raise
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
