"""Writes of the accounts app: the demo seed and every registry change."""

import datetime as dt
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.forms import ModelForm
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_record, changed_fields
from notifications.services import notification_create

from . import demo
from .models import (
    AccountStatus,
    Agency,
    AgencyKind,
    Appointment,
    AppointmentRole,
    Decree,
    OfficialAccount,
    Sop,
    User,
)
from .roles import Role
from .twofactor import second_factor_required


@transaction.atomic
def demo_seed(*, now: datetime) -> dict[str, int]:
    """Create the demo agencies, users and registry rows that do not exist yet.

    Idempotent: existing rows are left exactly as they are (a changed password,
    name, end date or status survives a second run), and a row is looked up by its
    natural key (slug, username, decree number, platform and handle, ...), so a
    second run creates nothing. Dates relative to ``now`` only fill new rows.
    Returns how many rows of each kind were created.
    """
    today = timezone.localdate(now)
    created = dict.fromkeys(
        ("agencies", "users", "decrees", "accounts", "appointments", "sops", "authenticators"), 0
    )
    for name, short_name, slug in demo.AGENCIES:
        _agency, was_created = Agency.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short_name,
                "is_dinas": slug == demo.DINAS[2],
                "kind": demo.AGENCY_KINDS.get(slug, AgencyKind.DINAS),
                "authority_topics": demo.AUTHORITY_TOPICS.get(slug, []),
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
        user.groups.add(Group.objects.get_or_create(name=spec.role)[0])
        created["users"] += 1
    _demo_seed_registry(agencies=agencies, today=today, now=now, created=created)
    created["authenticators"] = _demo_seed_authenticators()
    return created


def _demo_seed_authenticators() -> int:
    """A confirmed TOTP device with the documented demo key for each demo user who needs a
    second factor and has none confirmed (one removed in the admin returns on the next run)."""
    made = 0
    demo_users = User.objects.filter(username__in=[spec.username for spec in demo.DEMO_USERS])
    for user in demo_users.prefetch_related("groups"):
        if (
            second_factor_required(user)
            and not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        ):
            TOTPDevice.objects.create(
                user=user, name="Demo", key=demo.DEMO_TOTP_KEY_HEX, confirmed=True
            )
            made += 1
    return made


def _demo_seed_registry(
    *, agencies: dict[str, Agency], today: dt.date, now: datetime, created: dict[str, int]
) -> None:
    author = User.objects.filter(username="admin").first()
    decrees: dict[tuple[str, str], Decree] = {}
    for spec in demo.DECREES:
        agency = agencies[spec.agency_slug]
        decree = Decree.objects.filter(agency=agency, number=spec.number).first()
        if decree is None:
            decree = Decree(
                agency=agency,
                number=spec.number,
                title=spec.title,
                signed_on=spec.signed_on,
                valid_from=spec.valid_from,
                valid_until=spec.until(today),
                created_by=author,
            )
            pdf = demo.document_pdf(
                agency_name=agency.name,
                heading=demo.decree_heading(agency.slug, agency.name),
                number=spec.number,
                title=spec.title,
            )
            decree.document.save("sk-demo.pdf", ContentFile(pdf), save=False)
            decree.save()
            created["decrees"] += 1
        decrees[spec.agency_slug, spec.number] = decree

    for spec in demo.ACCOUNTS:
        if OfficialAccount.objects.filter(
            platform=spec.platform, handle__iexact=spec.handle
        ).exists():
            continue
        OfficialAccount.objects.create(
            agency=agencies[spec.agency_slug],
            decree=decrees[spec.agency_slug, spec.decree_number],
            account_type=spec.account_type,
            platform=spec.platform,
            handle=spec.handle,
            url=spec.url,
            target_audience=spec.target_audience,
        )
        created["accounts"] += 1

    users = {user.username: user for user in User.objects.filter(agency__isnull=False)}
    for spec in demo.APPOINTMENTS:
        user = users.get(spec.username)
        decree = decrees[spec.agency_slug, spec.decree_number]
        if user is None or user.agency_id != decree.agency_id:
            # A demo user moved to another agency locally: leave them be.
            continue
        if Appointment.objects.filter(user=user, decree=decree, role=spec.role).exists():
            continue
        Appointment.objects.create(
            user=user,
            agency=decree.agency,
            role=spec.role,
            decree=decree,
            starts_on=decree.valid_from,
            ethics_acknowledged_at=now if spec.ethics_acknowledged else None,
            created_by=author,
        )
        user.groups.add(Group.objects.get_or_create(name=ROLE_GROUP[spec.role])[0])
        created["appointments"] += 1

    for spec in demo.SOPS:
        agency = agencies[spec.agency_slug]
        if Sop.objects.filter(agency=agency, title=spec.title).exists():
            continue
        sop = Sop(
            agency=agency,
            title=spec.title,
            effective_from=spec.effective_from,
            uploaded_by=author,
        )
        pdf = demo.document_pdf(
            agency_name=agency.name,
            heading="Standar Operasional Prosedur",
            title=spec.title,
        )
        sop.document.save("sop-demo.pdf", ContentFile(pdf), save=False)
        sop.save()
        created["sops"] += 1


# --- Registry writes ------------------------------------------------------------

ROLE_GROUP = {AppointmentRole.PETUGAS: Role.PETUGAS, AppointmentRole.PEJABAT: Role.PEJABAT}


class RegistryError(Exception):
    """A registry rule refused the change; the message is for the user."""


