"""Benchmark of the regency dashboard (issue 8): ``reports:dashboard`` and ``reports:pimpinan``.

Not a test: it needs PostgreSQL, takes several minutes and writes its figures to
``docs/benchmarks.md`` (the section between the ``dashboard`` markers).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/katingan \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/dashboard.py

It creates (and drops again) its own database ``<name>_bench`` next to the one in
DATABASE_URL, so the data under DATABASE_URL is never touched.

The data (seeded, generated in PostgreSQL with ``setseed`` and ``random()``): 40
agencies, each with 3 official accounts under a decree, an appointed petugas and
pejabat, an SOP and a monthly audience snapshot per account; 1,000,000 inquiries
received in the 12 months up to NOW, stored in arrival order, unevenly spread over the
agencies (the four
kinds, 1-2 of 40 topics, ~30% forwarded to another agency: the forwarding due 24 hours
later, 75% replied in time, 15% late, 10% still open, so overdue), and 100,000 posts.

Target: "The dashboard for 40 agencies and 1,000,000 inquiries answers in under
300 ms server time with a constant number of queries." Measured with Django's test
client as a logged-in Diskominfo evaluator, per period (``?periode=bulan``,
``kuartal``, ``tahun``): median and p95 of 20 requests after 2 warm-ups, the number of
queries (and the same with a third of the agencies, to show it does not grow with
them), and the slowest query with its EXPLAIN ANALYZE; the Pimpinan view once per
period. The views read ``katingan_sosmed.clock.now()``, which is pinned to NOW here.
"""

import datetime as dt
import os
import platform
import statistics
import time

import benchdb  # puts the project on sys.path

_array = benchdb.sql_array

# BENCH_SCALE < 1 makes a smaller data set for a quick look; it does not write the doc.
SCALE = float(os.environ.get("BENCH_SCALE", 1))
RUNS = 20
WARMUPS = 2
AGENCIES = 40
INQUIRIES = int(1_000_000 * SCALE)
POSTS = int(100_000 * SCALE)
TOPICS = 40
NOW = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)  # Monday 10:00 WIB
FIRST = NOW - dt.timedelta(days=365)  # the data covers the 12 months up to NOW
PERIODS = ("bulan", "kuartal", "tahun")
TARGET_MS = 300
MARKER = "dashboard"
HOST = "localhost"  # in the default ALLOWED_HOSTS; the test client's "testserver" is not
KINDS = ("dinas", "badan", "kecamatan", "sekretariat", "rsud")


