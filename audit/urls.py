"""The audit log for evaluators and administrators."""

from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.log, name="log"),
]
