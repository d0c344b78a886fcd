"""Pages of the publications app: posts and their approval path, figures, the month
calendar, the platform import, audience snapshots, feedback analysis and
recommendations for follow-up.

Reads go through :mod:`publications.selectors` (scoped by :mod:`accounts.access`);
each write parses a form, calls one service and redirects. State changes are
POST-only; a refusal of a service becomes a message on the page.
"""

import calendar
import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import get_for_user, scope_for, visible_agencies
from accounts.models import Agency
from accounts.roles import APPROVER_ROLES
from accounts.viewkit import (
    agency_for_create,
    as_download,
    choose_agency,
    filter_data,
    filtered,
    local_text,
    paginate,
    stream_csv,
    style_form,
)
from inquiries import figures as inquiry_figures
from inquiries.models import InquiryKind
from katingan_sosmed import clock

from . import figures, imports, services
from .filters import PostFilter, RecommendationFilter
from .forms import (
    AudienceForm,
    MetricForm,
    PeriodForm,
    PostForm,
    PostImportForm,
    PublishForm,
    RecommendationForm,
    ReturnForm,
)
from .models import Post, PostCategory, PostStatus
from .selectors import audience_for, latest_figures, posts_for, recommendations_for

MAX_REPORTED_ERRORS = 100
LEGAL_NOTE = gettext_lazy("Legal basis: Pasal 8 huruf e, Pasal 10, Pasal 12, Lampiran A")


def _today() -> dt.date:
    return timezone.localdate(clock.now())


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """A datetime typed in a form (WIB) as an aware datetime."""
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value)


def _page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """Render a publications page; the section navigation needs to know whether the
    user may write (the import entry)."""
    return render(request, template, {"can_write": scope_for(request.user).can_write, **context})


def _is_approver(user) -> bool:
    return bool(user.roles & APPROVER_ROLES)


def _post_for(request: HttpRequest, pk: int, *, write: bool = False) -> Post:
    return get_for_user(
        posts_for(request.user).select_related("created_by"), request.user, write=write, pk=pk
    )


def _refused(request: HttpRequest, error: services.PostError) -> None:
    messages.error(request, str(error))


def _work_first(posts):
    """Posts not yet out (the work at hand) first, then the latest published."""
    return posts.order_by(F("published_at").desc(nulls_first=True), "-created_at", "-pk")


# --- Posts ----------------------------------------------------------------------------


@login_required
@require_GET
def post_list(request: HttpRequest) -> HttpResponse:
    queryset = _work_first(latest_figures(posts_for(request.user)))
    filterset, page = filtered(request, PostFilter, queryset, today=_today())
    return _page(
        request,
        "publications/post_list.html",
        {
            "filterset": filterset,
            "page": page,
            "can_create": scope_for(request.user).can_write,
        },
    )


