"""Template context shared by every page."""

from django.http import HttpRequest

from .navigation import items_for
from .roles import Role


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_role_labels": []}
    return {
        "nav_items": items_for(user),
        "user_role_labels": [Role(name).label for name in sorted(user.roles)],
    }
