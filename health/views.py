from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from katingan_sosmed import clock

from .services import check_beat, check_broker, check_database


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """State of the database, the broker and beat: 200 when all are healthy, else 503."""
    database = check_database()
    components = {
        "database": database,
        "broker": check_broker(),
        "beat": check_beat(now=clock.now()) if database.ok else database,
    }
    healthy = all(state.ok for state in components.values())
    body = {
        "status": "ok" if healthy else "unhealthy",
        **{name: state.as_dict() for name, state in components.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)
