"""Every named URL of the URL conf against the permission matrix (security/matrix.py).

A name in the URL conf that the matrix does not list fails (a new page must be given its
expectations), and so does a matrix name that no longer resolves. Each URL is opened by
GET with agency A's objects, by every role; the outcome must be the matrix's.
"""

import pytest

from .constants import ROLES
from .helpers import fetch, outcome
from .matrix import ADMIN, ADMIN_GROUP, MATRIX
from .urlmap import address, admin_address, named_urls

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def urls():
    return named_urls()


def test_every_url_name_is_in_the_matrix(urls):
    missing = sorted(
        name for name in urls if name not in MATRIX and not name.startswith(ADMIN_GROUP)
    )
    assert not missing, "URL names without an entry in security/matrix.py:\n" + "\n".join(
        f"  {name}  ({urls[name].route})" for name in missing
    )


def test_every_matrix_name_still_resolves(urls):
    stale = sorted(name for name in MATRIX if name not in urls)
    assert not stale, f"matrix names no longer in the URL conf: {stale}"


def test_the_matrix_covers_the_whole_portal(urls):
    """A guard against an accidentally emptied URL conf or matrix."""
    portal = [name for name in urls if not name.startswith(ADMIN_GROUP)]
    assert len(portal) >= 95
    assert {"inquiries:detail", "reports:dashboard", "api:v1:inquiry-detail"} <= set(portal)
    assert sum(name.startswith(ADMIN_GROUP) for name in urls) >= 50


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_get_by_every_role(name, urls, world, clients):
    assert name in urls, f"{name} is no longer in the URL conf"
    expect = MATRIX[name]
    url = address(world, urls[name], query=expect.query)
    observed = {role: outcome(fetch(clients[role], url)) for role in ROLES}
    wrong = {
        role: f"expected {expect.outcomes[role]}, got {observed[role]}"
        for role in ROLES
        if observed[role] != expect.outcomes[role]
    }
    assert not wrong, f"GET {url} ({name}): {wrong}"


def test_admin_is_staff_only(urls, world, clients):
    """Every admin:* name: each non-staff role is sent to the admin's sign-in (before any
    object is looked up); the administrator opens the index and every model's list."""
    admin_names = sorted(name for name in urls if name.startswith(ADMIN_GROUP))
    wrong = []
    for name in admin_names:
        if name in MATRIX:
            continue
        url = admin_address(urls[name])
        for role in ROLES:
            if role == "administrator":
                continue
            got = outcome(fetch(clients[role], url))
            if got != ADMIN[role]:
                wrong.append(f"{role} GET {url} ({name}): expected {ADMIN[role]}, got {got}")
    changelists = [name for name in admin_names if name.endswith("_changelist")]
    assert len(changelists) >= 25
    for name in changelists:
        url = admin_address(urls[name])
        got = outcome(fetch(clients["administrator"], url))
        if got != 200:
            wrong.append(f"administrator GET {url} ({name}): expected 200, got {got}")
    assert not wrong, "\n".join(wrong)
