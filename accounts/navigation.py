"""The main navigation, filtered by role.

Each feature adds its entry to :data:`NAV_ITEMS`; the context processor shows a
user only the entries their roles allow. Hiding a link is a convenience: the views
themselves enforce access through :mod:`accounts.access`.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    # None: every signed-in user with a role; otherwise the roles that see it.
    roles: frozenset[str] | None = None
    # Shown in the "Personal data" menu rather than in the bar (Diskominfo's tools).
    in_menu: bool = False


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "home"),
    NavItem(_("Agencies"), "accounts:agency_list"),
    NavItem(_("Official accounts"), "accounts:account_list"),
    NavItem(_("Inquiries"), "inquiries:inbox"),
    NavItem(_("Deadlines"), "inquiries:deadline_board"),
    NavItem(_("Publications"), "publications:post_list"),
    NavItem(_("Annual reports"), "reports:report_list"),
    NavItem(
        _("Dashboard"),
        "reports:dashboard",
        frozenset({Role.EVALUATOR, Role.ADMINISTRATOR}),
    ),
    NavItem(
        _("Subject requests"), "privacy:request_list", frozenset({Role.EVALUATOR}), in_menu=True
    ),
    NavItem(
        _("Audit log"), "audit:log", frozenset({Role.EVALUATOR, Role.ADMINISTRATOR}), in_menu=True
    ),
    NavItem(
        _("Record of processing"),
        "privacy:processing_record",
        frozenset({Role.EVALUATOR, Role.ADMINISTRATOR}),
        in_menu=True,
    ),
    NavItem(_("Leadership view"), "reports:pimpinan", frozenset({Role.PIMPINAN})),
    NavItem(_("Administration"), "admin:index", frozenset({Role.ADMINISTRATOR})),
]


def items_for(user) -> list[dict[str, object]]:
    """The navigation entries ``user`` may see, with their URLs."""
    if not user.is_authenticated:
        return []
    roles = user.roles
    visible = []
    for item in NAV_ITEMS:
        if item.roles is None and not roles:
            continue
        if item.roles is not None and not (item.roles & roles):
            continue
        visible.append(
            {
                "label": item.label,
                "url": reverse(item.url_name),
                "name": item.url_name,
                "in_menu": item.in_menu,
            }
        )
    return visible
