"""The inbox's filter bar, rendered once per version of what it shows.

Rendering the bar (ten fields, up to some 170 choices for a regency-wide role) was a
fifth of the inbox's time, and a third for the regency view (docs/benchmarks.md,
issue 11), though it changes only with the query string, the language, the user's scope
and the official accounts it lists. Each process keeps the last rendered bars in memory
(no Redis: the inbox must not slow down when Redis does), keyed by all of those and by
the accounts' count and last change (read from the database on every request, so a new
or changed account shows at once). Agency names, which have no change stamp, may show
their old spelling for at most :data:`AGENCY_NAMES_MAX_AGE` seconds after a rename.
"""

from collections import OrderedDict

from django.db.models import Count, Max
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation

from accounts.access import scope_for, scoped
from accounts.models import OfficialAccount
from accounts.viewkit import PAGE_PARAM
from katingan_sosmed import clock

AGENCY_NAMES_MAX_AGE = 300
ENTRIES = 256

_rendered: OrderedDict[tuple, str] = OrderedDict()


def filter_bar(request: HttpRequest, filterset) -> str:
    """The HTML of ``accounts/_partials.html#filter_form`` for ``filterset``."""
    scope = scope_for(request.user)
    accounts = scoped(OfficialAccount.objects.all(), request.user).aggregate(
        count=Count("pk"), changed=Max("updated_at")
    )
    key = (
        request.path,
        translation.get_language(),
        scope.all_agencies,
        scope.agency_id,
        tuple(sorted((k, tuple(v)) for k, v in request.GET.lists() if k != PAGE_PARAM)),
        accounts["count"],
        accounts["changed"],
        int(clock.now().timestamp()) // AGENCY_NAMES_MAX_AGE,
    )
    html = _rendered.get(key)
    if html is None:
        # Without the request's context processors: the page runs them already.
        html = render_to_string(
            "accounts/_partials.html#filter_form", {"filterset": filterset, "request": request}
        )
        _rendered[key] = html
        if len(_rendered) > ENTRIES:
            _rendered.popitem(last=False)
    else:
        _rendered.move_to_end(key)
    return html
