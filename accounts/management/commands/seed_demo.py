from django.core.management.base import BaseCommand

from accounts import demo
from accounts.services import demo_seed
from katingan_sosmed import clock


class Command(BaseCommand):
    help = (
        "Load the demo agencies, users and registry (decrees, accounts, appointments, SOPs). "
        "Idempotent: a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--print-logins", action="store_true", help="Print the demo logins afterwards."
        )

    def handle(self, *args, print_logins: bool = False, **options):
        created = demo_seed(now=clock.now())
        self.stdout.write(
            "seed_demo created: " + ", ".join(f"{count} {kind}" for kind, count in created.items())
        )
        if print_logins:
            self.stdout.write("\nDemo logins (demo only), password for all: " + demo.DEMO_PASSWORD)
            ethics_pending = {
                spec.username for spec in demo.APPOINTMENTS if not spec.ethics_acknowledged
            }
            for spec in demo.DEMO_USERS:
                agency = spec.agency_slug or "-"
                note = "  (shows the ethics page first)" if spec.username in ethics_pending else ""
                self.stdout.write(
                    f"  {spec.username:<22} {spec.role.label!s:<34} {agency:<18}{note}".rstrip()
                )
