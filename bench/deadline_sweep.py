"""Benchmark of the deadline sweep (issue 5): 1,000,000 forwardings, 10,000 due.

Not a test: it needs PostgreSQL, takes a few minutes and writes its figures to
``docs/benchmarks.md`` (the section between the ``deadline-sweep`` markers).

    DATABASE_URL=postgres://katingan@127.0.0.1:5432/katingan \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/deadline_sweep.py

It creates (and drops again) its own database ``<name>_bench`` next to the one in
DATABASE_URL, so the data under DATABASE_URL is never touched. E-mail tasks go to
Redis database 15 (flushed at the end), or to an in-process broker without REDIS_URL.

The data: 30 agencies with a petugas and a pejabat each, two Diskominfo evaluators,
one inquiry per forwarding, and the forwardings:

* 950,000 replied (closed: the sweep never sees them);
* 38,000 open and not due yet (forwarded in the last 18 hours);
* 2,000 open past their second escalation (``next_notice_at`` NULL);
* 10,000 due at ``NOW``: 5,000 reaching their 6-hour reminder and 5,000 just overdue.

Measured: the sweep at a moment when nothing is due (median of 30 runs), the sweep at
``NOW`` with the 10,000 due (it writes 30,000 notices and enqueues their e-mails), a
repeat at ``NOW`` (nothing left), and EXPLAIN ANALYZE of the claiming query.
"""

import datetime as dt
import os
import platform
import statistics
import time

import benchdb  # puts the project on sys.path

# BENCH_TOTAL makes a smaller table for a quick look; BENCH_PROFILE prints a cProfile
# of the sweep with 10,000 due. Neither writes docs/benchmarks.md.
TOTAL = int(os.environ.get("BENCH_TOTAL", 1_000_000))
PROFILE = bool(os.environ.get("BENCH_PROFILE"))
DUE_REMINDER = 5_000
DUE_OVERDUE = 5_000
OPEN_NOT_DUE = 38_000
PAST_ESCALATION = 2_000
NOW = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)  # 10:00 WIB
MARKER = "deadline-sweep"