def _seed() -> dict:
    """Agencies, accounts, people, decrees, appointments and SOPs through the ORM (a few
    hundred rows); inquiries, forwardings, posts and snapshots in SQL."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import connection

    from accounts.models import (
        AccountType,
        Agency,
        Appointment,
        AppointmentRole,
        Decree,
        OfficialAccount,
        Platform,
        Sop,
        User,
    )
    from accounts.roles import Role

    started = time.perf_counter()
    signed = dt.date(2025, 1, 2)
    agencies = Agency.objects.bulk_create(
        Agency(
            name=f"Instansi Uji {i:02d}",
            short_name=f"I{i:02d}",
            slug=f"instansi-{i:02d}",
            is_dinas=i == AGENCIES - 1,  # the one Diskominfo
            kind=KINDS[i % len(KINDS)],
        )
        for i in range(AGENCIES)
    )
    decrees = Decree.objects.bulk_create(
        Decree(
            agency=agency,
            number=f"800/{i + 1:03d}/{agency.short_name}/2025",
            title=f"Penunjukan Akun Resmi dan Pengelola Media Sosial {agency.name}",
            signed_on=signed,
            valid_from=signed,
            document=f"decrees/bench/sk-{i:02d}.pdf",
        )
        for i, agency in enumerate(agencies)
    )
    platforms = (
        (Platform.FACEBOOK, AccountType.MEDIA_SHARING),
        (Platform.INSTAGRAM, AccountType.MEDIA_SHARING),
        (Platform.X, AccountType.MICROBLOG),
    )
    accounts = OfficialAccount.objects.bulk_create(
        OfficialAccount(
            agency=agency,
            decree=decree,
            platform=p,
            account_type=t,
            handle=f"@{agency.slug}",
            url=f"https://{p}.example/{agency.slug}",
        )
        for agency, decree in zip(agencies, decrees, strict=True)
        for p, t in platforms
    )
    users = User.objects.bulk_create(
        User(
            username=f"{role.lower()}{i:02d}",
            full_name=f"{role} {agency.short_name}",
            email=f"{role.lower()}{i:02d}@contoh.katingankab.go.id",
            agency=agency,
            password=make_password(None),  # unusable: nobody signs in, nothing to hash
        )
        for i, agency in enumerate(agencies)
        for role in ("Petugas", "Pejabat")
    )
    groups = {g.name: g for g in Group.objects.filter(name__in=list(Role.values))}
    User.groups.through.objects.bulk_create(
        User.groups.through(user=user, group=groups[user.full_name.split()[0]]) for user in users
    )
    petugas = [u.pk for u in users[0::2]]
    acknowledged = dt.datetime(2025, 1, 3, 2, 0, tzinfo=dt.UTC)
    Appointment.objects.bulk_create(
        Appointment(
            user=user,
            agency=user.agency,
            role=AppointmentRole.PETUGAS if n % 2 == 0 else AppointmentRole.PEJABAT,
            decree=decrees[n // 2],
            starts_on=signed,
            ethics_acknowledged_at=acknowledged,
        )
        for n, user in enumerate(users)
    )
    Sop.objects.bulk_create(
        Sop(
            agency=agency,
            title="SOP Pelayanan Informasi Media Sosial",
            effective_from=signed,
            document=f"sop/bench/sop-{i:02d}.pdf",
        )
        for i, agency in enumerate(agencies)
    )
    evaluator = User.objects.create(
        username="evaluator",
        full_name="Evaluator Diskominfo",
        email="evaluator@contoh.katingankab.go.id",
        password=make_password(None),
    )
    evaluator.groups.add(groups[Role.EVALUATOR])

    agency_ids = [a.pk for a in agencies]
    flat_accounts = [a.pk for a in accounts]
    topic_names = _array(f"'topik {n}'" for n in range(1, TOPICS + 1)) + "::text[]"
    first = f"TIMESTAMPTZ '{FIRST.isoformat()}'"
    tracking = " || ".join(
        f"substr('{benchdb.tracking_alphabet()}', ((i >> {5 * k}) & 31) + 1, 1)" for k in range(8)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.2026)")
        # Agency idx (1-based) skewed: the first agencies receive several times more.
        cursor.execute(
            f"""
            CREATE TEMP TABLE plan AS
            SELECT i, idx,
                   ({_array(agency_ids)})[idx] AS agency,
                   ({_array(flat_accounts)})[(idx - 1) * 3 + 1 + floor(random() * 3)::int]
                       AS channel,
                   ({_array(petugas)})[idx] AS officer,
                   (ARRAY['pertanyaan','komentar','kritik','saran'])[1 + floor(random() * 4)::int]
                       AS kind,
                   received_at,
                   random() AS r_topic, random() AS r_forward, random() AS r_outcome,
                   random() AS r_delay,
                   1 + floor(random() * {TOPICS})::int AS t1,
                   1 + floor(random() * {TOPICS})::int AS t2,
                   1 + (idx + floor(random() * {AGENCIES - 1})::int) % {AGENCIES} AS to_idx
            FROM (
                SELECT (row_number() OVER (ORDER BY received_at) - 1)::int AS i, idx, received_at
                FROM (
                    SELECT 1 + floor(power(random(), 1.6) * {AGENCIES})::int AS idx,
                           {first} + random() * interval '364 days 23 hours' AS received_at
                    FROM generate_series(1, {INQUIRIES})
                ) AS r
            ) AS s
            """
        )
        # Outcome of a forwarded inquiry: 75% replied in time, 15% late, 10% open.
        cursor.execute(
            f"""
            INSERT INTO inquiries_inquiry (
                id, agency_id, channel_id, kind, author_name, author_contact, text, source_url,
                received_at, recorded_at, recorded_by_id, topics, tracking_code, status,
                version, due_at, forwarded_at, answer_text, answered_at, answered_by_id,
                closed_at, dismiss_reason)
            SELECT i + 1, agency, channel, kind, 'Warga ' || i, '',
                   'Mohon informasi tentang ' || ({topic_names})[t1] || ' di desa kami, nomor '
                       || i || '.',
                   '', received_at, received_at + interval '20 minutes', officer,
                   CASE WHEN r_topic < 0.6 THEN jsonb_build_array(({topic_names})[t1])
                        ELSE jsonb_build_array(({topic_names})[t1], ({topic_names})[t2]) END,
                   {tracking},
                   CASE WHEN r_forward < 0.3 THEN
                            CASE WHEN r_outcome < 0.9 THEN 'answered' ELSE 'forwarded' END
                        WHEN r_outcome < 0.85 THEN 'answered_directly'
                        ELSE 'recorded' END,
                   3,
                   CASE WHEN r_forward < 0.3 AND r_outcome >= 0.9
                        THEN received_at + interval '25 hours' END,
                   CASE WHEN r_forward < 0.3 THEN received_at + interval '1 hour' END,
                   CASE WHEN (r_forward < 0.3 AND r_outcome < 0.9)
                             OR (r_forward >= 0.3 AND r_outcome < 0.85)
                        THEN 'Terima kasih, sudah kami tindak lanjuti.' ELSE '' END,
                   CASE WHEN r_forward < 0.3 AND r_outcome < 0.75
                            THEN received_at + interval '1 hour' + r_delay * interval '23 hours'
                                 + interval '30 minutes'
                        WHEN r_forward < 0.3 AND r_outcome < 0.9
                            THEN received_at + interval '26 hours' + r_delay * interval '48 hours'
                        WHEN r_forward >= 0.3 AND r_outcome < 0.85
                            THEN received_at + r_delay * interval '8 hours'
                   END,
                   CASE WHEN (r_forward < 0.3 AND r_outcome < 0.9)
                             OR (r_forward >= 0.3 AND r_outcome < 0.85) THEN officer END,
                   NULL, ''
            FROM plan ORDER BY i
            """
        )
        cursor.execute(
            f"""
            INSERT INTO inquiries_forwarding (
                id, inquiry_id, from_agency_id, to_agency_id, forwarded_by_id, forwarded_at,
                due_at, next_notice_at, note, status, reply_text, replied_by_id, replied_at,
                closed_at)
            SELECT row_number() OVER (ORDER BY i), i + 1, agency,
                   ({_array(agency_ids)})[to_idx], officer,
                   received_at + interval '1 hour', received_at + interval '25 hours', NULL,
                   'Mohon ditindaklanjuti.',
                   CASE WHEN r_outcome < 0.9 THEN 'replied' ELSE 'open' END,
                   CASE WHEN r_outcome < 0.9 THEN 'Sudah ditangani.' ELSE '' END,
                   CASE WHEN r_outcome < 0.9 THEN ({_array(petugas)})[to_idx] END,
                   CASE WHEN r_outcome < 0.75
                            THEN received_at + interval '1 hour' + r_delay * interval '23 hours'
                        WHEN r_outcome < 0.9
                            THEN received_at + interval '25 hours 30 minutes'
                                 + r_delay * interval '48 hours'
                   END,
                   CASE WHEN r_outcome < 0.9
                            THEN received_at + interval '1 hour' + r_delay * interval '23 hours'
                   END
            FROM plan WHERE r_forward < 0.3 ORDER BY i
            """
        )
        cursor.execute(
            """
            UPDATE inquiries_inquiry AS q SET current_forwarding_id = f.id
            FROM inquiries_forwarding AS f WHERE f.inquiry_id = q.id AND f.status = 'open'
            """
        )
        cursor.execute(
            f"""
            INSERT INTO publications_post (
                id, agency_id, account_id, category, text, tags, media_type, status,
                planned_at, published_at, url, platform_post_id, created_by_id, created_at,
                version)
            SELECT i + 1, ({_array(agency_ids)})[idx],
                   ({_array(flat_accounts)})[(idx - 1) * 3 + 1 + (i % 3)],
                   (ARRAY['kegiatan','isu_aktual','kebijakan'])[1 + floor(random() * 3)::int],
                   'Kabar nomor ' || i || ': layanan dan kegiatan di Kecamatan Katingan Hilir.',
                   '["#Katingan"]',
                   (ARRAY['image','video','text','link'])[1 + i % 4], 'published', NULL,
                   published_at, 'https://www.instagram.com/p/P' || i || '/', 'P' || i,
                   ({_array(petugas)})[idx], published_at - interval '2 hours', 1
            FROM (
                SELECT (row_number() OVER (ORDER BY published_at) - 1)::int AS i, idx, published_at
                FROM (
                    SELECT 1 + floor(power(random(), 1.6) * {AGENCIES})::int AS idx,
                           {first} + random() * interval '364 days 23 hours' AS published_at
                    FROM generate_series(1, {POSTS})
                ) AS r
            ) AS s
            ORDER BY i
            """
        )
        # One snapshot per account on the last day of each month, Nov 2025 - Nov 2026.
        cursor.execute(
            f"""
            INSERT INTO publications_audiencesnapshot (
                source, recorded_by_id, recorded_at, account_id, taken_on, followers)
            SELECT 'manual', ({_array(petugas)})[1 + (a.n - 1) / 3],
                   {first} + interval '400 days', a.account,
                   (DATE '2025-11-01' + m * interval '1 month' + interval '1 month'
                    - interval '1 day')::date,
                   1000 + a.n * 37 + m * (20 + floor(random() * 50)::int)
            FROM unnest({_array(flat_accounts)}) WITH ORDINALITY AS a(account, n)
            CROSS JOIN generate_series(0, 12) AS m
            """
        )
        for table in ("inquiries_inquiry", "inquiries_forwarding", "publications_post"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"
            )
        cursor.execute("DROP TABLE plan")
    # Inquiries written in SQL bypass the flow: count them as after a bulk load.
    from inquiries import counts

    recount_started = time.perf_counter()
    counter_rows = counts.rebuild()
    recount_seconds = time.perf_counter() - recount_started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {
        "seconds": time.perf_counter() - started,
        "evaluator": evaluator,
        "counter_rows": counter_rows,
        "recount_seconds": recount_seconds,
    }


def _explain(sql: str, params) -> tuple[float, str]:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        lines = [row[0] for row in cursor.fetchall()]
        transaction.set_rollback(True)
    execution = next(
        float(line.split(":")[1].split()[0]) for line in lines if line.startswith("Execution Time")
    )
    return execution, "\n".join(lines)


def _profile(client, url: str) -> dict:
    """One request with its queries captured; each SELECT re-run under EXPLAIN ANALYZE.

    The captured SQL has its parameters inlined, so the SELECTs are replayed through a
    cursor wrapper that records the raw SQL and parameters instead."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    raw = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            raw.append((sql, params, (time.perf_counter() - started) * 1000))

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(record):
        started = time.perf_counter()
        response = client.get(url)
        wall = (time.perf_counter() - started) * 1000
    assert len(captured.captured_queries) == len(raw)
    assert response.status_code == 200, response.status_code
    queries = []
    for sql, params, logged in raw:
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        execution, plan = _explain(sql, params)
        with connection.cursor() as cursor:
            shown = cursor.mogrify(sql, params)
        shown = shown.decode() if isinstance(shown, bytes) else shown
        queries.append({"sql": shown, "logged": logged, "explain_ms": execution, "plan": plan})
    queries.sort(key=lambda q: -q["explain_ms"])
    return {"count": len(raw), "wall": wall, "queries": queries}