@login_required
@require_GET
def post_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered post list as CSV, every row (not one page), with the latest figures."""
    queryset = _work_first(latest_figures(posts_for(request.user)))
    filterset = PostFilter(filter_data(request), queryset, request=request, today=_today())
    posts = filterset.qs.select_related("account", "agency")
    header = [
        _("Agency"),
        _("Platform"),
        _("Account"),
        _("Category (Pasal 10)"),
        _("Status"),
        _("Text"),
        _("Hashtags and mentions"),
        _("Media type"),
        _("Planned for (WIB)"),
        _("Published at (WIB)"),
        _("Link to the post"),
        _("Post id on the platform"),
        _("Figures read on"),
        _("Comments"),
        _("Shares"),
        _("Forwards (reposts)"),
    ]
    rows = (
        [
            post.agency.name,
            post.account.get_platform_display(),
            post.account.handle,
            post.get_category_display(),
            post.get_status_display(),
            post.text,
            " ".join(post.tags),
            post.get_media_type_display(),
            local_text(post.planned_at),
            local_text(post.published_at),
            post.url,
            post.platform_post_id,
            post.last_read_on.isoformat() if post.last_read_on else "",
            post.last_comments,
            post.last_shares,
            post.last_forwards,
        ]
        for post in posts.iterator(chunk_size=2000)
    )
    return stream_csv("publikasi.csv", header, rows)


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request: HttpRequest) -> HttpResponse:
    agency = agency_for_create(request)
    if agency is None:
        return choose_agency(request, title=_("New post"))
    form = PostForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.post_draft(
                account=data["account"],
                category=data["category"],
                text=data["text"],
                tags=form.tag_list(),
                media_type=data["media_type"],
                planned_at=_aware(data["planned_at"]),
                by=request.user,
                now=clock.now(),
            )
        except services.PostError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("publications:post_detail", post.pk)
    return _page(
        request,
        "publications/post_form.html",
        {
            "form": style_form(form),
            "agency": agency,
            "title": _("New post"),
            "legal_note": LEGAL_NOTE,
            "cancel_url": reverse("publications:post_list"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_for(request, pk, write=True)
    form = PostForm(request.POST or None, agency=post.agency, post=post)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.post_edit(
                post=post,
                by=request.user,
                now=clock.now(),
                text=data["text"],
                category=data["category"],
                tags=form.tag_list(),
                media_type=data["media_type"],
                planned_at=_aware(data["planned_at"]),
            )
        except services.PostError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The post was saved."))
            return redirect("publications:post_detail", post.pk)
    return _page(
        request,
        "publications/post_form.html",
        {
            "form": style_form(form),
            "agency": post.agency,
            "post": post,
            "title": _("Edit post"),
            "legal_note": LEGAL_NOTE,
            "return_note": _return_note(post),
            "cancel_url": reverse("publications:post_detail", args=[post.pk]),
        },
    )


@login_required
@require_GET
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_for(request, pk)
    can_write = scope_for(request.user).may_write_agency(post.agency_id)
    status = post.status
    today = _today()
    return _page(
        request,
        "publications/post_detail.html",
        {
            "post": post,
            "events": post.events.select_related("actor"),
            "metrics": post.metrics.select_related("recorded_by").order_by("-read_on"),
            "recommendations": post.recommendations.all(),
            "return_note": _return_note(post),
            "can_edit": can_write and status in (PostStatus.DRAFT, PostStatus.RETURNED),
            "can_decide": can_write
            and status == PostStatus.SUBMITTED
            and _is_approver(request.user),
            "can_publish": can_write and status == PostStatus.APPROVED,
            "can_record": can_write and status == PostStatus.PUBLISHED,
            "needs_approval": services.requires_approval(post.agency_id),
            "return_form": style_form(ReturnForm()),
            "publish_form": style_form(
                PublishForm(
                    initial={"published_at": timezone.localtime(clock.now()).replace(tzinfo=None)}
                )
            ),
            "metric_form": style_form(MetricForm(initial={"read_on": today})),
        },
    )


def _return_note(post: Post) -> str:
    """The pejabat's note when the post is back for changes."""
    if post.status != PostStatus.RETURNED:
        return ""
    event = post.events.filter(action="return").order_by("-at", "-pk").first()
    return event.note if event else ""


def _step(request: HttpRequest, pk: int, run, success: str) -> HttpResponse:
    post = _post_for(request, pk, write=True)
    try:
        run(post)
    except services.PostError as error:
        _refused(request, error)
    else:
        messages.success(request, success)
    return redirect("publications:post_detail", post.pk)


@login_required
@require_POST
def post_submit(request: HttpRequest, pk: int) -> HttpResponse:
    def run(post: Post) -> None:
        services.post_submit(post=post, by=request.user, now=clock.now())

    return _step(request, pk, run, _("The post was sent on."))


@login_required
@require_POST
def post_approve(request: HttpRequest, pk: int) -> HttpResponse:
    def run(post: Post) -> None:
        services.post_approve(post=post, by=request.user, now=clock.now())

    return _step(request, pk, run, _("The post was approved."))


