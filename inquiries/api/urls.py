"""``/api/``: version 1 of the API, its OpenAPI schema and its documentation page.

A later incompatible version gets its own ``v2/`` include beside ``v1/``.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"

v1_patterns = [
    path("inquiries/", views.InquiryListCreate.as_view(), name="inquiry-list"),
    path(
        "inquiries/<str:tracking_code>/",
        views.InquiryDetail.as_view(),
        name="inquiry-detail",
    ),
    path("channels/", views.ChannelList.as_view(), name="channel-list"),
]

urlpatterns = [
    path("v1/", include((v1_patterns, "v1"))),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script from a URL of its own, and our
    # template has no inline script or style: the page works under the portal's
    # strict Content Security Policy, with Swagger UI from drf-spectacular-sidecar
    # (static files, no CDN).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="inquiries/api/swagger_ui.html"
        ),
        name="docs",
    ),
]
