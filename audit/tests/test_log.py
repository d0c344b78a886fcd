"""The audit log page, and the database's own refusal to change the trail."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import audit_record

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def events(agency_a, agency_b, officer_a, officer_b, evaluator):
    return [
        audit_record(
            actor=evaluator,
            action="reveal_contact",
            obj=agency_a,
            agency_id=agency_a.pk,
            note="Permintaan warga nomor 17",
            now=NOW,
        ),
        audit_record(
            actor=officer_a,
            action="update",
            obj=agency_a,
            agency_id=agency_a.pk,
            changes={"phone": ["", "0536-123"]},
            now=NOW - dt.timedelta(days=3),
        ),
        audit_record(
            actor=officer_b, action="export", obj=agency_b, now=NOW - dt.timedelta(days=9)
        ),
    ]


def shown(page) -> set[int]:
    return {event.pk for event in page.context["page"].object_list}


def test_an_evaluator_searches_the_log_by_reason_action_agency_and_date(
    client, evaluator, events, agency_a
):
    reveal, update, export = events
    client.force_login(evaluator)
    url = reverse("audit:log")

    assert shown(client.get(url)) == {reveal.pk, update.pk, export.pk}
    assert shown(client.get(url, {"q": "warga nomor 17"})) == {reveal.pk}
    assert shown(client.get(url, {"q": "petugas_a"})) == {update.pk}
    assert shown(client.get(url, {"aksi": "export"})) == {export.pk}
    assert shown(client.get(url, {"instansi": agency_a.slug})) == {reveal.pk, update.pk}
    assert shown(client.get(url, {"dari": "2026-06-10", "sampai": "2026-06-13"})) == {update.pk}

    page = client.get(url, {"aksi": "update"}).content.decode()
    assert "phone:" in page and "0536-123" in page


def test_the_log_is_newest_first_and_paginated(client, evaluator, agency_a):
    for minute in range(30):
        audit_record(
            actor=evaluator, action="view", obj=agency_a, now=NOW + dt.timedelta(minutes=minute)
        )
    client.force_login(evaluator)
    first = client.get(reverse("audit:log")).context["page"]
    assert first.paginator.count == 30 and len(first.object_list) == 25
    assert first.object_list[0].at == NOW + dt.timedelta(minutes=29)


def test_an_empty_search_says_so(client, evaluator, events):
    client.force_login(evaluator)
    page = client.get(reverse("audit:log"), {"q": "tidak ada yang cocok"})
    assert shown(page) == set()
    assert (
        "No audit event to show." in page.content.decode() or "Tidak ada" in page.content.decode()
    )


@pytest.mark.parametrize("who", ["officer_a", "pejabat_a", "pimpinan", "outsider"])
def test_only_evaluators_and_administrators_read_the_log(client, who, request, events):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("audit:log")).status_code == 403


def test_the_administrator_reads_the_log(client, administrator, events):
    client.force_login(administrator)
    assert len(shown(client.get(reverse("audit:log")))) == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET note = 'rewritten' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_the_database_refuses_raw_changes_of_the_trail(events, statement):
    """Past the ORM's guard (a raw cursor, as psql would be), PostgreSQL refuses too."""
    target = events[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement, [target.pk])
    assert AuditEvent.objects.filter(pk=target.pk, note="Permintaan warga nomor 17").exists()