def _timed(client, url: str, runs: int = RUNS) -> list[float]:
    for _ in range(WARMUPS):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    load = os.getloadavg()[0]
    admin_url, name = benchdb.setup()
    try:
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from accounts.models import Agency
        from inquiries.models import Forwarding, Inquiry
        from katingan_sosmed import clock
        from publications.models import AudienceSnapshot, Post

        clock.now = lambda: NOW  # the views read the clock once per request
        seed = _seed()
        counts = {
            "agencies": Agency.objects.count(),
            "inquiries": Inquiry.objects.count(),
            "forwarded": Inquiry.objects.filter(forwarded_at__isnull=False).count(),
            "forwardings": Forwarding.objects.count(),
            "overdue_open": Forwarding.objects.filter(status="open", due_at__lt=NOW).count(),
            "posts": Post.objects.count(),
            "snapshots": AudienceSnapshot.objects.count(),
        }
        print(f"seeded in {seed['seconds']:.1f} s: {counts}")

        hosts = settings.ALLOWED_HOSTS
        host = "testserver" if "testserver" in hosts or "*" in hosts else HOST
        client = Client(HTTP_HOST=host)
        client.force_login(seed["evaluator"])
        dashboard_url = reverse("reports:dashboard")
        pimpinan_url = reverse("reports:pimpinan")
        subset_kind = KINDS[0]
        subset = Agency.objects.filter(kind=subset_kind).count()
        results = {}
        for period in PERIODS:
            url = f"{dashboard_url}?periode={period}"
            times = _timed(client, url)
            profile = _profile(client, url)
            subset_profile = _profile(client, f"{url}&jenis={subset_kind}")
            pimpinan = _profile(client, f"{pimpinan_url}?periode={period}")
            results[period] = {
                "median": statistics.median(times),
                "p95": _p95(times),
                "min": min(times),
                "max": max(times),
                "profile": profile,
                "subset_count": subset_profile["count"],
                "pimpinan": pimpinan,
            }
            sql_ms = sum(q["explain_ms"] for q in profile["queries"])
            print(
                f"{period}: median {results[period]['median']:.0f} ms, p95 "
                f"{results[period]['p95']:.0f} ms; {profile['count']} queries "
                f"({subset_profile['count']} with {subset} agencies), SQL {sql_ms:.0f} ms; "
                f"pimpinan {pimpinan['wall']:.0f} ms, {pimpinan['count']} queries"
            )
            for q in profile["queries"][:4]:
                print(f"  {q['explain_ms']:8.1f} ms  {q['sql'][:160]}")
            print(profile["queries"][0]["plan"])
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            pg_version = cursor.fetchone()[0].split(",")[0]
            settings_pg = {}
            for setting in ("shared_buffers", "work_mem", "jit", "max_parallel_workers_per_gather"):
                cursor.execute(f"SHOW {setting}")
                settings_pg[setting] = cursor.fetchone()[0]
    finally:
        benchdb.drop(admin_url, name)

    section = _section(load, pg_version, settings_pg, seed, counts, results, subset, subset_kind)
    if SCALE < 1:
        print(section)
        return
    benchdb.write_section(f"<!-- {MARKER}:start -->", f"<!-- {MARKER}:end -->", section)
    print(f"written to docs/benchmarks.md ({MARKER} section)")


