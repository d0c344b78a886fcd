"""Generate seeded, realistic benchmark data in PostgreSQL (``generate_bench_data``).

A year of intake up to ``now`` for ``agencies`` agencies: each with a decree, three
official accounts, an appointed petugas and pejabat (who can sign in with
:data:`PASSWORD`), an SOP and monthly audience snapshots; ``inquiries`` inquiries
unevenly spread over the agencies (the four kinds, one or two of 40 topics), ~30%
forwarded to another agency with the 24-hour deadline (75% replied in time, 15% late,
10% still open, so a few percent of all inquiries overdue at ``now``), ~60% of the
rest answered directly; the history of every inquiry (record, forward, reply, answer
events); one post per ten inquiries; an integration token of the first agency; and the
stored daily counters rebuilt at the end. Rows are inserted in the order they arrive,
as in production (ids and heap order follow ``received_at``).

Inquiries, forwardings, events, posts and snapshots are generated in SQL with
``setseed`` and ``random()``, so the same seed gives the same data; the few hundred
other rows go through the ORM. PostgreSQL only.
"""

import datetime as dt
import time
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction

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
from inquiries import counts, tokens
from inquiries.models import TRACKING_ALPHABET, TRACKING_LENGTH, Inquiry

PASSWORD = "bench-katingan-2026"  # noqa: S105 - benchmark data only, documented
TOPICS = 40
KINDS = ("dinas", "badan", "kecamatan", "sekretariat", "rsud")


class BenchDataError(Exception):
    pass


@dataclass
class Generated:
    seconds: float
    evaluator: User
    officer: User  # the petugas of the first (busiest) agency
    api_key: str  # of the first agency's integration token
    counter_rows: int
    counter_seconds: float


def _array(values) -> str:
    """A PostgreSQL ARRAY literal of values generated here (ids, or already quoted
    literals), never of outside input."""
    return "ARRAY[" + ",".join(str(v) for v in values) + "]"


def _tracking_alphabet() -> str:
    # The SQL below draws 8 letters of 5 bits each.
    assert len(TRACKING_ALPHABET) == 32 and TRACKING_LENGTH == 8
    return TRACKING_ALPHABET


def generate(
    *, agencies: int = 40, inquiries: int = 100_000, now: dt.datetime, seed: float = 0.2026
) -> Generated:
    """Write the data set (see the module docstring) into the current database."""
    if connection.vendor != "postgresql":
        raise BenchDataError("Benchmark data is generated in PostgreSQL only.")
    if Inquiry.objects.exists():
        raise BenchDataError("The database already holds inquiries; use an empty database.")
    if not 2 <= agencies <= 500 or inquiries < 0:
        raise BenchDataError("Use 2 to 500 agencies and a non-negative number of inquiries.")
    started = time.perf_counter()
    first_moment = now - dt.timedelta(days=365)
    posts = inquiries // 10
    password_hash = make_password(PASSWORD)  # one hash for all: one password
    with transaction.atomic():
        evaluator, officer = _write(
            agencies, inquiries, posts, first_moment, seed, password_hash, now
        )
    counter_started = time.perf_counter()
    counter_rows = counts.rebuild()
    counter_seconds = time.perf_counter() - counter_started
    _token, api_key = tokens.token_create(agency=officer.agency, name="Benchmark", by=None, now=now)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return Generated(
        seconds=time.perf_counter() - started,
        evaluator=evaluator,
        officer=officer,
        api_key=api_key,
        counter_rows=counter_rows,
        counter_seconds=counter_seconds,
    )


