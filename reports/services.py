"""Writes and state transitions of annual reports and their evaluation (Pasal 15–16).

draft → submitted (by the agency's pejabat; the figures are frozen) → under evaluation
(Diskominfo) → evaluated → sent to the Bupati; from submitted or under evaluation the
evaluator may instead return it for revision with a note, and the agency resubmits.
Each step locks the report, checks its state and who acts, writes one
:class:`ReportEvent` and one audit row.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.access import scope_for
from accounts.models import Agency, User
from accounts.roles import APPROVER_ROLES, EVALUATOR_ROLES
from audit.services import audit_record

from .compile import compile_report
from .models import FACILITIES, SECTIONS, AnnualReport, Evaluation, ReportEvent, ReportStatus

S = ReportStatus
NARRATIVE_FIELDS = (
    "policy_overview",
    "constraints_external",
    "constraints_internal",
    "recommendations_text",
)


class ReportError(Exception):
    """A step that is not possible now; the message is for the user."""


def report_create(*, agency: Agency, year: int, by: User, now: datetime) -> AnnualReport:
    """Start the agency's report for ``year`` (one per agency and year)."""
    _require_agency_writer(by, agency.pk)
    if year > now.year:
        raise ReportError(_("A report cannot be started for a year that has not begun."))
    try:
        with transaction.atomic():
            report = AnnualReport.objects.create(
                agency=agency, year=year, created_by=by, created_at=now, updated_at=now
            )
            _event(report, by, now, "create", "", S.DRAFT)
    except IntegrityError:
        raise ReportError(
            _("%(agency)s already has a report for %(year)s.") % {"agency": agency, "year": year}
        ) from None
    return report


def report_edit(
    *, report: AnnualReport, by: User, now: datetime, expected_version: int, **narrative
) -> AnnualReport:
    """Change the narrative of a draft or returned report (sections a, g, h and the
    Pasal 14 checklist). ``expected_version`` refuses an edit made on a stale page."""
    with transaction.atomic():
        locked = _locked(report, by, allowed=(S.DRAFT, S.RETURNED), action=_("edit"))
        _require_agency_writer(by, locked.agency_id)
        if locked.version != expected_version:
            raise ReportError(
                _("Someone changed this report meanwhile; reload the page and edit again.")
            )
        changed = []
        for field in NARRATIVE_FIELDS:
            if field in narrative and getattr(locked, field) != narrative[field].strip():
                setattr(locked, field, narrative[field].strip())
                changed.append(field)
        if "facilities" in narrative:
            facilities = {key: bool(narrative["facilities"].get(key)) for key in FACILITIES}
            if facilities != locked.facilities:
                locked.facilities = facilities
                changed.append("facilities")
        if not changed:
            return locked
        locked.updated_at = now
        locked.version += 1
        locked.save()
        _event(locked, by, now, "edit", locked.status, locked.status, changes=changed)
    return locked


def report_submit(*, report: AnnualReport, by: User, now: datetime) -> AnnualReport:
    """The agency's pejabat submits the report to the Bupati through Diskominfo; its
    figures are frozen now."""
    with transaction.atomic():
        locked = _locked(report, by, allowed=(S.DRAFT, S.RETURNED), action=_("submit"))
        _require_agency_writer(by, locked.agency_id)
        if not by.roles & APPROVER_ROLES:
            raise ReportError(_("Only the agency's pejabat submits its report."))
        missing = [
            SECTIONS[letter]
            for letter, field in (("a", "policy_overview"), ("g", "constraints_internal"))
            if not getattr(locked, field).strip()
        ]
        if missing:
            raise ReportError(
                _("Write the narrative of every section first; missing: %(sections)s.")
                % {"sections": "; ".join(str(m) for m in missing)}
            )
        locked.snapshot = compile_report(locked.agency, locked.year, now=now)
        locked.submitted_at, locked.submitted_by = now, by
        return _move(locked, by, now, "submit", S.SUBMITTED)


def evaluation_start(*, report: AnnualReport, by: User, now: datetime) -> AnnualReport:
    """A Diskominfo evaluator takes up a submitted report."""
    _require_evaluator(by)
    with transaction.atomic():
        locked = _locked(report, by, allowed=(S.SUBMITTED,), action=_("start the evaluation"))
        Evaluation.objects.get_or_create(
            report=locked, defaults={"evaluator": by, "updated_at": now}
        )
        return _move(locked, by, now, "evaluate_start", S.UNDER_EVALUATION)


