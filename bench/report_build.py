"""Benchmark of the annual report (issue: report build): compile, PDF, regency PDF.

Not a test: it needs PostgreSQL, takes a few minutes and writes its figures to
``docs/benchmarks.md`` (the section between the ``report-build`` markers).

    DATABASE_URL=postgres://katingan@127.0.0.1:5432/katingan \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/report_build.py

It creates (and drops again) its own database ``<name>_bench`` next to the one in
DATABASE_URL, so the data under DATABASE_URL is never touched.

The data (seeded, generated in PostgreSQL with ``setseed`` and ``random()``): 40
agencies, each with 3 official accounts, a petugas and a pejabat, and a monthly
audience snapshot per account from December of the year before. The measured agency
received 100,000 inquiries in the year (the four kinds, 1-2 of 40 topics, ~30%
forwarded to another agency: a forwarding due 24 hours later, most replied in time,
some late, some still open) and published 20,000 posts (Pasal 10 categories, two
readings each); the other 39 agencies 5,000 inquiries and 1,000 posts each, so the
regency report aggregates ~295,000 inquiries.

Targets: the agency-year compiles in under 2 s and renders to PDF in under 10 s; the
regency report for 40 agencies renders in under 30 s. Measured: the first run and the
median of 5 of :func:`reports.compile.compile_report` (with its queries, each
EXPLAIN ANALYZEd; the slowest is printed), :func:`reports.pdf.annual_report_pdf` of
the submitted report and :func:`reports.pdf.regency_report_pdf`.
"""

import datetime as dt
import io
import os
import platform
import statistics
import time

import benchdb  # puts the project on sys.path

_array = benchdb.sql_array

# BENCH_SCALE < 1 makes a smaller data set for a quick look; it does not write the doc.
SCALE = float(os.environ.get("BENCH_SCALE", 1))
# BENCH_PLANS prints the EXPLAIN ANALYZE of the five slowest queries (not in the doc).
PLANS = bool(os.environ.get("BENCH_PLANS"))
RUNS = 5
AGENCIES = 40
BIG_INQUIRIES = int(100_000 * SCALE)
BIG_POSTS = int(20_000 * SCALE)
OTHER_INQUIRIES = int(5_000 * SCALE)
OTHER_POSTS = int(1_000 * SCALE)
TOPICS = 40
YEAR = 2025
NOW = dt.datetime(2026, 1, 15, 3, 0, tzinfo=dt.UTC)  # 10:00 WIB, the report is due
MARKER = "report-build"
TARGETS = {"compile": 2.0, "annual_pdf": 10.0, "regency_pdf": 30.0}
TOPIC_NAMES = [
    "jalan rusak", "air bersih", "listrik padam", "BPJS Kesehatan", "puskesmas", "posyandu",
    "beasiswa", "PPDB", "KTP elektronik", "kartu keluarga", "akta kelahiran", "banjir",
    "kebakaran hutan", "sampah", "pasar", "harga sembako", "pupuk subsidi", "bantuan sosial",
    "PKH", "rumah sakit", "dokter", "guru honorer", "CPNS", "PPPK", "pajak daerah", "retribusi",
    "izin usaha", "IMB", "jembatan", "transportasi sungai", "internet desa", "sinyal",
    "pariwisata", "festival budaya", "olahraga", "stunting", "vaksinasi", "narkoba",
    "keamanan", "lingkungan",
]  # fmt: skip


