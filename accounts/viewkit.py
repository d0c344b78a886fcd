"""Small helpers shared by the list and form views of every app.

Pagination, Bootstrap styling of forms, django-filter wiring, safe ``next``
redirects and the choice of the agency a new record belongs to (from the
user's scope, never from the request body).
"""

import csv
import datetime as dt
from collections.abc import Iterable, Iterator

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme

from .access import get_for_user, scope_for, visible_agencies
from .models import Agency

PAGE_SIZE = 25
PAGE_PARAM = "halaman"


# A list counts at most this many rows: past it, "more than 10,000" is all a person
# needs, and counting a million rows on every page view is what makes lists slow.
COUNT_CAP = 10_000
# Past this many rows a page is found by its keys first (see CappedPaginator.page_rows).
DEFERRED_JOIN_OFFSET = 200


class WindowPage(Page):
    @property
    def window(self):
        """The page numbers to link: the first, the last and two either side of this
        one, with ``…`` between (a few links, however many pages)."""
        return self.paginator.get_elided_page_range(self.number, on_each_side=2, on_ends=1)


class CappedPaginator(Paginator):
    """A paginator whose count stops at :data:`COUNT_CAP` + 1 (``capped`` then), whose
    pages know their :attr:`WindowPage.window` of links, and which reads a deep page of a
    queryset by its keys first (:meth:`page_rows`). With ``values``, a page of a queryset
    holds dictionaries of those fields instead of model instances."""

    cap = COUNT_CAP

    def __init__(self, object_list, per_page, *, values: tuple[str, ...] | None = None, **kw):
        super().__init__(object_list, per_page, **kw)
        self.values = values

    def _get_page(self, object_list, number, paginator) -> WindowPage:
        return WindowPage(self.page_rows(object_list), number, paginator)

    def page_rows(self, page_slice):
        """The rows of one page: ``page_slice`` is the list sliced for it.

        ``OFFSET 975`` over the full rows walks 1,000 of them with every join; the keys
        alone come from the index of the ordering (an index-only scan), and only the 25
        rows of the page are then read with their joins, in the same order. A queryset
        with annotations, DISTINCT or extra() is read as it is.
        """
        if not isinstance(page_slice, QuerySet):
            return page_slice
        query = page_slice.query
        if (
            query.low_mark < DEFERRED_JOIN_OFFSET
            or query.annotations
            or query.distinct
            or query.extra
            or not query.order_by
        ):
            return page_slice.values(*self.values) if self.values else page_slice
        rows = page_slice.model._base_manager.filter(pk__in=page_slice.values("pk"))
        if self.values:
            rows = rows.values(*self.values)
        else:
            rows.query.select_related = query.select_related
            rows.query.deferred_loading = query.deferred_loading
        return rows.order_by(*query.order_by)

    @cached_property
    def count(self) -> int:
        self.cap = self.cap  # the cap this count used, whatever the class says later
        if isinstance(self.object_list, QuerySet):
            # Without its ORDER BY: counting needs no order, and an index scan stops early.
            return self.object_list.order_by()[: self.cap + 1].count()
        return len(self.object_list)

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def paginate(
    request: HttpRequest,
    queryset: QuerySet,
    per_page: int = PAGE_SIZE,
    *,
    values: tuple[str, ...] | None = None,
) -> WindowPage:
    paginator = CappedPaginator(queryset, per_page, values=values)
    return paginator.get_page(request.GET.get(PAGE_PARAM))


def style_form(form: forms.BaseForm) -> forms.BaseForm:
    """Bootstrap classes on every widget; uploads are plain PDF pickers.

    A ``ClearableFileInput`` would link to the stored file by its media URL, which
    is never served: the document is downloaded through its own view instead.
    """
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.ClearableFileInput):
            field.widget = forms.FileInput(attrs={"accept": "application/pdf,.pdf"})
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            # RadioSelect includes CheckboxSelectMultiple: each option is a check box.
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
        widget.attrs["class"] = css
    return form


def filter_data(request: HttpRequest):
    """The query string as a filter form's data, or None when it holds only the page
    number: page 40 of an unfiltered list is the unfiltered list, and an unbound form is
    neither built nor validated."""
    return request.GET if any(key != PAGE_PARAM for key in request.GET) else None


def filtered(
    request: HttpRequest, filter_class, queryset: QuerySet, *, today: dt.date
) -> tuple[object, Page]:
    filterset = filter_class(filter_data(request), queryset, request=request, today=today)
    page = paginate(request, filterset.qs)
    return filterset, page


def safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def agency_for_create(request: HttpRequest) -> Agency | None:
    """The agency a new record belongs to, or None when an administrator must choose.

    A petugas or pejabat writes for their own agency (any ``instansi`` parameter is
    ignored); a read-only role, or a user without a role, may not create (403).
    """
    scope = scope_for(request.user)
    if not scope.can_write:
        raise PermissionDenied
    if scope.all_agencies:
        slug = request.GET.get("instansi")
        if not slug:
            return None
        return get_for_user(
            Agency.objects.all(), request.user, write=True, agency_lookup="pk", slug=slug
        )
    return get_for_user(
        Agency.objects.all(), request.user, write=True, agency_lookup="pk", pk=scope.agency_id
    )


def choose_agency(request: HttpRequest, *, title: str) -> HttpResponse:
    agencies = visible_agencies(request.user).filter(is_active=True)
    return render(request, "accounts/agency_choose.html", {"title": title, "agencies": agencies})


# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    """A file-like object whose ``write`` returns what it was given (for streaming)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable[object], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The lines of a CSV file: a byte-order mark first (spreadsheets then read UTF-8),
    the header, then every row with each cell neutralised by :func:`csv_cell`."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([str(cell) for cell in header])
    for row in rows:
        yield writer.writerow([csv_cell(cell) for cell in row])


def stream_csv(
    filename: str, header: Iterable[object], rows: Iterable[Iterable[object]]
) -> StreamingHttpResponse:
    """A private CSV download, written row by row as ``rows`` yields them."""
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    return as_download(response, filename)


def local_text(value: dt.datetime | None) -> str:
    """``2026-06-15 09:00`` in WIB, for a cell of an export; empty for no time."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def as_download(response: HttpResponseBase, filename: str | None = None) -> HttpResponseBase:
    """Mark ``response`` as a private download: an attachment named ``filename`` (when
    given), never content-sniffed, never cached."""
    if filename is not None:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def stored_file_response(
    document: FieldFile, filename: str, content_type: str = "application/pdf"
) -> FileResponse:
    """Send a stored file as a download, never rendered inline and never cached; 404
    when the file is gone."""
    try:
        handle = document.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    return as_download(response)
