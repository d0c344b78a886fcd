"""Issue 8: every model of the portal's apps is in the Django admin, and the admin of
each opens for an administrator."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

APPS = ("accounts", "inquiries", "publications", "reports", "notifications", "audit", "health")
MODELS = [m for m in apps.get_models() if m._meta.app_label in APPS]


@pytest.mark.parametrize("model", MODELS, ids=[m._meta.label for m in MODELS])
def test_every_model_is_registered(model):
    assert model in admin.site._registry


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=[m._meta.label for m in MODELS])
def test_every_changelist_opens(client, administrator, model):
    client.force_login(administrator)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
