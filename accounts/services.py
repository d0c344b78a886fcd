"""Writes of the accounts app."""

from django.contrib.auth.models import Group
from django.db import transaction

from . import demo
from .models import Agency, User


@transaction.atomic
def demo_seed() -> dict[str, int]:
    """Create the demo agencies and users that do not exist yet.

    Idempotent: existing rows are left exactly as they are (a changed password or
    name survives a second run). Returns how many rows of each kind were created.
    """
    created = {"agencies": 0, "users": 0}
    for name, short_name, slug in demo.AGENCIES:
        _agency, was_created = Agency.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short_name,
                "is_dinas": slug == demo.DINAS[2],
            },
        )
        created["agencies"] += was_created
    agencies = {agency.slug: agency for agency in Agency.objects.all()}
    for spec in demo.DEMO_USERS:
        if User.objects.filter(username=spec.username).exists():
            continue
        user = User(
            username=spec.username,
            full_name=spec.full_name,
            nip=spec.nip,
            agency=agencies.get(spec.agency_slug) if spec.agency_slug else None,
            email=f"{spec.username}@demo.katingankab.go.id",
            is_staff=spec.role == demo.Role.ADMINISTRATOR,
            is_superuser=spec.role == demo.Role.ADMINISTRATOR,
        )
        user.set_password(demo.DEMO_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=spec.role))
        created["users"] += 1
    return created