def report_return(*, report: AnnualReport, by: User, note: str, now: datetime) -> AnnualReport:
    """The evaluator returns the report for revision, saying what to revise."""
    _require_evaluator(by)
    if not note.strip():
        raise ReportError(_("Say what should be revised."))
    with transaction.atomic():
        locked = _locked(report, by, allowed=(S.SUBMITTED, S.UNDER_EVALUATION), action=_("return"))
        return _move(locked, by, now, "return", S.RETURNED, note=note.strip())


def evaluation_save(
    *,
    report: AnnualReport,
    by: User,
    now: datetime,
    sections: dict[str, dict],
    conclusion: str,
) -> Evaluation:
    """Record the findings and recommendations per section and the conclusion."""
    _require_evaluator(by)
    with transaction.atomic():
        locked = _locked(report, by, allowed=(S.UNDER_EVALUATION,), action=_("evaluate"))
        evaluation = Evaluation.objects.select_for_update().get(report=locked)
        evaluation.sections = {
            letter: {
                "findings": (sections.get(letter) or {}).get("findings", "").strip(),
                "recommendations": (sections.get(letter) or {}).get("recommendations", "").strip(),
                "score": (sections.get(letter) or {}).get("score"),
            }
            for letter in SECTIONS
        }
        evaluation.conclusion = conclusion.strip()
        evaluation.evaluator = by
        evaluation.updated_at = now
        evaluation.save()
        audit_record(
            actor=by, action="evaluation_save", obj=evaluation, agency_id=locked.agency_id, now=now
        )
    return evaluation


def report_evaluated(*, report: AnnualReport, by: User, now: datetime) -> AnnualReport:
    """Close the evaluation; it needs an overall conclusion."""
    _require_evaluator(by)
    with transaction.atomic():
        locked = _locked(report, by, allowed=(S.UNDER_EVALUATION,), action=_("finish"))
        evaluation = Evaluation.objects.select_for_update().get(report=locked)
        if not evaluation.conclusion:
            raise ReportError(_("Write the overall conclusion of the evaluation first."))
        evaluation.completed_at = now
        evaluation.save(update_fields=["completed_at"])
        return _move(locked, by, now, "evaluated", S.EVALUATED)


def report_send(*, report: AnnualReport, by: User, now: datetime) -> AnnualReport:
    """Diskominfo sends the evaluated report to the Bupati."""
    _require_evaluator(by)
    with transaction.atomic():
        locked = _locked(report, by, allowed=(S.EVALUATED,), action=_("send"))
        locked.sent_at = now
        return _move(locked, by, now, "send", S.SENT)


# --- Internals ------------------------------------------------------------------------


def _require_agency_writer(user: User, agency_id: int) -> None:
    if not scope_for(user).may_write_agency(agency_id):
        raise ReportError(_("You may not change this agency's report."))


def _require_evaluator(user: User) -> None:
    if not user.roles & EVALUATOR_ROLES:
        raise ReportError(_("Only a Diskominfo evaluator takes this step."))


def _locked(report: AnnualReport, by: User, *, allowed, action: str) -> AnnualReport:
    locked = AnnualReport.objects.select_for_update().select_related("agency").get(pk=report.pk)
    if locked.status not in allowed:
        raise ReportError(
            _("“%(action)s” is not possible while the report is “%(status)s”.")
            % {"action": action, "status": S(locked.status).label}
        )
    return locked


def _move(report, by, now, action: str, to: str, note: str = "") -> AnnualReport:
    before = report.status
    report.status = to
    report.updated_at = now
    report.version += 1
    report.save()
    _event(report, by, now, action, before, to, note=note)
    return report


def _event(report, by, now, action, before, to, note="", changes=None) -> None:
    ReportEvent.objects.create(
        report=report, at=now, actor=by, action=action, from_status=before, to_status=to, note=note
    )
    audit_record(
        actor=by,
        action=f"report_{action}",
        obj=report,
        changes={"status": [before, to], **({"fields": changes} if changes else {})},
        note=note,
        now=now,
    )
