"""The portal's sign-in backend: Django's ``ModelBackend``, loading with the user what
every page shows of them.

Each signed-in page reads the user's agency (the menu, every scope) and roles (every
scope and the menu): fetched with the user in one query for the agency and one for the
groups, instead of the user, then the groups, then the agency lazily from the page.
"""

from django.contrib.auth.backends import ModelBackend

from .models import User


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        users = User._default_manager.select_related("agency").prefetch_related("groups")
        try:
            user = users.get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