def _seed() -> float:
    from django.db import connection

    from accounts.models import Agency, OfficialAccount
    from accounts.roles import Role
    from accounts.tests.factories import AgencyFactory, OfficialAccountFactory, UserFactory

    started = time.perf_counter()
    dinas = AgencyFactory(name="Diskominfo", short_name="Diskominfo", slug="dk", is_dinas=True)
    for i in range(2):
        UserFactory(username=f"evaluator{i}", agency=dinas, roles=[Role.EVALUATOR])
    for i in range(30):
        agency = AgencyFactory(name=f"Instansi {i:02d}", short_name=f"I{i:02d}", slug=f"i{i:02d}")
        UserFactory(username=f"petugas{i}", agency=agency, roles=[Role.PETUGAS])
        UserFactory(username=f"pejabat{i}", agency=agency, roles=[Role.PEJABAT])
        OfficialAccountFactory(agency=agency)
    agencies = list(
        Agency.objects.filter(is_dinas=False).order_by("pk").values_list("pk", flat=True)
    )
    channels = dict(OfficialAccount.objects.values_list("agency_id", "pk"))
    officer = UserFactory(username="pencatat", agency_id=agencies[0], roles=[Role.PETUGAS]).pk

    # Row i: forwarded from agency i % 30 to agency (i + 1) % 30. Its kind by range:
    # [0, due_r) reminder due, [due_r, due) overdue, then open not due, then open past
    # the last escalation, the rest replied.
    due_r = DUE_REMINDER
    due = due_r + DUE_OVERDUE
    open_ = due + OPEN_NOT_DUE
    past = open_ + PAST_ESCALATION
    agencies_sql = "ARRAY[" + ",".join(map(str, agencies)) + "]"
    channels_sql = "ARRAY[" + ",".join(str(channels[a]) for a in agencies) + "]"
    now = NOW.isoformat()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            CREATE TEMP TABLE plan AS
            SELECT i,
                   ({agencies_sql})[i % 30 + 1] AS from_agency,
                   ({agencies_sql})[(i + 1) % 30 + 1] AS to_agency,
                   ({channels_sql})[i % 30 + 1] AS channel,
                   CASE WHEN i < {due_r} THEN TIMESTAMPTZ '{now}' - interval '18 hours 1 minute'
                        WHEN i < {due} THEN TIMESTAMPTZ '{now}' - interval '24 hours 1 minute'
                        WHEN i < {open_} THEN TIMESTAMPTZ '{now}'
                             - (i % 1000) * interval '1 minute'
                        WHEN i < {past} THEN TIMESTAMPTZ '{now}' - interval '3 days'
                        ELSE TIMESTAMPTZ '{now}' - interval '400 days'
                             + (i % 400) * interval '1 day'
                   END AS forwarded_at
            FROM generate_series(0, {TOTAL - 1}) AS i
            """
        )
        cursor.execute(
            f"""
            INSERT INTO inquiries_inquiry (
                id, agency_id, channel_id, kind, author_name, author_contact, text, source_url,
                received_at, recorded_at, recorded_by_id, topics, tracking_code, status,
                version, due_at, answer_text, dismiss_reason)
            SELECT i + 1, from_agency, channel, 'pertanyaan', 'Warga ' || i, '',
                   'Pertanyaan nomor ' || i, '', forwarded_at - interval '1 hour',
                   forwarded_at - interval '1 hour', {officer}, '[]',
                   'B' || lpad(to_hex(i), 7, '0'),
                   CASE WHEN i < {past} THEN 'forwarded' ELSE 'replied' END, 2,
                   CASE WHEN i < {past} THEN forwarded_at + interval '24 hours' END, '', ''
            FROM plan
            """
        )
        cursor.execute(
            f"""
            INSERT INTO inquiries_forwarding (
                id, inquiry_id, from_agency_id, to_agency_id, forwarded_by_id, forwarded_at,
                due_at, next_notice_at, note, status, reply_text, replied_at, closed_at)
            SELECT i + 1, i + 1, from_agency, to_agency, {officer}, forwarded_at,
                   forwarded_at + interval '24 hours',
                   CASE WHEN i < {due_r} THEN forwarded_at + interval '18 hours'
                        WHEN i < {due} THEN forwarded_at + interval '24 hours 1 microsecond'
                        WHEN i < {open_} THEN forwarded_at + interval '18 hours'
                   END,
                   '', CASE WHEN i < {past} THEN 'open' ELSE 'replied' END,
                   CASE WHEN i < {past} THEN '' ELSE 'Sudah dijawab.' END,
                   CASE WHEN i >= {past} THEN forwarded_at + (i % 30) * interval '1 hour' END,
                   CASE WHEN i >= {past} THEN forwarded_at + (i % 30) * interval '1 hour' END
            FROM plan
            """
        )
        for table in ("inquiries_inquiry", "inquiries_forwarding"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {TOTAL})"  # noqa: S608
            )
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def _claim_plan(now: dt.datetime) -> str:
    from django.db import connection, transaction

    from inquiries.models import Forwarding, ForwardingStatus

    queryset = (
        Forwarding.objects.filter(status=ForwardingStatus.OPEN, next_notice_at__lte=now)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("inquiry", "from_agency", "to_agency")
        .order_by("next_notice_at", "pk")[:500]
    )
    with transaction.atomic(), connection.cursor() as cursor:
        sql, params = queryset.query.get_compiler("default").as_sql()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _sweep_in_child(now: dt.datetime) -> int:
    from django.db import connections

    from inquiries.deadlines import deadline_sweep

    try:
        return sum(deadline_sweep(now=now).values())
    finally:
        connections.close_all()


def _parallel_sweeps(now: dt.datetime, processes: int = 2) -> tuple[float, int]:
    """The same 10,000 due again, swept by two processes at once, as two Celery worker
    processes do when the sweep fans out: SKIP LOCKED gives each its own batches."""
    import multiprocessing

    from django.db import connection, connections

    from inquiries.models import Forwarding
    from notifications.models import Notification

    Notification.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE inquiries_forwarding SET next_notice_at = CASE
                WHEN id <= {DUE_REMINDER} THEN forwarded_at + interval '18 hours'
                ELSE forwarded_at + interval '24 hours 1 microsecond' END
            WHERE id <= {DUE_REMINDER + DUE_OVERDUE}
            """
        )
    assert Forwarding.objects.filter(next_notice_at__lte=now).count() == 10_000
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        started = time.perf_counter()
        written = pool.map(_sweep_in_child, [now] * processes)
        seconds = time.perf_counter() - started
    assert sum(written) == Notification.objects.count()
    return seconds, sum(written)


