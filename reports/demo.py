"""Demo annual reports for ``seed_demo``: last year's evaluated and sent to the Bupati for
the agencies that have a pejabat, and this year's in each earlier step (a draft, one
submitted, one returned), all through the services. Idempotent: an agency-year that has
a report is left alone."""

import datetime as dt

from django.db import transaction

from accounts.models import Agency, User
from accounts.roles import Role

from . import services
from .models import AnnualReport

NARRATIVE = {
    "policy_overview": (
        "Layanan informasi melalui media sosial dijalankan oleh petugas yang ditunjuk dengan "
        "Keputusan Kepala Instansi. Setiap unggahan disiapkan petugas dan disetujui pejabat "
        "penanggung jawab sebelum terbit; pertanyaan masyarakat dijawab langsung atau "
        "diteruskan kepada instansi yang berwenang paling lama 1 x 24 jam."
    ),
    "constraints_external": "Sinyal internet lemah di kecamatan hulu; listrik sering padam.",
    "constraints_internal": "Petugas media sosial baru dua orang dan merangkap tugas lain.",
    "recommendations_text": "Menambah satu petugas dan menyusun jadwal unggahan bulanan.",
    "facilities": {"computer": True, "electricity": True, "internet": True},
}


def seed(*, now: dt.datetime) -> dict[str, int]:
    created = {"annual reports": 0}
    evaluator = User.objects.filter(groups__name=Role.EVALUATOR, is_active=True).first()
    if evaluator is None:
        return created
    people: dict[int, dict[str, User]] = {}
    for user in User.objects.filter(is_active=True, agency__isnull=False).order_by("username"):
        for role, key in ((Role.PETUGAS, "petugas"), (Role.PEJABAT, "pejabat")):
            if role in user.roles:
                people.setdefault(user.agency_id, {}).setdefault(key, user)
    agencies = Agency.objects.filter(pk__in=list(people)).order_by("name")
    with transaction.atomic():
        for n, agency in enumerate(agencies):
            staff = people[agency.pk]
            writer, pejabat = staff.get("petugas") or staff.get("pejabat"), staff.get("pejabat")
            if pejabat is None:
                continue
            last_year = now.year - 1
            if not AnnualReport.objects.filter(agency=agency, year=last_year).exists():
                report = _written(agency, last_year, writer, now - dt.timedelta(days=330))
                at = now - dt.timedelta(days=320)
                services.report_submit(report=report, by=pejabat, now=at)
                services.evaluation_start(report=report, by=evaluator, now=at)
                services.evaluation_save(
                    report=report,
                    by=evaluator,
                    now=at,
                    sections={
                        "f": {
                            "findings": "Sebagian balasan melewati 24 jam.",
                            "recommendations": "Tetapkan petugas piket.",
                        }
                    },
                    conclusion="Layanan berjalan baik; percepat balasan yang diteruskan.",
                )
                services.report_evaluated(report=report, by=evaluator, now=at)
                services.report_send(report=report, by=evaluator, now=at)
                created["annual reports"] += 1
            if not AnnualReport.objects.filter(agency=agency, year=now.year).exists():
                report = _written(agency, now.year, writer, now - dt.timedelta(days=3))
                step = n % 3
                if step >= 1:
                    services.report_submit(
                        report=report, by=pejabat, now=now - dt.timedelta(days=2)
                    )
                if step == 2:
                    services.report_return(
                        report=report,
                        by=evaluator,
                        now=now - dt.timedelta(days=1),
                        note="Lengkapi uraian kendala eksternal dengan data kecamatan.",
                    )
                created["annual reports"] += 1
    return created


def _written(agency, year, by, now) -> AnnualReport:
    report = services.report_create(agency=agency, year=year, by=by, now=now)
    return services.report_edit(
        report=report, by=by, now=now, expected_version=report.version, **NARRATIVE
    )
