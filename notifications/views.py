from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.viewkit import paginate
from katingan_sosmed import clock

from .models import Notification
from .services import notification_mark_read


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notices = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-pk")
    page = paginate(request, notices)
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    notification_mark_read(user=request.user, notification_id=pk, now=clock.now())
    return redirect("notifications:list")
