"""Who is calling the API: an integration token, never a portal session."""

import logging
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from katingan_sosmed import clock

from .. import tokens
from ..models import IntegrationToken

logger = logging.getLogger(__name__)

KEYWORDS = ("bearer", "token")


@dataclass(frozen=True, eq=False)
class IntegrationClient:
    """``request.user`` of an API request: the integration, not a person.

    It is authenticated but holds no role and no Django permission, so nothing
    written for people (``scope_for``, ``has_perm``) grants it anything.
    """

    token: IntegrationToken

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    @property
    def pk(self) -> str:
        # The throttles key on this: one bucket per token.
        return f"token-{self.token.pk}"

    @property
    def agency_id(self) -> int:
        return self.token.agency_id

    def __str__(self) -> str:
        return f"integration {self.token.prefix}…"


class IntegrationTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <key>`` (or ``Token <key>``).

    The key is looked up by its SHA-256 hash; a revoked token, or one of an
    agency no longer active, is refused with 401. A request without the header
    from a signed-in portal user is refused with 403: the API is for
    integrations, and accepting the session would also invite CSRF.
    """

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower().decode("latin-1") not in KEYWORDS:
            session_user = getattr(request._request, "user", None)
            if session_user is not None and session_user.is_authenticated:
                raise exceptions.PermissionDenied(
                    _("The API is for integrations: send an integration token, not a session.")
                )
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid Authorization header: send “Bearer <key>”.")
            )
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        token = tokens.token_for_key(key)
        if token is None or token.revoked_at is not None or not token.agency.is_active:
            # A known token's prefix is not secret and tells an operator which key is
            # failing; an unknown key is not logged at all (it may be anything).
            logger.info("api token refused: %s", f"{token.prefix}…" if token else "unknown key")
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        tokens.token_touch(token=token, now=clock.now())
        return IntegrationClient(token), token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class IsIntegration(BasePermission):
    """Only requests authenticated by an integration token."""

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, IntegrationToken)


class IntegrationTokenThrottle(ScopedRateThrottle):
    """Per-token rate (``throttle_scope`` of the view), read at request time so a
    settings override applies; with the cache down the request is let through
    rather than failing: the throttle protects the portal, it is not a gate."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache (Redis) is unreachable
            logger.warning("api throttle skipped: cache unavailable", exc_info=True)
            return True


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    target_class = IntegrationTokenAuthentication
    name = "IntegrationToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _(
                    "An integration token made by the agency's Pejabat in the portal "
                    "(Integration tokens page). Send it as `Authorization: Bearer <key>`; "
                    "`Token <key>` is accepted too. The token acts for its agency only."
                )
            ),
        }
