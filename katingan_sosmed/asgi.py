"""ASGI entry point (not used by the default deployment, kept for completeness)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "katingan_sosmed.settings")

application = get_asgi_application()
