from django.core.management.base import BaseCommand

from accounts import demo
from accounts.services import demo_seed


class Command(BaseCommand):
    help = "Load the demo agencies and users (idempotent: a second run changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--print-logins", action="store_true", help="Print the demo logins afterwards."
        )

    def handle(self, *args, print_logins: bool = False, **options):
        created = demo_seed()
        self.stdout.write(
            f"seed_demo: {created['agencies']} agencies and {created['users']} users created."
        )
        if print_logins:
            self.stdout.write("\nDemo logins (demo only), password for all: " + demo.DEMO_PASSWORD)
            for spec in demo.DEMO_USERS:
                agency = spec.agency_slug or "-"
                self.stdout.write(f"  {spec.username:<22} {spec.role.label!s:<34} {agency}")
