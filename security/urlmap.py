"""Every named URL of the URL conf, and a concrete address for each, built from the
security world's fixtures (objects of agency A)."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class NamedURL:
    name: str  # with its namespaces: "inquiries:detail", "api:v1:inquiry-list"
    route: str  # the whole route, for messages
    kwarg_names: tuple[str, ...]


def _kwarg_names(pattern: URLPattern) -> tuple[str, ...]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters:
        return tuple(converters)
    regex = getattr(pattern.pattern, "regex", None)
    return tuple(regex.groupindex) if regex is not None else ()


def _walk(resolver: URLResolver, namespaces: tuple[str, ...], prefix: str) -> Iterator[NamedURL]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry, inner, prefix + str(entry.pattern))
        elif entry.name:
            yield NamedURL(
                name=":".join((*namespaces, entry.name)),
                route=prefix + str(entry.pattern),
                kwarg_names=_kwarg_names(entry),
            )


def named_urls() -> dict[str, NamedURL]:
    """Every named pattern, recursively through the includes, by its full name (a name
    given to two routes is listed once)."""
    urls: dict[str, NamedURL] = {}
    for url in _walk(get_resolver(), (), "/"):
        urls.setdefault(url.name, url)
    return urls


# --- Which fixture object fills a URL's ``pk`` ------------------------------------------

# The object behind ``<int:pk>`` by URL name (exact) or by name prefix (longest wins).
PK_OBJECTS: dict[str, str] = {
    "accounts:account_": "account",
    "accounts:decree_": "decree",
    "accounts:appointment_": "appointment",
    "accounts:sop_": "sop",
    "notifications:": "notification",
    "tokens:": "token",
    "inquiries:answer_edit": "answer",
    "inquiries:answer_approve": "answer",
    "inquiries:": "inquiry",
    "publications:post_": "post",
    "publications:recommendation_": "recommendation",
    "reports:": "report",
    # The evaluator's steps need a report under evaluation.
    "reports:evaluation_": "evaluating",
    "reports:report_return": "evaluating",
    "reports:report_send": "evaluating",
    # A citizen's request about their data (no agency's: Diskominfo's).
    "privacy:request_": "subject_request",
}


def pk_object_key(name: str) -> str | None:
    matches = [prefix for prefix in PK_OBJECTS if name == prefix or name.startswith(prefix)]
    if not matches:
        return None
    return PK_OBJECTS[max(matches, key=len)]


def pk_object(world, name: str, side: str = "a"):
    key = pk_object_key(name)
    if key is None:
        raise LookupError(f"no fixture object for the pk of {name}")
    if key in ("evaluating", "subject_request"):
        if side != "a":
            raise LookupError(f"no object of agency {side.upper()} for {name}")
        return getattr(world, key)
    return getattr(getattr(world, side), key)


def url_kwargs(world, url: NamedURL, side: str = "a") -> dict[str, object]:
    """The kwargs of ``url`` for agency ``side``'s objects (``a`` or ``b``)."""
    records = getattr(world, side)
    kwargs: dict[str, object] = {}
    for kwarg in url.kwarg_names:
        if kwarg == "pk":
            kwargs[kwarg] = pk_object(world, url.name, side).pk
        elif kwarg == "slug":
            kwargs[kwarg] = records.agency.slug
        elif kwarg in ("code", "tracking_code"):
            kwargs[kwarg] = records.inquiry.tracking_code
        elif kwarg == "file_pk":
            kwargs[kwarg] = records.report_file.pk
        elif kwarg == "name":  # a table of the annual report
            kwargs[kwarg] = "akun"
        elif kwarg == "fmt":
            kwargs[kwarg] = "csv"
        else:
            raise LookupError(f"no fixture for the kwarg {kwarg!r} of {url.name} ({url.route})")
    return kwargs


def address(world, url: NamedURL, side: str = "a", query: str = "") -> str:
    return reverse(url.name, kwargs=url_kwargs(world, url, side)) + query


# Dummy kwargs for the admin's object URLs: a non-staff user is sent to the admin login
# before any lookup, so the values need not exist.
ADMIN_DUMMIES = {
    "object_id": "1",
    "app_label": "accounts",
    "content_type_id": "1",
    "id": "1",
    "pk": "1",
}


def admin_address(url: NamedURL) -> str:
    return reverse(url.name, kwargs={k: ADMIN_DUMMIES[k] for k in url.kwarg_names})
