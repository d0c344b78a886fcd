from django.core.management.base import BaseCommand, CommandError

from benchdata.generate import PASSWORD, BenchDataError, generate
from katingan_sosmed import clock


class Command(BaseCommand):
    help = (
        "Fill an empty PostgreSQL database with a seeded year of benchmark data: agencies, "
        "people, accounts, inquiries with their history and forwardings, posts, audience."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agencies", type=int, default=40)
        parser.add_argument("--inquiries", type=int, default=100_000)
        parser.add_argument("--seed", type=float, default=0.2026, help="between -1 and 1")

    def handle(self, *args, agencies, inquiries, seed, **options):
        try:
            result = generate(agencies=agencies, inquiries=inquiries, seed=seed, now=clock.now())
        except BenchDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{inquiries:,} inquiries for {agencies} agencies in {result.seconds:.0f} s "
            f"({result.counter_rows:,} daily counters in {result.counter_seconds:.1f} s)."
        )
        self.stdout.write(
            f"Sign in as {result.officer.username} or {result.evaluator.username} with "
            f"password {PASSWORD}; API key of {result.officer.agency.name}: {result.api_key}"
        )
