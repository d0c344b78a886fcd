"""Small helpers of the security suite: clients, outcomes, a fingerprint of the database."""

import hashlib
from urllib.parse import urlsplit

from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse

from .matrix import ADMIN_LOGIN, LOGIN, REDIRECT

# Tables a GET may legitimately write: bookkeeping of sessions and sign-in, not data.
# - django_session: the session of a signed-in client (messages, the ethics check of the
#   day) is saved on the way out;
# - axes_*: django-axes records sign-in attempts and lockouts (another engineer adds it).
EXCLUDED_TABLES = frozenset({"django_session"})
EXCLUDED_PREFIXES = ("axes_",)


def client_for(user=None, **kwargs) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def body(response) -> bytes:
    """The whole body of a response, streamed or not; the response is closed (a file
    download keeps its file open until then)."""
    if not response.streaming:
        return response.content  # the test client has closed it already
    content = b"".join(response.streaming_content)
    # As the test client does for the responses it closes: closing fires
    # request_finished, whose close_old_connections would close the database
    # connection in the middle of the test's transaction (PostgreSQL).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return content


def fetch(client, url: str, method: str = "get", **kwargs):
    """Send the request, read and close the response; ``response.body`` holds the body."""
    response = getattr(client, method)(url, **kwargs)
    response.body = body(response)
    return response


def outcome(response) -> object:
    """The response as a matrix outcome: its status, or where a 302 goes."""
    if response.status_code != 302:
        return response.status_code
    target = urlsplit(response["Location"])
    if target.netloc not in ("", "testserver"):
        return f"302 off-site to {response['Location']}"
    if target.path == reverse("login"):
        return LOGIN
    if target.path == reverse("admin:login"):
        return ADMIN_LOGIN
    return REDIRECT


def db_fingerprint() -> dict[str, tuple[int, str]]:
    """Row count and a hash of every row of every table but the excluded ones."""
    fingerprint = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            if table in EXCLUDED_TABLES or table.startswith(EXCLUDED_PREFIXES):
                continue
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - names from the db
            rows = sorted(repr(row) for row in cursor.fetchall())
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            fingerprint[table] = (len(rows), digest)
    return fingerprint


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))
