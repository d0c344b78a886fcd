"""The audit trail is append-only: no change or deletion through the ORM or the admin."""

import datetime as dt

import pytest
from django.contrib import admin
from django.db import transaction
from django.db.models import ProtectedError
from django.test import RequestFactory
from django.urls import reverse

from audit.models import AppendOnlyError, AuditEvent
from audit.services import audit_record, changed_fields

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def event(agency_a, officer_a):
    return audit_record(
        actor=officer_a,
        action="update",
        obj=agency_a,
        agency_id=agency_a.pk,
        changes={"phone": ["", "0536-123"]},
        now=NOW,
    )


def stored(event) -> tuple:
    return AuditEvent.objects.filter(pk=event.pk).values_list("action", "changes", "at").get()


def test_audit_record_writes_who_what_when_and_where(event, agency_a, officer_a):
    assert (event.actor, event.action, event.at, event.agency) == (
        officer_a,
        "update",
        NOW,
        agency_a,
    )
    assert (event.object_type, event.object_id) == ("accounts.agency", str(agency_a.pk))
    assert event.object_repr == agency_a.name


def test_audit_record_takes_the_agency_of_the_object(agency_a, officer_a):
    event = audit_record(actor=officer_a, action="create", obj=officer_a, now=NOW)
    assert event.agency == agency_a


def test_an_anonymous_actor_is_recorded_as_nobody(agency_a):
    from django.contrib.auth.models import AnonymousUser

    event = audit_record(actor=AnonymousUser(), action="view", obj=agency_a, now=NOW)
    assert event.actor is None


def test_an_event_cannot_be_saved_again(event):
    event.action = "nothing happened"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert stored(event)[0] == "update"


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_queryset_cannot_update(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="nothing happened")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(changes={})
    assert stored(event) == ("update", {"phone": ["", "0536-123"]}, NOW)


def test_the_queryset_cannot_delete(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 1


def test_bulk_update_cannot_change_events(event):
    event.action = "nothing happened"
    # bulk_update runs in an atomic block without a savepoint; give it one so the
    # test's transaction survives the refusal.
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["action"])
    assert stored(event)[0] == "update"


def test_deleting_the_actor_cannot_take_the_trail_along(event, officer_a):
    with pytest.raises(ProtectedError):
        officer_a.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_changed_fields_lists_only_differences(agency_a):
    before = type(agency_a).objects.get(pk=agency_a.pk)
    agency_a.phone = "0536-123"
    assert changed_fields(before, agency_a, ["name", "phone"]) == {"phone": ["", "0536-123"]}
    assert changed_fields(None, agency_a, ["phone"]) == {"phone": [None, "0536-123"]}


# --- The admin ----------------------------------------------------------------------


def test_the_admin_grants_no_add_change_or_delete(event, administrator):
    model_admin = admin.site._registry[AuditEvent]
    request = RequestFactory().get("/admin/")
    request.user = administrator
    assert administrator.is_superuser
    assert model_admin.has_view_permission(request, event)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)


def test_the_admin_shows_events_read_only(client, event, administrator):
    client.force_login(administrator)

    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    change_url = reverse("admin:audit_auditevent_change", args=[event.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content

    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.post(change_url, {"action": "nothing happened"}).status_code == 403
    delete_url = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:audit_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302, 403)
    assert stored(event) == ("update", {"phone": ["", "0536-123"]}, NOW)
