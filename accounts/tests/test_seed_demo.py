import pytest
from django.core.management import call_command

from accounts import demo
from accounts.models import Agency, User

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Agency.objects.values_list("slug", "name", "is_dinas")),
        sorted(User.objects.values_list("username", "full_name", "agency__slug", "password")),
    )


def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first
    assert Agency.objects.count() == len(demo.AGENCIES)
    assert User.objects.count() == len(demo.DEMO_USERS)


def test_seed_demo_keeps_local_changes():
    call_command("seed_demo")
    User.objects.filter(username="petugas.dinkes").update(full_name="Nama Baru")
    call_command("seed_demo")
    assert User.objects.get(username="petugas.dinkes").full_name == "Nama Baru"


def test_seed_demo_flags_diskominfo_as_the_dinas_and_gives_each_role_a_user():
    call_command("seed_demo")
    assert Agency.objects.get(is_dinas=True).name == (
        "Dinas Komunikasi, Informatika, Persandian dan Statistik"
    )
    roles = {user.username: user.roles for user in User.objects.prefetch_related("groups")}
    assert {role for held in roles.values() for role in held} == set(demo.Role.values)


def test_demo_users_can_sign_in(client):
    call_command("seed_demo")
    assert client.login(username="petugas.dinkes", password=demo.DEMO_PASSWORD)
