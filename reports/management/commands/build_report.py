"""Build a report PDF now, without Celery:

manage.py build_report --agency SLUG --year YYYY --output FILE.pdf
manage.py build_report --regency --year YYYY --output FILE.pdf
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from katingan_sosmed import clock
from reports.models import AnnualReport
from reports.pdf import annual_report_pdf, regency_report_pdf


class Command(BaseCommand):
    help = "Build an agency's annual report PDF, or the regency report PDF, synchronously."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--agency", metavar="SLUG", help="the agency's slug")
        target.add_argument("--regency", action="store_true", help="the regency report")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--output", required=True, metavar="FILE.pdf")

    def handle(self, *args, agency, regency, year, output, **options):
        now = clock.now()
        started = time.monotonic()
        if regency:
            content = regency_report_pdf(year, now=now)
        else:
            report = (
                AnnualReport.objects.select_related("agency", "submitted_by")
                .filter(agency__slug=agency, year=year)
                .first()
            )
            if report is None:
                raise CommandError(f"Agency {agency!r} has no report for {year}.")
            content = annual_report_pdf(report, now=now)
        path = Path(output)
        path.write_bytes(content)
        self.stdout.write(f"{path} ({len(content):,} bytes, {time.monotonic() - started:.1f} s)")
