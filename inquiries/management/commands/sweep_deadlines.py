from django.core.management.base import BaseCommand

from inquiries.deadlines import deadline_sweep
from katingan_sosmed import clock


class Command(BaseCommand):
    help = "Send the due forwarding reminders, overdue notices and escalations once."

    def handle(self, *args, **options):
        counts = deadline_sweep(now=clock.now())
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count}")
