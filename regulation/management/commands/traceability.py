from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from regulation.checks import problems
from regulation.markdown import traceability_markdown
from regulation.provisions import PROVISIONS


class Command(BaseCommand):
    help = "Check regulation/provisions.py and write docs/traceability.md from it."

    def handle(self, *args, **options):
        found = problems(PROVISIONS)
        if found:
            raise CommandError("\n".join(found))
        target = Path(settings.BASE_DIR) / "docs" / "traceability.md"
        target.write_text(traceability_markdown())
        self.stdout.write(f"wrote {target.relative_to(settings.BASE_DIR)}")
