"""E-mail and PDF tasks go to queues of their own; a plain worker consumes every queue."""

import pytest

from katingan_sosmed.celery import app


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("notifications.send_email", "notifications"),
        ("notifications.send_emails", "notifications"),
        ("notifications.requeue_pending_emails", "notifications"),
        ("reports.build_file", "pdf"),
        ("inquiries.sweep_deadlines", "celery"),
        ("privacy.apply_retention", "celery"),
    ],
)
def test_each_task_is_routed_to_its_queue(task, queue):
    assert app.amqp.router.route({}, task)["queue"].name == queue


def test_a_worker_without_q_consumes_every_queue():
    assert set(app.amqp.queues) == {"celery", "notifications", "pdf"}