@login_required
@require_POST
def post_return(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReturnForm(request.POST)

    def run(post: Post) -> None:
        note = form.cleaned_data["note"] if form.is_valid() else ""
        services.post_return(post=post, by=request.user, note=note, now=clock.now())

    return _step(request, pk, run, _("The post was returned with your note."))


@login_required
@require_POST
def post_publish(request: HttpRequest, pk: int) -> HttpResponse:
    form = PublishForm(request.POST)

    def run(post: Post) -> None:
        if not form.is_valid():
            raise services.PostError(
                _("Give the post's link and the time it was published: %(errors)s")
                % {"errors": " ".join(e for errs in form.errors.values() for e in errs)}
            )
        data = form.cleaned_data
        services.post_publish(
            post=post,
            by=request.user,
            url=data["url"],
            published_at=_aware(data["published_at"]),
            platform_post_id=data["platform_post_id"],
            now=clock.now(),
        )

    return _step(request, pk, run, _("The post is recorded as published."))


@login_required
@require_POST
def post_metric(request: HttpRequest, pk: int) -> HttpResponse:
    form = MetricForm(request.POST)

    def run(post: Post) -> None:
        if not form.is_valid():
            raise services.PostError(
                _("The figures were not saved: %(errors)s")
                % {"errors": " ".join(e for errs in form.errors.values() for e in errs)}
            )
        services.post_metric_record(
            post=post, by=request.user, now=clock.now(), **form.cleaned_data
        )

    return _step(request, pk, run, _("The figures were saved."))


@login_required
@require_http_methods(["GET", "POST"])
def policy(request: HttpRequest) -> HttpResponse:
    """Whether the agency's posts need its pejabat's approval (Pasal 3 and 12)."""
    agency = agency_for_create(request)
    if agency is None:
        return choose_agency(request, title=_("Approval of posts"))
    requires = services.requires_approval(agency.pk)
    if request.method == "POST":
        try:
            services.publication_policy_set(
                agency_id=agency.pk,
                requires=request.POST.get("requires_approval") == "yes",
                by=request.user,
                now=clock.now(),
            )
        except services.PostError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The setting was saved."))
        return redirect(reverse("publications:policy") + f"?instansi={agency.slug}")
    return _page(
        request,
        "publications/policy.html",
        {"agency": agency, "requires": requires, "may_change": _is_approver(request.user)},
    )


# --- Month calendar -------------------------------------------------------------------


def _month(request: HttpRequest, today: dt.date) -> dt.date:
    """The month asked as ``?bulan=YYYY-MM``; this month when absent or malformed."""
    year, _sep, month = request.GET.get("bulan", "").partition("-")
    try:
        return (
            dt.date(int(year), int(month), 1) if 2000 <= int(year) <= 2100 else today.replace(day=1)
        )
    except ValueError:
        return today.replace(day=1)


@login_required
@require_GET
def post_calendar(request: HttpRequest) -> HttpResponse:
    """Planned and published posts of one month, by day (Monday first)."""
    today = _today()
    month = _month(request, today)
    scope = scope_for(request.user)
    agencies = visible_agencies(request.user).filter(is_active=True).order_by("name")
    agency = None
    posts = posts_for(request.user)
    if scope.all_agencies:
        slug = request.GET.get("instansi")
        if slug:
            agency = get_for_user(Agency.objects.all(), request.user, agency_lookup="pk", slug=slug)
            posts = posts.filter(agency=agency)
    start = clock.local_midnight(month)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    end = clock.local_midnight(following)
    posts = posts.filter(
        Q(published_at__gte=start, published_at__lt=end)
        | Q(published_at__isnull=True, planned_at__gte=start, planned_at__lt=end)
    ).order_by()
    by_day: dict[dt.date, list[Post]] = defaultdict(list)
    for post in posts:
        moment = timezone.localtime(post.published_at or post.planned_at)
        post.moment = moment
        by_day[moment.date()].append(post)
    for day_posts in by_day.values():
        day_posts.sort(key=lambda p: (p.moment, p.pk))
    weeks = [
        [
            {"date": day, "in_month": day.month == month.month, "posts": by_day.get(day, [])}
            for day in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    ]
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    return _page(
        request,
        "publications/calendar.html",
        {
            "month": month,
            "month_label": date_format(month, "F Y"),
            "weeks": weeks,
            "weekdays": [
                date_format(dt.date(2026, 11, 30) + dt.timedelta(days=i), "l") for i in range(7)
            ],
            "today": today,
            "previous": previous.strftime("%Y-%m"),
            "next": following.strftime("%Y-%m"),
            "agencies": agencies if scope.all_agencies else None,
            "agency": agency,
            "count": sum(len(p) for p in by_day.values()),
        },
    )


# --- Import ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def post_import(request: HttpRequest) -> HttpResponse:
    agency = agency_for_create(request)
    if agency is None:
        return choose_agency(request, title=_("Import posts from a platform export"))
    now = clock.now()
    form = PostImportForm(
        request.POST or None, request.FILES or None, agency=agency, formats=imports.FORMATS
    )
    errors: list[imports.RowError] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            parsed = imports.parse(
                upload.read(imports.MAX_BYTES + 1), format_name=data["format"] or None
            )
        except imports.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            checked = imports.validate(
                parsed,
                account=data["account"],
                default_category=data["default_category"],
                today=timezone.localdate(now),
                now=now,
            )
            errors = checked.errors
            if not errors:
                try:
                    result = imports.import_posts(
                        checked, account=data["account"], by=request.user, now=now
                    )
                except (services.PostError, imports.ImportFileError) as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(
                        request,
                        ngettext(
                            "%(created)d new post, %(updated)d updated, %(metrics)d figures "
                            "recorded.",
                            "%(created)d new posts, %(updated)d updated, %(metrics)d figures "
                            "recorded.",
                            result.created,
                        )
                        % {
                            "created": result.created,
                            "updated": result.updated,
                            "metrics": result.metrics,
                        },
                    )
                    return redirect(
                        reverse("publications:post_list") + f"?akun={data['account'].pk}"
                    )
    return _page(
        request,
        "publications/import.html",
        {
            "form": style_form(form),
            "agency": agency,
            "formats": imports.FORMATS,
            "errors": errors[:MAX_REPORTED_ERRORS],
            "error_count": len(errors),
            "hidden_error_count": max(0, len(errors) - MAX_REPORTED_ERRORS),
            "max_rows": imports.MAX_ROWS,
            "max_megabytes": imports.MAX_BYTES // (1024 * 1024),
        },
    )


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).can_write:
        raise PermissionDenied
    response = HttpResponse(
        "\ufeff" + imports.template_csv(), content_type="text/csv; charset=utf-8"
    )
    return as_download(response, "templat-impor-publikasi.csv")


# --- Audience -------------------------------------------------------------------------


@login_required
@require_GET
def audience_list(request: HttpRequest) -> HttpResponse:
    today = _today()
    snapshots = audience_for(request.user).order_by("-taken_on", "account__handle", "pk")
    scope = scope_for(request.user)
    agency = None
    if scope.all_agencies and request.GET.get("instansi"):
        agency = get_for_user(
            Agency.objects.all(), request.user, agency_lookup="pk", slug=request.GET["instansi"]
        )
        snapshots = snapshots.filter(account__agency=agency)
    page = paginate(request, snapshots)
    latest_ids = [agency.pk] if agency else ([scope.agency_id] if not scope.all_agencies else None)
    current = figures.audience(on=today, agency_ids=latest_ids)
    return _page(
        request,
        "publications/audience_list.html",
        {
            "page": page,
            "agency": agency,
            "agencies": visible_agencies(request.user).order_by("name")
            if scope.all_agencies
            else None,
            "current_total": sum(current.values()),
            "current_accounts": len(current),
            "can_create": scope.can_write,
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def audience_create(request: HttpRequest) -> HttpResponse:
    agency = agency_for_create(request)
    if agency is None:
        return choose_agency(request, title=_("Record an audience figure"))
    form = AudienceForm(request.POST or None, agency=agency, initial={"taken_on": _today()})
    if request.method == "POST" and form.is_valid():
        try:
            snapshot = services.audience_record(
                by=request.user, now=clock.now(), **form.cleaned_data
            )
        except services.PostError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(account)s: %(followers)s followers on %(date)s recorded.")
                % {
                    "account": snapshot.account.handle,
                    "followers": snapshot.followers,
                    "date": date_format(snapshot.taken_on, "j F Y"),
                },
            )
            return redirect("publications:audience_list")
    return render(
        request,
        "accounts/registry_form.html",
        {
            "form": style_form(form),
            "agency": agency,
            "title": _("Record an audience figure"),
            "legal_note": _("Legal basis: Pasal 15 ayat (3) huruf b"),
            "intro": _(
                "The number of followers or subscribers the platform shows for the account on "
                "that day. A second figure for the same day replaces the first."
            ),
            "cancel_url": reverse("publications:audience_list"),
        },
    )


# --- Feedback analysis ----------------------------------------------------------------


@login_required
@require_GET
def feedback(request: HttpRequest) -> HttpResponse:
    """Pasal 8 huruf h–j: what the public said in a period (inquiries by topic and kind,
    comments on posts) and the recommendations recorded in it."""
    today = _today()
    period_form = PeriodForm(request.GET or None)
    start, end = period_form.period(today)
    scope = scope_for(request.user)
    agency = None
    if scope.all_agencies:
        if request.GET.get("instansi"):
            agency = get_for_user(
                Agency.objects.all(), request.user, agency_lookup="pk", slug=request.GET["instansi"]
            )
        agency_ids = [agency.pk] if agency else None
    else:
        agency_ids = [scope.agency_id] if scope.agency_id else []
    topics = inquiry_figures.topics_in(start, end, agency_ids, limit=50)
    engagement = figures.engagement(
        start=clock.local_midnight(start),
        end=clock.local_midnight(end),
        agency_ids=agency_ids,
    ).values()
    recommendations = recommendations_for(request.user).filter(
        created_at__gte=clock.local_midnight(start),
        created_at__lt=clock.local_midnight(end),
    )
    if agency_ids is not None:
        recommendations = recommendations.filter(agency_id__in=agency_ids)
    recommendations = recommendations.annotate(
        inquiry_count=Count("inquiries", distinct=True), post_count=Count("posts", distinct=True)
    ).order_by("-created_at", "-pk")
    return _page(
        request,
        "publications/feedback.html",
        {
            "period_form": style_form(period_form),
            "start": start,
            "last": end - dt.timedelta(days=1),
            "agency": agency,
            "agencies": visible_agencies(request.user).order_by("name")
            if scope.all_agencies
            else None,
            "topics": topics,
            "kinds": InquiryKind,
            "posts": sum(e.posts for e in engagement),
            "comments": sum(e.comments for e in engagement),
            "shares": sum(e.shares for e in engagement),
            "forwards": sum(e.forwards for e in engagement),
            "by_category": {
                label: sum(e.by_category[value] for e in engagement)
                for value, label in PostCategory.choices
            },
            "recommendations": recommendations,
            "can_recommend": scope.can_write and _is_approver(request.user),
        },
    )


# --- Recommendations ------------------------------------------------------------------


@login_required
@require_GET
def recommendation_list(request: HttpRequest) -> HttpResponse:
    queryset = recommendations_for(request.user).prefetch_related(
        "inquiries", Prefetch("posts", queryset=Post.objects.select_related("account"))
    )
    filterset, page = filtered(request, RecommendationFilter, queryset, today=_today())
    scope = scope_for(request.user)
    approver = _is_approver(request.user)
    for recommendation in page:
        recommendation.can_edit = approver and scope.may_write_agency(recommendation.agency_id)
    return _page(
        request,
        "publications/recommendation_list.html",
        {
            "filterset": filterset,
            "page": page,
            "can_create": scope_for(request.user).can_write and _is_approver(request.user),
        },
    )


def _recommendation_page(request, *, agency, recommendation=None):
    if not _is_approver(request.user):
        raise PermissionDenied
    initial = {}
    if recommendation is not None:
        initial = {
            "title": recommendation.title,
            "body": recommendation.body,
            "follow_up": recommendation.follow_up,
            "status": recommendation.status,
            "inquiry_codes": " ".join(i.tracking_code for i in recommendation.inquiries.all()),
            "posts": list(recommendation.posts.all()),
        }
    elif request.GET.get("kode"):
        initial["inquiry_codes"] = request.GET["kode"]
    form = RecommendationForm(request.POST or None, agency=agency, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.recommendation_save(
                agency_id=agency.pk,
                by=request.user,
                now=clock.now(),
                title=data["title"],
                body=data["body"],
                follow_up=data["follow_up"],
                status=data["status"],
                inquiries=data["inquiry_codes"],
                posts=data["posts"],
                recommendation=recommendation,
            )
        except services.PostError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The recommendation was saved."))
            return redirect("publications:recommendation_list")
    return render(
        request,
        "accounts/registry_form.html",
        {
            "form": style_form(form),
            "agency": agency,
            "title": _("Edit recommendation") if recommendation else _("New recommendation"),
            "subject": recommendation.title if recommendation else "",
            "legal_note": _("Legal basis: Pasal 8 huruf h–j, Pasal 15 ayat (3) huruf h"),
            "cancel_url": reverse("publications:recommendation_list"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_create(request: HttpRequest) -> HttpResponse:
    agency = agency_for_create(request)
    if agency is None:
        return choose_agency(request, title=_("New recommendation"))
    return _recommendation_page(request, agency=agency)


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_for_user(
        recommendations_for(request.user), request.user, write=True, pk=pk
    )
    return _recommendation_page(
        request, agency=recommendation.agency, recommendation=recommendation
    )
