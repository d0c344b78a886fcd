"""Template context shared by every page."""

from django.http import HttpRequest

from .navigation import items_for
from .roles import Role


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_role_labels": []}
    items = items_for(user)
    in_menu = [item for item in items if item["in_menu"]]
    match = getattr(request, "resolver_match", None)
    return {
        "nav_items": items,
        "nav_menu_items": in_menu,
        "nav_menu_active": bool(match) and any(item["name"] == match.view_name for item in in_menu),
        "user_role_labels": [Role(name).label for name in sorted(user.roles)],
    }