def _section(load, pg_version, settings_pg, seed, counts, results, subset, subset_kind) -> str:
    today = f"{dt.datetime.now(tz=dt.UTC):%Y-%m-%d}"

    def verdict(ms: float) -> str:
        return "met" if ms < TARGET_MS else "**missed**"

    table = "\n".join(
        f"| `?periode={period}` | **{r['median']:.0f} ms** | {r['p95']:.0f} ms | "
        f"{r['min']:.0f}–{r['max']:.0f} ms | {verdict(r['median'])} | "
        f"{r['profile']['count']} ({r['subset_count']} with {subset} agencies) | "
        f"{sum(q['explain_ms'] for q in r['profile']['queries']):.0f} ms | "
        f"{r['pimpinan']['wall']:.0f} ms, {r['pimpinan']['count']} queries |"
        for period, r in results.items()
    )
    slow_rows = "\n".join(
        f"| `{period}` | {q['explain_ms']:.1f} ms | `{q['sql'][:120].replace('|', '/')}…` |"
        for period, r in results.items()
        for q in r["profile"]["queries"][:3]
    )
    worst_period = max(results, key=lambda p: results[p]["profile"]["queries"][0]["explain_ms"])
    worst = results[worst_period]["profile"]["queries"][0]
    return f"""<!-- {MARKER}:start -->
## Regency dashboard and Pimpinan view

`python bench/dashboard.py`, run {today} on {os.cpu_count()} cores (load average {load:.1f}
at the start), {pg_version}, Python {platform.python_version()}, `DJANGO_DEBUG=True`
(queries are logged by Django, as in the other benchmarks). Seeded data generated in
{seed["seconds"]:.0f} s: {counts["agencies"]} agencies, each with 3 official accounts under a
decree, an appointed petugas and pejabat, an SOP and monthly audience snapshots
({counts["snapshots"]:,} in all); {counts["inquiries"]:,} inquiries received in the 12 months
up to NOW = {NOW:%Y-%m-%d %H:%M} UTC, unevenly spread over the agencies, of which
{counts["forwarded"]:,} forwarded ({counts["forwardings"]:,} forwardings, 24 h deadline: 75%
replied in time, 15% late, 10% open — {counts["overdue_open"]:,} open and overdue at NOW);
{counts["posts"]:,} posts; the dashboard's daily inquiry counters rebuilt from them
(`manage.py rebuild_inquiry_counts`: {seed["counter_rows"]:,} rows in
{seed["recount_seconds"]:.1f} s). Rows are inserted in the order they arrive (ids and heap
order follow `received_at` / `published_at`, as in production). The periods at NOW are
November 2026, October–December 2026 and January–December 2026 (11 months of data).
PostgreSQL settings as installed: `shared_buffers` {settings_pg["shared_buffers"]},
`work_mem` {settings_pg["work_mem"]}, `jit` {settings_pg["jit"]},
`max_parallel_workers_per_gather` {settings_pg["max_parallel_workers_per_gather"]}.

Django test client, logged in as a Diskominfo evaluator, against `reports:dashboard`:
{RUNS} requests after {WARMUPS} warm-ups (wall time of the whole request in-process:
middleware, queries, charts, template). Queries counted for one request, also with
`?jenis={subset_kind}` ({subset} agencies). "SQL" is the sum of the EXPLAIN ANALYZE execution
times of that request's SELECTs. The Pimpinan view (`reports:pimpinan`) once per period.

| Period | Median | p95 | Range | < {TARGET_MS} ms | Queries | SQL | Pimpinan |
|---|---|---|---|---|---|---|---|
{table}

The three slowest queries of each period (EXPLAIN ANALYZE execution time):

| Period | Execution | Query |
|---|---|---|
{slow_rows}

EXPLAIN ANALYZE of the slowest query overall (`?periode={worst_period}`):

```
{worst["sql"]}

{worst["plan"]}
```
<!-- {MARKER}:end -->"""


if __name__ == "__main__":
    main()
