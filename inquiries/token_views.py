"""Pages where an agency manages its integration tokens (``/pertanyaan/token-api/``).

The agency's Pejabat makes and revokes tokens; its Petugas see the list only (a
write is 403); every other role has no page here (403), and another agency's token
does not exist (404). A new key is shown once, in the response to the POST that
made it, and never again: afterwards only its prefix.
"""

import logging

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import Role
from katingan_sosmed import clock

from . import tokens
from .models import IntegrationToken

logger = logging.getLogger(__name__)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=IntegrationToken._meta.get_field("name").max_length,
        help_text=gettext_lazy("Which integration uses it, for example “Social listening tool”."),
    )


def _agency_role(request: HttpRequest, *, write: bool) -> int:
    """The user's agency id; 403 for anyone but its Petugas and Pejabat, and for a
    Petugas asking to write."""
    user = request.user
    roles = user.roles
    if user.agency_id is None or not roles & {Role.PEJABAT, Role.PETUGAS}:
        logger.info("token page denied user=%s (no agency role)", user.pk)
        raise PermissionDenied
    if write and Role.PEJABAT not in roles:
        logger.info("token write denied user=%s (read-only role)", user.pk)
        raise PermissionDenied
    return user.agency_id


def _tokens_of(agency_id: int) -> QuerySet[IntegrationToken]:
    return (
        IntegrationToken.objects.filter(agency_id=agency_id)
        .select_related("created_by")
        .order_by(F("revoked_at").desc(nulls_first=True), "name", "pk")
    )


def _token_of(request: HttpRequest, agency_id: int, pk: int) -> IntegrationToken:
    token = _tokens_of(agency_id).filter(pk=pk).first()
    if token is None:
        logger.info("token page denied user=%s token=%s (not in scope)", request.user.pk, pk)
        raise Http404
    return token


def _render_list(request: HttpRequest, agency_id: int, form: TokenForm, status: int = 200):
    return render(
        request,
        "inquiries/tokens/list.html",
        {
            "tokens": _tokens_of(agency_id),
            "form": form,
            "can_manage": Role.PEJABAT in request.user.roles,
        },
        status=status,
    )


@login_required
@require_GET
def token_list(request: HttpRequest) -> HttpResponse:
    agency_id = _agency_role(request, write=False)
    return _render_list(request, agency_id, TokenForm())


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    agency_id = _agency_role(request, write=True)
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _render_list(request, agency_id, form, status=400)
    try:
        token, key = tokens.token_create(
            agency=request.user.agency,
            name=form.cleaned_data["name"],
            by=request.user,
            now=clock.now(),
        )
    except tokens.TokenError as error:
        form.add_error("name", str(error))
        return _render_list(request, agency_id, form, status=400)
    # The only response that ever carries the key: never stored by a cache.
    response = render(request, "inquiries/tokens/created.html", {"token": token, "key": key})
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST revokes."""
    agency_id = _agency_role(request, write=True)
    token = _token_of(request, agency_id, pk)
    if request.method == "POST":
        try:
            tokens.token_revoke(token=token, by=request.user, now=clock.now())
        except tokens.TokenError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
        return redirect("tokens:list")
    if token.revoked_at is not None:
        messages.info(request, _("This token was already revoked."))
        return redirect("tokens:list")
    return render(request, "inquiries/tokens/revoke_confirm.html", {"token": token})
