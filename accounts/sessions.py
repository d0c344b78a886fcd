"""The portal's session store: an idle timeout, capped by an absolute lifetime.

``SESSION_COOKIE_AGE`` is the idle timeout (``SESSION_IDLE_SECONDS``) and every request
saves the session (``SESSION_SAVE_EVERY_REQUEST``), so a session lives as long as its
user keeps working. However active, it ends ``SESSION_ABSOLUTE_SECONDS`` after sign-in:
the expiry written to the database is the earlier of the two, so the database itself
refuses an expired session and no middleware checks anything per request.

A request that changes nothing in the session only moves its expiry; that write is
skipped while the stored expiry is within ``RENEW_AFTER`` of the new one, so a burst
of requests (a page and its htmx fragments) costs one UPDATE, not one each, and the
idle timeout is exact to within that minute.
"""

import datetime as dt

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.utils import timezone

SIGNED_IN_AT = "signed_in_at"
RENEW_AFTER = dt.timedelta(seconds=60)


def remember_sign_in(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: the moment the absolute lifetime counts from. The
    wall clock, as Django's own expiry of the session rows (not the portal's clock,
    which benchmarks and demos may pin to another moment)."""
    request.session[SIGNED_IN_AT] = timezone.now().timestamp()


class SessionStore(DbSessionStore):
    _stored_expiry: dt.datetime | None = None

    def _get_session_from_db(self):
        stored = super()._get_session_from_db()
        self._stored_expiry = stored.expire_date if stored else None
        return stored

    def save(self, must_create: bool = False) -> None:
        if (
            not must_create
            and not self.modified
            and self._stored_expiry is not None
            and abs(self.get_expiry_date() - self._stored_expiry) < RENEW_AFTER
        ):
            return
        super().save(must_create=must_create)
        self._stored_expiry = self.get_expiry_date()

    def _absolute_end(self) -> float | None:
        signed_in_at = self.get(SIGNED_IN_AT)
        if signed_in_at is None:
            return None
        return signed_in_at + settings.SESSION_ABSOLUTE_SECONDS

    def get_expiry_age(self, **kwargs) -> int:
        age = super().get_expiry_age(**kwargs)
        end = self._absolute_end()
        if end is None:
            return age
        modification = kwargs.get("modification") or timezone.now()
        return max(0, min(age, int(end - modification.timestamp())))

    def get_expiry_date(self, **kwargs) -> dt.datetime:
        expiry = super().get_expiry_date(**kwargs)
        end = self._absolute_end()
        if end is None:
            return expiry
        return min(expiry, dt.datetime.fromtimestamp(end, tz=dt.UTC))
