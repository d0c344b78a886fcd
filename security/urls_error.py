"""The portal's URL conf plus a view that fails with personal data in hand (tests only)."""

from django.urls import include, path


def fails_with_personal_data(request):
    author = "Budi Rahasia Santoso"  # noqa: F841 - a local a debug page would show
    contact = "081299998888"  # noqa: F841
    raise RuntimeError("could not process the inquiry of Budi Rahasia Santoso, 081299998888")


urlpatterns = [
    path("gagal/", fails_with_personal_data),
    path("", include("katingan_sosmed.urls")),
]