def _timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def main() -> None:
    admin_url, name = benchdb.setup()
    try:
        seconds_seed = _seed()
        from django.db import connection

        from inquiries.deadlines import deadline_sweep
        from notifications.models import Notification

        quiet = NOW - dt.timedelta(hours=2)
        deadline_sweep(now=quiet)  # warm the connection and the caches
        idle = [_timed(deadline_sweep, now=quiet)[0] for _ in range(30)]
        plan_idle = _claim_plan(quiet)
        plan_due = _claim_plan(NOW)
        if PROFILE:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
        seconds_due, counts = _timed(deadline_sweep, now=NOW)
        if PROFILE:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        seconds_repeat, repeat = _timed(deadline_sweep, now=NOW)
        notices = Notification.objects.count()
        seconds_parallel, parallel = _parallel_sweeps(NOW)
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            pg_version = cursor.fetchone()[0].split(",")[0]
    finally:
        benchdb.drop(admin_url, name)
        broker = os.environ["CELERY_BROKER_URL"]
        if broker.startswith("redis://"):
            import redis

            redis.Redis.from_url(broker).flushdb()

    today = f"{dt.datetime.now(tz=dt.UTC):%Y-%m-%d}"
    from notifications.services import EMAIL_BATCH

    median_ms = statistics.median(idle) * 1000
    idle_range = f"min {min(idle) * 1000:.1f}, max {max(idle) * 1000:.1f}"
    written = (
        f"{counts['reminder']:,} reminders, {counts['overdue']:,} overdue, "
        f"{counts['escalation']:,} escalations"
    )
    section = f"""<!-- {MARKER} -->
## Deadline sweep: 1,000,000 forwardings, 10,000 due

`python bench/deadline_sweep.py`, run {today} on {os.cpu_count()} cores,
{pg_version}, Python {platform.python_version()}, broker `{os.environ["CELERY_BROKER_URL"]}`.
Data: {TOTAL:,} forwardings ({TOTAL - OPEN_NOT_DUE - PAST_ESCALATION - DUE_REMINDER - DUE_OVERDUE:,}
replied, {OPEN_NOT_DUE:,} open not yet due, {PAST_ESCALATION:,} open past their last escalation,
{DUE_REMINDER:,} reaching the 6-hour reminder and {DUE_OVERDUE:,} just overdue), 30 agencies with
a petugas and a pejabat each (agency 1 has a second petugas, who records the inquiries: hence
the odd reminder and overdue counts), 2 evaluators. Seeding took {seconds_seed:.0f} s.

| Sweep | Time | Target |
|---|---|---|
| nothing due (median of 30) | {median_ms:.1f} ms ({idle_range}) | < 100 ms |
| 10,000 due | {seconds_due:.2f} s: {written} | < 5 s |
| repeated at once | {seconds_repeat * 1000:.1f} ms, {sum(repeat.values())} notices | — |
| 10,000 due, two sweeps at once | {seconds_parallel:.2f} s: {parallel:,} notices | < 5 s |

{notices:,} notices in the table afterwards; each e-mail is enqueued after commit,
{EMAIL_BATCH} to a broker message. The time includes building the texts, writing the notices,
moving each forwarding's `next_notice_at` and enqueueing.

Claiming query with nothing due (`EXPLAIN (ANALYZE, BUFFERS)`):

```
{plan_idle}
```

Claiming query with 10,000 due (first batch of 500):

```
{plan_due}
```
<!-- /{MARKER} -->"""
    print(section)
    if TOTAL != 1_000_000 or PROFILE:
        return
    benchdb.write_section(f"<!-- {MARKER} -->", f"<!-- /{MARKER} -->", section)


if __name__ == "__main__":
    main()
