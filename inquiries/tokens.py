"""Integration tokens (kunci API): the keys of the REST API, one agency each.

A key is ``secrets.token_urlsafe(32)`` (256 bits). Only its SHA-256 hash is
stored, with the first eight characters as a visible prefix to tell keys apart;
the key itself is shown once, when it is made. A high-entropy random key needs no
slow password hash: finding it by its hash is the check, and the lookup is an
index probe on a unique column, so no timing of a string comparison leaks
anything.
"""

import datetime as dt
import hashlib
import secrets
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import Agency, User
from audit.services import audit_record

from .models import IntegrationToken

PREFIX_LENGTH = 8
# A key of token_urlsafe(32) has 43 characters; anything much longer is not a key.
MAX_KEY_LENGTH = 100
# last_used_at is written at most this often per token: a busy integration does
# not turn every read into a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenError(Exception):
    """A token operation was refused; the message is for the user."""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(
    *, agency: Agency, name: str, by: User | None, now: datetime
) -> tuple[IntegrationToken, str]:
    """Make a token for ``agency`` and return it with its key.

    The key is returned only here: the caller shows it once and forgets it.
    Writes one audit row (without the key or its hash).
    """
    name = name.strip()
    if not name:
        raise TokenError(_("Give the token a name."))
    if len(name) > IntegrationToken._meta.get_field("name").max_length:
        raise TokenError(_("The name is too long."))
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = IntegrationToken.objects.create(
            agency=agency,
            name=name,
            prefix=key[:PREFIX_LENGTH],
            key_hash=hash_key(key),
            created_by=by,
            created_at=now,
        )
        audit_record(actor=by, action="create", obj=token, note="integration token", now=now)
    return token, key


def token_revoke(*, token: IntegrationToken, by: User, now: datetime) -> IntegrationToken:
    """Revoke ``token`` for good: from ``now`` on its key is refused (401).

    Refused when it is already revoked. Writes one audit row.
    """
    with transaction.atomic():
        locked = IntegrationToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            raise TokenError(_("This token was already revoked."))
        locked.revoked_at = now
        locked.save(update_fields=["revoked_at"])
        audit_record(actor=by, action="revoke", obj=locked, note="integration token", now=now)
    return locked


def token_for_key(key: str) -> IntegrationToken | None:
    """The token whose key is ``key`` (revoked or not), with its agency; None if none."""
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    return IntegrationToken.objects.select_related("agency").filter(key_hash=hash_key(key)).first()


def token_touch(*, token: IntegrationToken, now: datetime) -> None:
    """Record that ``token`` was used, at most once per :data:`LAST_USED_RESOLUTION`.

    A conditional UPDATE, so two requests at once write it once.
    """
    threshold = now - LAST_USED_RESOLUTION
    if token.last_used_at is not None and token.last_used_at > threshold:
        return
    IntegrationToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=threshold)
    ).update(last_used_at=now)
    token.last_used_at = now
