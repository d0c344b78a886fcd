"""Who may see and change what: the one place that decides.

Every view, task and export builds its queries through :func:`scope_for` and the
helpers below; no view fetches an object by id and checks afterwards. Outside a
user's scope an object does not exist (404); inside it, a read-only role that tries
to write gets 403.

The rules:

* Petugas and Pejabat see and change their own agency's data only.
* The Diskominfo evaluator and Pimpinan (the Bupati's office) see every agency and
  change none of the agencies' own data; the evaluator's own work (evaluations)
  is granted where it is built.
* Administrators see and change everything.
* A signed-in user with no role sees nothing.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .models import Agency, User
from .roles import AGENCY_ROLES, REGENCY_ROLES, Role

M = TypeVar("M", bound=Model)
Lookup = str | Callable[[int], Q]


@dataclass(frozen=True)
class Scope:
    """The part of the regency one user may see, and whether they may change it."""

    all_agencies: bool
    agency_id: int | None
    can_write: bool

    @property
    def sees_nothing(self) -> bool:
        return not self.all_agencies and self.agency_id is None

    def agency_filter(self, lookups: Iterable[Lookup] = ("agency",)) -> Q:
        """A ``Q`` that keeps rows belonging to an agency in scope.

        ``lookups`` names the paths from the model to ``Agency``; a row is in
        scope when any of them points to the user's agency. A lookup may also be a
        function of the agency id returning a ``Q`` (for a to-many relation, a
        ``pk__in`` subquery avoids the duplicate rows a join would produce).
        """
        if self.all_agencies:
            return Q()
        if self.agency_id is None:
            return Q(pk__in=[])
        condition = Q()
        for lookup in lookups:
            if callable(lookup):
                condition |= lookup(self.agency_id)
            else:
                condition |= Q(**{lookup: self.agency_id})
        return condition

    def may_write_agency(self, agency_id: int | None) -> bool:
        if not self.can_write:
            return False
        return self.all_agencies or (agency_id is not None and agency_id == self.agency_id)


NO_SCOPE = Scope(all_agencies=False, agency_id=None, can_write=False)


def scope_for(user: User) -> Scope:
    """Return the scope of ``user``; anonymous and inactive users see nothing."""
    if not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    roles = user.roles
    if Role.ADMINISTRATOR in roles:
        return Scope(all_agencies=True, agency_id=user.agency_id, can_write=True)
    if roles & REGENCY_ROLES:
        return Scope(all_agencies=True, agency_id=user.agency_id, can_write=False)
    if roles & AGENCY_ROLES and user.agency_id is not None:
        return Scope(all_agencies=False, agency_id=user.agency_id, can_write=True)
    return NO_SCOPE


def scoped(
    queryset: QuerySet[M], user: User, *, lookups: Iterable[Lookup] = ("agency",)
) -> QuerySet[M]:
    """Narrow ``queryset`` to the rows ``user`` may see."""
    return queryset.filter(scope_for(user).agency_filter(lookups))


def get_for_user(
    queryset: QuerySet[M],
    user: User,
    *,
    write: bool = False,
    agency_lookup: str = "agency",
    **lookup: object,
) -> M:
    """Fetch one object through the user's scope.

    404 when it is outside the scope (it does not exist for this user), 403 when
    ``write`` is asked of a user who may only read it.
    """
    if any(isinstance(value, str) and "\x00" in value for value in lookup.values()):
        # No row holds a NUL character, and PostgreSQL refuses one in a query (a server
        # error): a value from the request with one names nothing.
        raise Http404
    obj = scoped(queryset, user, lookups=(agency_lookup,)).filter(**lookup).first()
    if obj is None:
        raise Http404
    if write:
        agency_id = _agency_id_of(obj, agency_lookup)
        if not scope_for(user).may_write_agency(agency_id):
            raise PermissionDenied
    return obj


def visible_agencies(user: User) -> QuerySet[Agency]:
    """The agencies ``user`` may see."""
    return scoped(Agency.objects.all(), user, lookups=("pk",))


def _agency_id_of(obj: Model, agency_lookup: str) -> int | None:
    if agency_lookup == "pk" and isinstance(obj, Agency):
        return obj.pk
    value: object = obj
    for part in agency_lookup.split("__"):
        value = getattr(value, part)
    return value.pk if isinstance(value, Agency) else None
