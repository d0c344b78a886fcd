"""The portal's URL map. Each app owns its URLs; this file only mounts them."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from accounts.login_views import admin_login

admin.site.site_header = "Portal Tata Kelola Media Sosial Kabupaten Katingan"
admin.site.site_title = "Admin Portal Media Sosial Katingan"
# The admin signs in through the portal's login, with its lockout and second factor.
admin.site.login = admin_login

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("accounts.registry_urls")),
    path("", include("health.urls")),
    path("notifikasi/", include("notifications.urls")),
    # Before any other "pertanyaan/" include, so no pattern there can capture it.
    path("pertanyaan/token-api/", include("inquiries.token_urls")),
    path("pertanyaan/", include("inquiries.urls")),
    path("publikasi/", include("publications.urls")),
    path("laporan/", include("reports.urls")),
    path("privasi/", include("privacy.urls")),
    path("audit/", include("audit.urls")),
    path("regulasi/", include("regulation.urls")),
    path("lacak/", include("inquiries.public_urls")),
    path("api/", include("inquiries.api.urls")),
    path("bahasa/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
