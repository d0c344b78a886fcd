import importlib
import importlib.util
from collections.abc import Callable
from datetime import datetime

from django.apps import apps
from django.core.management.base import BaseCommand

from accounts import demo
from accounts.roles import EVALUATOR_ROLES
from katingan_sosmed import clock

Seeder = Callable[..., dict[str, int]]


def demo_seeders() -> list[tuple[str, Seeder]]:
    """The ``seed(*, now)`` of every installed app that has a ``demo`` module, in the
    order of ``INSTALLED_APPS`` (accounts first: the others need its agencies and users).

    Found rather than imported, so that accounts knows nothing of the apps built on it.
    """
    seeders = []
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.demo"
        try:
            found = importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:  # the app is a plain module, not a package
            found = False
        if not found:
            continue
        seed = getattr(importlib.import_module(name), "seed", None)
        if callable(seed):
            seeders.append((app_config.label, seed))
    return seeders


def seed_all(*, now: datetime) -> list[tuple[str, int]]:
    """Run every app's demo seed; the created counts, app by app."""
    created: list[tuple[str, int]] = []
    for _label, seed in demo_seeders():
        created.extend(seed(now=now).items())
    return created


class Command(BaseCommand):
    help = (
        "Load the demo data of every app: agencies, users and registry (decrees, accounts, "
        "appointments, SOPs), then the apps' own (inquiries in every state, ...). "
        "Idempotent: a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--print-logins", action="store_true", help="Print the demo logins afterwards."
        )

    def handle(self, *args, print_logins: bool = False, **options):
        created = seed_all(now=clock.now())
        self.stdout.write(
            "seed_demo created: " + ", ".join(f"{count} {kind}" for kind, count in created)
        )
        if print_logins:
            self.stdout.write("\nDemo logins (demo only), password for all: " + demo.DEMO_PASSWORD)
            ethics_pending = {
                spec.username for spec in demo.APPOINTMENTS if not spec.ethics_acknowledged
            }
            for spec in demo.DEMO_USERS:
                agency = spec.agency_slug or "-"
                note = "  (shows the ethics page first)" if spec.username in ethics_pending else ""
                if spec.role in EVALUATOR_ROLES:
                    note = "  (+ authenticator code)"
                self.stdout.write(
                    f"  {spec.username:<22} {spec.role.label!s:<34} {agency:<18}{note}".rstrip()
                )
            secret = demo.DEMO_TOTP_SECRET
            self.stdout.write(
                "\nThe authenticator code (TOTP, 6 digits, 30 s) comes from an app set up with "
                "the demo key\n  "
                + " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
                + f"\n  or from the command line: oathtool --totp -b {secret}"
            )
