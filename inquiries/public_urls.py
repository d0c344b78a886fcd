"""``/lacak/``: public tracking of an inquiry by its code (no sign-in)."""

from django.urls import path

from . import public

app_name = "tracking"

urlpatterns = [
    path("", public.track_form, name="form"),
    path("<str:code>/", public.track_detail, name="detail"),
]
