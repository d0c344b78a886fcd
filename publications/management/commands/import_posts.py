"""``manage.py import_posts FILE --account ID``: the web import, from the command line.

For files too large to upload, or for loading an agency's history once. It runs the
same three steps as the web import (:mod:`publications.imports`) with the larger
command-line limits, and like it writes all rows or none.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OfficialAccount, User
from accounts.roles import Role
from katingan_sosmed import clock
from publications import imports
from publications.models import PostCategory
from publications.services import PostError

SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = (
        "Import a platform's CSV export of posts (or the generic template) into one official "
        "account. The layout is detected from the header unless --format names it. Re-importing "
        "a file updates its posts (keyed by the platform's post id) instead of adding them "
        "again. Nothing is written when any row has an error. The import is recorded as done "
        "by --user; without it, by the first active administrator (lowest id)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file.")
        parser.add_argument(
            "--account", type=int, required=True, help="Id of the official account."
        )
        parser.add_argument(
            "--format",
            choices=sorted(imports.FORMATS),
            help="The layout of the file, when it is not to be detected.",
        )
        parser.add_argument(
            "--category",
            choices=PostCategory.values,
            default=PostCategory.AGENCY_ACTIVITY,
            help="Category (Pasal 10) of new posts whose row has none (default: kegiatan).",
        )
        parser.add_argument(
            "--user",
            help="Username the import is recorded for; default: the first active administrator.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file only; write nothing."
        )

    def handle(self, *args, **options):
        account = OfficialAccount.objects.filter(pk=options["account"]).first()
        if account is None:
            raise CommandError(
                _("There is no official account %(id)s.") % {"id": options["account"]}
            )
        user = self._user(options["user"])
        try:
            data = options["file"].read_bytes()
        except OSError as error:
            raise CommandError(
                _("The file cannot be read: %(error)s") % {"error": error.strerror}
            ) from None
        now = clock.now()
        try:
            parsed = imports.parse(
                data,
                format_name=options["format"],
                max_bytes=imports.CLI_MAX_BYTES,
                max_rows=imports.CLI_MAX_ROWS,
            )
            checked = imports.validate(
                parsed,
                account=account,
                default_category=options["category"],
                today=timezone.localdate(now),
                now=now,
            )
            if checked.errors:
                self._report(checked.errors)
                raise CommandError(
                    _("Nothing was imported: the file has %(count)d errors.")
                    % {"count": len(checked.errors)}
                )
            if options["dry_run"]:
                self.stdout.write(
                    _("%(rows)d rows of layout “%(layout)s” checked, no errors; nothing written.")
                    % {"rows": len(checked.rows), "layout": parsed.format.label}
                )
                return
            result = imports.import_posts(checked, account=account, by=user, now=now)
        except (imports.ImportFileError, PostError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _(
                "%(rows)d rows of layout “%(layout)s” imported into %(account)s as %(user)s: "
                "%(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
                "%(metrics)d figure readings."
            )
            % {
                "rows": len(checked.rows),
                "layout": parsed.format.label,
                "account": account.handle,
                "user": user.username,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "metrics": result.metrics,
            }
        )

    def _user(self, username: str | None) -> User:
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(
                    _("There is no active user “%(username)s”.") % {"username": username}
                )
            return user
        user = (
            User.objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(groups__name=Role.ADMINISTRATOR))
            .order_by("pk")
            .first()
        )
        if user is None:
            raise CommandError(_("There is no active administrator; name the user with --user."))
        return user

    def _report(self, errors: list[imports.RowError]) -> None:
        for error in errors[:SHOWN_ERRORS]:
            self.stderr.write(
                _("row %(row)d, column %(column)s: %(message)s")
                % {"row": error.row, "column": error.column or "-", "message": error.message}
            )
        if len(errors) > SHOWN_ERRORS:
            self.stderr.write(
                _("… and %(count)d more errors.") % {"count": len(errors) - SHOWN_ERRORS}
            )