def _seed() -> dict:
    """The agencies, accounts and people through the ORM (a few hundred rows), the
    inquiries, forwardings, posts, readings and snapshots in SQL."""
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
    agencies = Agency.objects.bulk_create(
        Agency(
            name=f"Instansi Uji {i:02d}" if i else "Dinas Kesehatan",
            short_name=f"I{i:02d}" if i else "Dinkes",
            slug=f"instansi-{i:02d}",
            is_dinas=i == AGENCIES - 1,
        )
        for i in range(AGENCIES)
    )
    platforms = (
        (Platform.FACEBOOK, AccountType.MEDIA_SHARING),
        (Platform.INSTAGRAM, AccountType.MEDIA_SHARING),
        (Platform.X, AccountType.MICROBLOG),
    )
    accounts = OfficialAccount.objects.bulk_create(
        OfficialAccount(
            agency=agency,
            platform=p,
            account_type=t,
            handle=f"@{agency.slug}",
            url=f"https://{p}.example/{agency.slug}",
        )
        for agency in agencies
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
    groups = {g.name: g for g in Group.objects.filter(name__in=[Role.PETUGAS, Role.PEJABAT])}
    User.groups.through.objects.bulk_create(
        User.groups.through(user=user, group=groups[user.full_name.split()[0]]) for user in users
    )
    petugas = [u.pk for u in users[0::2]]
    pejabat = [u.pk for u in users[1::2]]
    big = agencies[0]
    decree = Decree.objects.create(
        agency=big,
        number="800/001/DINKES/2025",
        title="Penunjukan Akun Resmi dan Pengelola Media Sosial Dinas Kesehatan",
        signed_on=dt.date(2025, 1, 2),
        valid_from=dt.date(2025, 1, 2),
        document="decrees/bench/sk.pdf",
    )
    OfficialAccount.objects.filter(agency=big).update(decree=decree)
    Sop.objects.create(
        agency=big,
        title="SOP Pelayanan Informasi Media Sosial",
        effective_from=dt.date(2025, 1, 2),
        document="sop/bench/sop.pdf",
    )
    for user_id, role in (
        (petugas[0], AppointmentRole.PETUGAS),
        (pejabat[0], AppointmentRole.PEJABAT),
    ):
        Appointment.objects.create(
            user_id=user_id, agency=big, role=role, decree=decree, starts_on=dt.date(2025, 1, 2)
        )

    agency_ids = [a.pk for a in agencies]
    account_ids = [[a.pk for a in accounts[3 * i : 3 * i + 3]] for i in range(AGENCIES)]
    flat_accounts = [pk for trio in account_ids for pk in trio]
    topics_sql = "ARRAY[" + ",".join(f"'{t}'" for t in TOPIC_NAMES) + "]::text[]"
    n_inq = BIG_INQUIRIES + (AGENCIES - 1) * OTHER_INQUIRIES
    n_posts = BIG_POSTS + (AGENCIES - 1) * OTHER_POSTS
    year_start = f"TIMESTAMPTZ '{YEAR}-01-01 00:00+07'"
    tracking = " || ".join(
        f"substr('{benchdb.tracking_alphabet()}', ((i >> {5 * k}) & 31) + 1, 1)" for k in range(8)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.2025)")
        # Inquiry i belongs to agency idx (1-based): the first BIG_INQUIRIES to the
        # measured agency, then OTHER_INQUIRIES to each of the others.
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
                   {year_start} + random() * interval '364 days 23 hours' AS received_at,
                   random() AS r_topic, random() AS r_forward, random() AS r_outcome,
                   random() AS r_delay,
                   1 + floor(random() * {TOPICS})::int AS t1,
                   1 + floor(random() * {TOPICS})::int AS t2,
                   ({_array(agency_ids)})[1 + (idx + floor(random() * {AGENCIES - 1})::int)
                                                 % {AGENCIES}] AS to_agency,
                   ({_array(petugas)})[1 + (idx + floor(random() * {AGENCIES - 1})::int)
                                            % {AGENCIES}] AS to_officer
            FROM (
                SELECT i, CASE WHEN i < {BIG_INQUIRIES} THEN 1
                               ELSE 2 + (i - {BIG_INQUIRIES}) / {max(OTHER_INQUIRIES, 1)} END
                          AS idx
                FROM generate_series(0, {n_inq - 1}) AS i
            ) AS s
            """
        )
        # to_agency and to_officer drew different random numbers: pair them again.
        cursor.execute(
            f"""
            UPDATE plan SET to_officer = ({_array(petugas)})[
                array_position({_array(agency_ids)}, to_agency)]
            """
        )
        # Outcome of a forwarded inquiry: 75% replied in time, 15% late, 10% open.
        cursor.execute(
            f"""
            INSERT INTO inquiries_inquiry (
                id, agency_id, channel_id, kind, author_name, author_contact, text, source_url,
                received_at, recorded_at, recorded_by_id, topics, tracking_code, status,
                version, due_at, answer_text, answered_at, answered_by_id, closed_at,
                dismiss_reason)
            SELECT i + 1, agency, channel, kind, 'Warga ' || i, '',
                   'Mohon informasi tentang ' || ({topics_sql})[t1] || ' di desa kami, nomor '
                       || i || '.',
                   '', received_at, received_at + interval '20 minutes', officer,
                   CASE WHEN r_topic < 0.6 THEN jsonb_build_array(({topics_sql})[t1])
                        ELSE jsonb_build_array(({topics_sql})[t1], ({topics_sql})[t2]) END,
                   {tracking},
                   CASE WHEN r_forward < 0.3 THEN
                            CASE WHEN r_outcome < 0.9 THEN 'answered' ELSE 'forwarded' END
                        WHEN r_outcome < 0.85 THEN 'answered_directly'
                        ELSE 'recorded' END,
                   3,
                   CASE WHEN r_forward < 0.3 AND r_outcome >= 0.9
                        THEN received_at + interval '25 hours' END,
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
            FROM plan
            """
        )
        cursor.execute(
            """
            INSERT INTO inquiries_forwarding (
                id, inquiry_id, from_agency_id, to_agency_id, forwarded_by_id, forwarded_at,
                due_at, next_notice_at, note, status, reply_text, replied_by_id, replied_at,
                closed_at)
            SELECT row_number() OVER (ORDER BY i), i + 1, agency, to_agency, officer,
                   received_at + interval '1 hour', received_at + interval '25 hours', NULL,
                   'Mohon ditindaklanjuti.',
                   CASE WHEN r_outcome < 0.9 THEN 'replied' ELSE 'open' END,
                   CASE WHEN r_outcome < 0.9 THEN 'Sudah ditangani.' ELSE '' END,
                   CASE WHEN r_outcome < 0.9 THEN to_officer END,
                   CASE WHEN r_outcome < 0.75
                            THEN received_at + interval '1 hour' + r_delay * interval '23 hours'
                        WHEN r_outcome < 0.9
                            THEN received_at + interval '25 hours 30 minutes'
                                 + r_delay * interval '48 hours'
                   END,
                   CASE WHEN r_outcome < 0.9
                            THEN received_at + interval '1 hour' + r_delay * interval '23 hours'
                   END
            FROM plan WHERE r_forward < 0.3
            """
        )
        cursor.execute(
            """
            UPDATE inquiries_inquiry AS q SET current_forwarding_id = f.id
            FROM inquiries_forwarding AS f WHERE f.inquiry_id = q.id AND f.status = 'open'
            """
        )
        # Posts: the first BIG_POSTS of the measured agency, OTHER_POSTS per other.
        cursor.execute(
            f"""
            INSERT INTO publications_post (
                id, agency_id, account_id, category, text, tags, media_type, status,
                planned_at, published_at, url, platform_post_id, created_by_id, created_at,
                version)
            SELECT i + 1, ({_array(agency_ids)})[idx],
                   ({_array(flat_accounts)})[(idx - 1) * 3 + 1 + (i % 3)],
                   (ARRAY['kegiatan','isu_aktual','kebijakan'])[1 + floor(random() * 3)::int],
                   'Kabar nomor ' || i || ': posyandu, layanan kesehatan dan kegiatan di '
                       || 'Kecamatan Katingan Hilir. #KatinganSehat @dinkes.katingan',
                   '["#KatinganSehat", "@dinkes.katingan"]',
                   (ARRAY['image','video','text','link'])[1 + i % 4], 'published', NULL,
                   published_at, 'https://www.instagram.com/p/P' || i || '/', 'P' || i,
                   ({_array(petugas)})[idx], published_at - interval '2 hours', 1
            FROM (
                SELECT i, CASE WHEN i < {BIG_POSTS} THEN 1
                               ELSE 2 + (i - {BIG_POSTS}) / {max(OTHER_POSTS, 1)} END AS idx,
                       {year_start} + random() * interval '364 days 23 hours' AS published_at
                FROM generate_series(0, {n_posts - 1}) AS i
            ) AS s
            """
        )
        # Two readings per post: the day after and a month after (some in the next year).
        cursor.execute(
            f"""
            INSERT INTO publications_postmetric (
                source, recorded_by_id, recorded_at, post_id, read_on, comments, shares,
                forwards)
            SELECT 'import', p.created_by_id, {year_start} + interval '400 days', p.id,
                   (p.published_at AT TIME ZONE 'Asia/Jakarta')::date + d.days,
                   floor(random() * 40 * d.factor)::int, floor(random() * 15 * d.factor)::int,
                   floor(random() * 8 * d.factor)::int
            FROM publications_post AS p
            CROSS JOIN (VALUES (1, 1.0), (30, 2.5)) AS d(days, factor)
            """
        )
        cursor.execute(
            f"""
            INSERT INTO publications_audiencesnapshot (
                source, recorded_by_id, recorded_at, account_id, taken_on, followers)
            SELECT 'manual', ({_array(petugas)})[1 + (a.n - 1) / 3],
                   {year_start} + interval '400 days', a.account,
                   (DATE '{YEAR - 1}-12-01' + m * interval '1 month' + interval '1 month'
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
    _recommendations(big, pejabat[0])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {
        "seconds": time.perf_counter() - started,
        "big": big,
        "pejabat": pejabat[0],
    }


def _recommendations(agency, by_id: int) -> None:
    from inquiries.models import Inquiry
    from publications.models import Post, Recommendation, RecommendationStatus

    statuses = list(RecommendationStatus.values)
    for n in range(6):
        at = dt.datetime(YEAR, 2 * n + 1, 10, 2, 0, tzinfo=dt.UTC)
        recommendation = Recommendation.objects.create(
            agency=agency,
            title=f"Tindak lanjut keluhan nomor {n + 1}",
            body="Keluhan warga tentang layanan puskesmas ditindaklanjuti dengan jadwal baru.",
            follow_up="Jadwal layanan diumumkan di akun resmi dan di puskesmas.",
            status=statuses[n % len(statuses)],
            created_by_id=by_id,
            created_at=at,
            updated_at=at,
        )
        recommendation.inquiries.set(
            Inquiry.objects.filter(agency=agency).order_by("pk")[n * 20 : n * 20 + 20]
        )
        recommendation.posts.set(
            Post.objects.filter(agency=agency).order_by("pk")[n * 3 : n * 3 + 3]
        )


def _submitted_report(agency, pejabat_id: int):
    from accounts.models import User
    from reports.services import report_create, report_edit, report_submit

    by = User.objects.get(pk=pejabat_id)
    report = report_create(agency=agency, year=YEAR, by=by, now=NOW)
    report = report_edit(
        report=report,
        by=by,
        now=NOW,
        expected_version=report.version,
        policy_overview="Dinas Kesehatan mengelola tiga akun resmi sesuai keputusan kepala dinas.",
        constraints_external="Jaringan internet di kecamatan hulu sering terputus.",
        constraints_internal="Petugas media sosial baru satu orang.",
        recommendations_text="Menambah petugas dan melatih pejabat pengelola.",
        facilities={"computer": True, "internet": True},
    )
    started = time.perf_counter()
    report = report_submit(report=report, by=by, now=NOW)
    return report, time.perf_counter() - started


def _timed_runs(function, runs: int = RUNS) -> tuple[float, float, object]:
    """The first run and the median of ``runs`` more; the last result."""
    times = []
    result = None
    for _ in range(runs + 1):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return times[0], statistics.median(times[1:]), result


def _explain(sql: str) -> tuple[float, str]:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        lines = [row[0] for row in cursor.fetchall()]
        transaction.set_rollback(True)
    execution = next(
        float(line.split(":")[1].split()[0]) for line in lines if line.startswith("Execution Time")
    )
    return execution, "\n".join(lines)


def _profile_compile(agency) -> dict:
    """compile_report once with its queries captured, each EXPLAIN ANALYZEd."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.compile import compile_report

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        compile_report(agency, YEAR, now=NOW)
        wall = time.perf_counter() - started
    queries = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith(("SELECT", "DECLARE")):
            continue
        select = sql[sql.upper().index("SELECT") :] if sql.upper().startswith("DECLARE") else sql
        execution, plan = _explain(select)
        queries.append(
            {"sql": select, "logged": float(query["time"]), "explain_ms": execution, "plan": plan}
        )
    queries.sort(key=lambda q: -q["explain_ms"])
    return {"count": len(captured.captured_queries), "wall": wall, "queries": queries}


def _page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def main() -> None:
    load = os.getloadavg()[0]
    admin_url, name = benchdb.setup()
    try:
        from django.db import connection

        from inquiries.figures import topics_in
        from inquiries.models import Forwarding, Inquiry
        from publications.models import Post, PostMetric
        from reports.compile import compile_report
        from reports.pdf import annual_report_pdf, regency_report_pdf
        from reports.regency import compile_regency

        seed = _seed()
        big = seed["big"]
        counts = {
            "inquiries": Inquiry.objects.count(),
            "big_inquiries": Inquiry.objects.filter(agency=big).count(),
            "forwardings": Forwarding.objects.count(),
            "big_sent": Forwarding.objects.filter(from_agency=big).count(),
            "big_received": Forwarding.objects.filter(to_agency=big).count(),
            "posts": Post.objects.count(),
            "big_posts": Post.objects.filter(agency=big).count(),
            "metrics": PostMetric.objects.count(),
        }
        print(f"seeded in {seed['seconds']:.1f} s: {counts}")

        compile_first, compile_median, figures = _timed_runs(
            lambda: compile_report(big, YEAR, now=NOW)
        )
        print(f"compile_report: first {compile_first:.2f} s, median {compile_median:.2f} s")
        profile = _profile_compile(big)
        sql_sum = sum(q["explain_ms"] for q in profile["queries"]) / 1000
        started = time.perf_counter()
        topics_in(dt.date(YEAR, 1, 1), dt.date(YEAR + 1, 1, 1), [big.pk], limit=20)
        topics_seconds = time.perf_counter() - started
        print(f"  {profile['count']} queries; topics_in alone {topics_seconds:.2f} s")
        for q in profile["queries"][:5]:
            print(f"  {q['explain_ms']:8.1f} ms  {q['sql'][:150]}")
            if PLANS:
                print(q["plan"])

        report, submit_seconds = _submitted_report(big, seed["pejabat"])
        assert report.snapshot["d"]["inquiries"] == counts["big_inquiries"]
        pdf_first, pdf_median, pdf = _timed_runs(lambda: annual_report_pdf(report, now=NOW))
        pages = _page_count(pdf)
        print(f"annual_report_pdf: first {pdf_first:.2f} s, median {pdf_median:.2f} s, {pages} pp")

        regency_compile_first, regency_compile_median, regency = _timed_runs(
            lambda: compile_regency(YEAR, now=NOW)
        )
        regency_first, regency_median, regency_pdf = _timed_runs(
            lambda: regency_report_pdf(YEAR, now=NOW)
        )
        regency_pages = _page_count(regency_pdf)
        print(
            f"compile_regency: first {regency_compile_first:.2f} s, median "
            f"{regency_compile_median:.2f} s; regency_report_pdf: first {regency_first:.2f} s, "
            f"median {regency_median:.2f} s, {regency_pages} pp, "
            f"{regency['totals']['agencies']} agencies, "
            f"{regency['totals']['inquiries']:,} inquiries"
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            pg_version = cursor.fetchone()[0].split(",")[0]
    finally:
        benchdb.drop(admin_url, name)

    slowest = profile["queries"][0]
    today = f"{dt.datetime.now(tz=dt.UTC):%Y-%m-%d}"

    def verdict(seconds: float, key: str) -> str:
        return "met" if seconds < TARGETS[key] else "**missed**"

    rows = [
        ("`compile_report` (agency-year)", compile_first, compile_median, "compile",
         f"{profile['count']} queries"),
        ("`annual_report_pdf` (submitted)", pdf_first, pdf_median, "annual_pdf",
         f"{pages} pages"),
        ("`regency_report_pdf` (40 agencies)", regency_first, regency_median, "regency_pdf",
         f"{regency_pages} pages"),
    ]  # fmt: skip
    table = "\n".join(
        f"| {label} | {first:.2f} s | **{median:.2f} s** | < {TARGETS[key]:.0f} s "
        f"({verdict(median, key)}) | {note} |"
        for label, first, median, key, note in rows
    )
    top_queries = "\n".join(
        f"| {q['explain_ms']:.1f} ms | `{q['sql'][:110].replace('|', '/')}…` |"
        for q in profile["queries"][:5]
    )
    section = f"""<!-- {MARKER}:start -->
## Annual report: compile, PDF and the regency report

`python bench/report_build.py`, run {today} on {os.cpu_count()} cores (load average {load:.1f}
at the start), {pg_version}, Python {platform.python_version()}. Seeded data generated in
{seed["seconds"]:.0f} s: {AGENCIES} agencies with 3 official accounts, a petugas, a pejabat
and a monthly audience snapshot per account each; the measured agency received
{counts["big_inquiries"]:,} inquiries in {YEAR} (four kinds, 1-2 of {TOPICS} topics,
{counts["big_sent"]:,} forwarded to other agencies, 24 h deadline: 75% replied in time, 15%
late, 10% open; it received {counts["big_received"]:,} forwardings itself) and published
{counts["big_posts"]:,} posts with two readings each; the other 39 agencies
{OTHER_INQUIRIES:,} inquiries and {OTHER_POSTS:,} posts each. In all {counts["inquiries"]:,}
inquiries, {counts["forwardings"]:,} forwardings, {counts["posts"]:,} posts,
{counts["metrics"]:,} readings.

| Step | First run | Median of {RUNS} | Target | |
|---|---|---|---|---|
{table}

`report_submit` (which compiles and freezes the snapshot) took {submit_seconds:.2f} s;
`compile_regency` alone (the figures of the regency PDF) {regency_compile_median:.2f} s.
Of `compile_report`, the SQL (sum of the EXPLAIN ANALYZE execution times) is
{sql_sum:.2f} s; `inquiries.figures.topics_in`, which reads every inquiry of the year
(`kind`, `topics`) into Python to count the topics, took {topics_seconds:.2f} s on its own.
The slowest queries of `compile_report`:

| Execution | Query |
|---|---|
{top_queries}

EXPLAIN ANALYZE of the slowest:

```
{slowest["plan"]}
```
<!-- {MARKER}:end -->"""
    print(section)
    if SCALE < 1:
        return
    benchdb.write_section(f"<!-- {MARKER}:start -->", f"<!-- {MARKER}:end -->", section)


if __name__ == "__main__":
    main()
