"""Pages of the accounts app: the home page of a signed-in user."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .access import scope_for, visible_agencies


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    return render(
        request,
        "accounts/home.html",
        {
            "scope": scope,
            "agency": request.user.agency,
            "agency_count": visible_agencies(request.user).filter(is_active=True).count(),
        },
    )
