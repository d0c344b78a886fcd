"""A real Celery worker consumes a task from the configured broker.

In CI the broker is the real Redis (REDIS_URL); locally the in-process memory
broker. The worker runs in a thread of this process and writes to the test
database, which is why the test needs committed transactions.
"""

import time

import pytest
from celery.contrib.testing.worker import start_worker

from health.models import Heartbeat
from health.services import BEAT
from health.tasks import beat_heartbeat
from katingan_sosmed.celery import app


# serialized_rollback: a plain transactional flush re-creates content types, which
# breaks the next serialized_rollback test on the same xdist worker.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_real_worker_runs_the_heartbeat_task():
    assert not Heartbeat.objects.filter(name=BEAT).exists()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        beat_heartbeat.delay()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if Heartbeat.objects.filter(name=BEAT).exists():
                break
            time.sleep(0.1)
    assert Heartbeat.objects.filter(name=BEAT).count() == 1
