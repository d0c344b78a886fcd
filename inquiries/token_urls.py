"""``/pertanyaan/token-api/``: an agency's integration tokens."""

from django.urls import path

from . import token_views

app_name = "tokens"

urlpatterns = [
    path("", token_views.token_list, name="list"),
    path("baru/", token_views.token_create, name="create"),
    path("<int:pk>/cabut/", token_views.token_revoke, name="revoke"),
]
