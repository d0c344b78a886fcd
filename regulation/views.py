"""The regulation, article by article, with what carries each provision out."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from .provisions import PROVISIONS


def _link(name: str) -> str | None:
    """The page of a URL name, when it takes no argument (a list or a form)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@login_required
@require_GET
def regulation(request: HttpRequest) -> HttpResponse:
    articles = []
    chapter = None
    for provision in PROVISIONS:
        articles.append(
            {
                "provision": provision,
                "new_chapter": provision.chapter != chapter,
                "pages": [(name, _link(name)) for name in provision.urls],
            }
        )
        chapter = provision.chapter
    return render(request, "regulation/regulation.html", {"articles": articles})
