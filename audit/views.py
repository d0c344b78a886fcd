"""The audit log: Diskominfo's evaluators (and administrators) search who did what."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.roles import EVALUATOR_ROLES
from accounts.viewkit import paginate, style_form

from .filters import ACTION_CHOICES, AuditFilter
from .models import AuditEvent

ACTION_LABELS = dict(ACTION_CHOICES)


def change_lines(changes: dict) -> list[str]:
    """``changes`` as short lines: ``field: old → new`` for a change, else ``key: value``."""
    lines = []
    for key, value in changes.items():
        if isinstance(value, list) and len(value) == 2 and key != "fields":
            lines.append(f"{key}: {value[0] or '—'} → {value[1] or '—'}")
        elif isinstance(value, list):
            lines.append(f"{key}: {', '.join(map(str, value))}")
        else:
            lines.append(f"{key}: {value}")
    return lines


@login_required
@require_GET
def log(request: HttpRequest) -> HttpResponse:
    if not request.user.roles & EVALUATOR_ROLES:
        raise PermissionDenied
    filterset = AuditFilter(
        request.GET or None, AuditEvent.objects.select_related("actor", "agency")
    )
    page = paginate(request, filterset.qs)
    style_form(filterset.form)
    for event in page:
        event.change_lines = change_lines(event.changes)
        event.action_label = ACTION_LABELS.get(event.action, "")
    return render(request, "audit/log.html", {"filterset": filterset, "page": page})
