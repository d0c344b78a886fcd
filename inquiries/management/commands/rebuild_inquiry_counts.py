from django.core.management.base import BaseCommand, CommandError

from inquiries import counts


class Command(BaseCommand):
    help = (
        "Recount the daily counters of inquiries and forwardings (dashboard, board, reports) "
        "from their rows, after a bulk load or a restore; with --check, only compare."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Compare the counters with a recount and fail if they differ; change nothing.",
        )

    def handle(self, *args, check=False, **options):
        if check:
            differences = counts.differences()
            for table, (agency_id, day), have, want in differences[:20]:
                self.stdout.write(
                    f"{table} agency {agency_id} {day}: stored {have}, recounted {want}"
                )
            if differences:
                raise CommandError(f"{len(differences)} daily counters differ from a recount.")
            self.stdout.write("The daily counters agree with the inquiries.")
            return
        rows = counts.rebuild()
        self.stdout.write(f"{rows} daily counters rebuilt.")
