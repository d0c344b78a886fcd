"""Masking of citizens' personal data (UU 27/2022): names, handles and contacts.

Shown in full only to officers of the agencies handling an inquiry; everywhere
else (lists of other roles, tracking page, dashboards, exports) masked.
"""

import re
from collections.abc import Mapping

from accounts.access import Scope, scope_for

from .models import Forwarding


def mask_name(value: str) -> str:
    """``Budi Santoso`` → ``B. S.``; a handle ``@budisan`` → ``@bu***``."""
    value = value.strip()
    if not value:
        return ""
    if value.startswith("@"):
        return mask_handle(value)
    return " ".join(f"{word[0]}." for word in value.split() if word)


def mask_handle(value: str) -> str:
    core = value.lstrip("@")
    return f"@{core[:2]}***" if core else ""


def mask_contact(value: str) -> str:
    """``081234567789`` → ``0812****789``; ``budi@contoh.id`` → ``b***@contoh.id``.

    A number written with the country code (``+62 812-3456-7789``) is masked in its
    national form (``0812****789``), like the same number written with a leading 0.
    """
    value = value.strip()
    if not value:
        return ""
    if "@" in value and not value.startswith("@"):
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    digits = re.sub(r"\D", "", value)
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    if len(digits) >= 7:
        return f"{digits[:4]}****{digits[-3:]}"
    return "***"


def handles_inquiry(user, inquiry) -> bool:
    """Officers of the receiving agency or of an agency it was forwarded to."""
    scope = scope_for(user)
    if not scope.can_write or scope.agency_id is None:
        return False
    if inquiry.agency_id == scope.agency_id:
        return True
    return inquiry.forwardings.filter(to_agency_id=scope.agency_id).exists()


def handled_inquiry_ids(scope: Scope, receivers: Mapping[int, int]) -> set[int]:
    """Of the inquiries ``receivers`` maps (inquiry number to receiving agency), those
    whose author ``scope``'s user may see in full: those their agency handles
    (:func:`handles_inquiry`), decided for a whole page in at most one query."""
    if not scope.can_write or scope.agency_id is None:
        return set()
    if not scope.all_agencies:
        # An agency-bound officer sees only the inquiries their agency received or
        # was forwarded: exactly the ones it handles.
        return set(receivers)
    own = {pk for pk, agency_id in receivers.items() if agency_id == scope.agency_id}
    others = [pk for pk in receivers if pk not in own]
    if others:
        own |= set(
            Forwarding.objects.filter(
                inquiry_id__in=others, to_agency_id=scope.agency_id
            ).values_list("inquiry_id", flat=True)
        )
    return own
