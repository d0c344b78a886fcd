from celery import shared_task

from katingan_sosmed import clock

from .services import BEAT, heartbeat_record


@shared_task(name="health.tasks.beat_heartbeat", ignore_result=True)
def beat_heartbeat() -> None:
    """Scheduled by beat every 30 s; running it proves beat, broker, worker and DB."""
    heartbeat_record(name=BEAT, now=clock.now())
