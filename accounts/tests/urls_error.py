"""A URL conf with a view that fails, to see the 500 page (tests only)."""

from django.urls import path


def boom(request):
    raise RuntimeError("forced failure")


urlpatterns = [path("boom/", boom)]
