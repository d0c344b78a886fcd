"""The portal's sign-in backend: Django's ``ModelBackend``, loading with the user what
every page shows of them.

Each signed-in page reads the user's agency (the menu, every scope) and roles (every
scope and the menu). Both come with the user in one query: the agency joined, and the
user's row once per group with that group's name (a user holds one or two roles), instead
of the user, then the groups, then the agency lazily from the page.
"""

from django.contrib.auth.backends import ModelBackend
from django.db.models import F

from .models import User


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        rows = list(
            User._default_manager.select_related("agency")
            .filter(pk=user_id)
            .annotate(group_name=F("groups__name"))
        )
        if not rows:
            return None
        user = rows[0]
        user.roles = user.roles_among(row.group_name for row in rows if row.group_name)
        return user if self.user_can_authenticate(user) else None
