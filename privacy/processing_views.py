"""The record of processing, as a page and a PDF; every signed-in user may read it."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.viewkit import as_download
from katingan_sosmed import clock
from reports.pdf import html_to_pdf, long_date

from .processing import processing_record


def _context() -> dict:
    return {"activities": processing_record(), "today": long_date(timezone.localdate(clock.now()))}


@login_required
@require_GET
def record(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/processing_record.html", _context())


@login_required
@require_GET
def record_pdf(request: HttpRequest) -> HttpResponse:
    pdf = html_to_pdf(render_to_string("privacy/processing_record_pdf.html", _context()))
    response = HttpResponse(pdf, content_type="application/pdf")
    return as_download(response, "catatan-pemrosesan-data-pribadi.pdf")