def registry_record_save(*, form: ModelForm, by: User, now: datetime) -> models.Model:
    """Save a validated registry form (agency, decree, account, SOP) with its audit row.

    The form has validated the input and fixed the agency; this records who
    changed what, in the same transaction.
    """
    instance = form.instance
    creating = instance.pk is None
    for author_field in ("created_by", "uploaded_by"):
        if creating and hasattr(instance, f"{author_field}_id"):
            setattr(instance, author_field, by)
    with transaction.atomic():
        # The stored row, locked, so the recorded "before" is what this save replaces.
        before = (
            None if creating else type(instance).objects.select_for_update().get(pk=instance.pk)
        )
        saved = form.save()
        audit_record(
            actor=by,
            action="create" if creating else "update",
            obj=saved,
            agency_id=saved.pk if isinstance(saved, Agency) else saved.agency_id,
            changes=changed_fields(before, saved, list(form.fields)),
            now=now,
        )
    return saved


def appointment_create(*, form: ModelForm, by: User, now: datetime) -> Appointment:
    """Record an appointment and give the person the matching portal role.

    Preconditions (checked by the form): the person and the decree belong to the
    appointment's agency and the person has a valid NIP (an ASN).
    """
    with transaction.atomic():
        appointment = form.save(commit=False)
        appointment.created_by = by
        appointment.save()
        appointment.user.groups.add(
            Group.objects.get_or_create(name=ROLE_GROUP[appointment.role])[0]
        )
        audit_record(
            actor=by,
            action="create",
            obj=appointment,
            changes=changed_fields(None, appointment, list(form.fields)),
            now=now,
        )
    return appointment


def appointment_end(*, appointment: Appointment, by: User, ends_on: dt.date, now: datetime) -> None:
    """End an appointment on ``ends_on`` (kept in the history, never deleted).

    Refused when the appointment is already over (its end date has passed), when
    ``ends_on`` would not bring a planned end forward, and before its start.
    """
    today = timezone.localdate(now)
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if locked.ends_on is not None and (locked.ends_on < today or locked.ends_on <= ends_on):
            raise RegistryError(_("This appointment has already ended."))
        if ends_on < locked.starts_on:
            raise RegistryError(_("An appointment cannot end before it starts."))
        old = locked.ends_on
        locked.ends_on = ends_on
        locked.save(update_fields=["ends_on"])
        audit_record(
            actor=by,
            action="end",
            obj=locked,
            changes={"ends_on": [str(old) if old else None, str(ends_on)]},
            now=now,
        )


def account_set_status(*, account: OfficialAccount, by: User, status: str, now: datetime) -> None:
    """Activate, deactivate or archive an official account (never deleted)."""
    if status not in AccountStatus.values:
        raise RegistryError(_("Unknown account status."))
    with transaction.atomic():
        locked = OfficialAccount.objects.select_for_update().get(pk=account.pk)
        if locked.status == status:
            raise RegistryError(_("The account already has this status."))
        old = locked.status
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=by, action="status", obj=locked, changes={"status": [old, status]}, now=now
        )


def ethics_acknowledge(*, user: User, now: datetime) -> int:
    """Record that ``user`` read and accepted Pasal 12-13 for every pending appointment."""
    with transaction.atomic():
        pending = list(
            Appointment.objects.select_for_update().filter(
                user=user, ethics_acknowledged_at__isnull=True
            )
        )
        for appointment in pending:
            appointment.ethics_acknowledged_at = now
            appointment.save(update_fields=["ethics_acknowledged_at"])
            audit_record(actor=user, action="ethics_acknowledged", obj=appointment, now=now)
    return len(pending)


def decree_expiry_remind(*, today: dt.date, now: datetime) -> int:
    """Remind each agency's pejabat 30 and 7 days before a decree expires.

    Each decree gets one notice per mark per pejabat, ever: the notice key is
    unique, so running this daily, twice a day or after a missed day is the same.
    A decree found inside the 7-day window gets only the 7-day notice.
    """
    marks = sorted(settings.DECREE_REMINDER_DAYS)
    horizon = today + dt.timedelta(days=marks[-1])
    decrees = Decree.objects.filter(
        valid_until__gte=today, valid_until__lte=horizon
    ).select_related("agency")
    sent = 0
    for decree in decrees:
        remaining = (decree.valid_until - today).days
        mark = next(m for m in marks if remaining <= m)
        pejabat = User.objects.filter(
            pk__in=Appointment.objects.filter(
                agency_id=decree.agency_id, role=AppointmentRole.PEJABAT
            )
            .active_on(today)
            .values("user_id"),
            is_active=True,
        )
        for person in pejabat:
            notice = notification_create(
                recipient=person,
                key=f"decree:{decree.pk}:expiry:{mark}",
                kind="decree_expiry",
                title=str(
                    _("Decree %(number)s expires in %(days)s days")
                    % {"number": decree.number, "days": remaining}
                ),
                body=str(
                    _(
                        "The decree %(number)s (%(title)s) of %(agency)s is valid until "
                        "%(until)s. Accounts and appointments it covers stop being official "
                        "then; prepare its renewal."
                    )
                    % {
                        "number": decree.number,
                        "title": decree.title,
                        "agency": decree.agency.name,
                        "until": decree.valid_until.strftime("%d-%m-%Y"),
                    }
                ),
                url=reverse("accounts:decree_detail", args=[decree.pk]),
                now=now,
            )
            sent += notice is not None
    return sent