def _write(n_agencies, inquiries, posts, first_moment, seed, password_hash, now):
    signed = (first_moment - dt.timedelta(days=30)).date()
    agencies = Agency.objects.bulk_create(
        Agency(
            name=f"Instansi Uji {i:02d}",
            short_name=f"I{i:02d}",
            slug=f"instansi-{i:02d}",
            is_dinas=i == n_agencies - 1,  # the one Diskominfo
            kind=KINDS[i % len(KINDS)],
        )
        for i in range(n_agencies)
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
            password=password_hash,
        )
        for i, agency in enumerate(agencies)
        for role in ("Petugas", "Pejabat")
    )
    groups = {g.name: g for g in Group.objects.filter(name__in=list(Role.values))}
    User.groups.through.objects.bulk_create(
        User.groups.through(user=user, group=groups[user.full_name.split()[0]]) for user in users
    )
    petugas = [u.pk for u in users[0::2]]
    acknowledged = first_moment - dt.timedelta(days=29)
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
        password=password_hash,
    )
    evaluator.groups.add(groups[Role.EVALUATOR])

    agency_ids = [a.pk for a in agencies]
    flat_accounts = [a.pk for a in accounts]
    topic_names = _array(f"'topik {n}'" for n in range(1, TOPICS + 1)) + "::text[]"
    first = f"TIMESTAMPTZ '{first_moment.isoformat()}'"
    tracking = " || ".join(
        f"substr('{_tracking_alphabet()}', ((i >> {5 * k}) & 31) + 1, 1)" for k in range(8)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [seed])
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
                   1 + (idx + floor(random() * {n_agencies - 1})::int) % {n_agencies} AS to_idx
            FROM (
                SELECT (row_number() OVER (ORDER BY received_at) - 1)::int AS i, idx, received_at
                FROM (
                    SELECT 1 + floor(power(random(), 1.6) * {n_agencies})::int AS idx,
                           {first} + random() * interval '364 days 23 hours' AS received_at
                    FROM generate_series(1, {inquiries})
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
                    SELECT 1 + floor(power(random(), 1.6) * {n_agencies})::int AS idx,
                           {first} + random() * interval '364 days 23 hours' AS published_at
                    FROM generate_series(1, {posts})
                ) AS r
            ) AS s
            ORDER BY i
            """
        )
        # One snapshot per account on the last day of each of the 13 months up to now.
        cursor.execute(
            f"""
            INSERT INTO publications_audiencesnapshot (
                source, recorded_by_id, recorded_at, account_id, taken_on, followers)
            SELECT 'manual', ({_array(petugas)})[1 + (a.n - 1) / 3],
                   {first} + interval '365 days', a.account,
                   (date_trunc('month', {first}) + m * interval '1 month' + interval '1 month'
                    - interval '1 day')::date,
                   1000 + a.n * 37 + m * (20 + floor(random() * 50)::int)
            FROM unnest({_array(flat_accounts)}) WITH ORDINALITY AS a(account, n)
            CROSS JOIN generate_series(0, 12) AS m
            """
        )
        _history(cursor)
        for table in (
            "inquiries_inquiry",
            "inquiries_forwarding",
            "inquiries_inquiryevent",
            "publications_post",
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        cursor.execute("DROP TABLE plan")
    return evaluator, users[0]


def _history(cursor) -> None:
    """The events the flow would have written, from the rows just generated."""
    cursor.execute(
        """
        INSERT INTO inquiries_inquiryevent (
            inquiry_id, at, actor_id, agency_id, action, from_status, to_status,
            forwarding_id, note)
        SELECT id, recorded_at, recorded_by_id, agency_id, 'record', '', 'recorded', NULL, ''
        FROM inquiries_inquiry ORDER BY id
        """
    )
    cursor.execute(
        """
        INSERT INTO inquiries_inquiryevent (
            inquiry_id, at, actor_id, agency_id, action, from_status, to_status,
            forwarding_id, note)
        SELECT inquiry_id, forwarded_at, forwarded_by_id, from_agency_id, 'forward',
               'recorded', 'forwarded', id, note
        FROM inquiries_forwarding ORDER BY id
        """
    )
    cursor.execute(
        """
        INSERT INTO inquiries_inquiryevent (
            inquiry_id, at, actor_id, agency_id, action, from_status, to_status,
            forwarding_id, note)
        SELECT inquiry_id, replied_at, replied_by_id, to_agency_id, 'reply',
               'forwarded', 'replied', id, ''
        FROM inquiries_forwarding WHERE replied_at IS NOT NULL ORDER BY id
        """
    )
    cursor.execute(
        """
        INSERT INTO inquiries_inquiryevent (
            inquiry_id, at, actor_id, agency_id, action, from_status, to_status,
            forwarding_id, note)
        SELECT id, answered_at, answered_by_id, agency_id,
               CASE WHEN forwarded_at IS NULL THEN 'answer_directly' ELSE 'answer_public' END,
               CASE WHEN forwarded_at IS NULL THEN 'recorded' ELSE 'replied' END,
               status, NULL, ''
        FROM inquiries_inquiry WHERE answered_at IS NOT NULL ORDER BY id
        """
    )
