"""Import of platform CSV exports of posts (publications.imports and the command).

The samples in publications/samples/ are imported as they are; the faults are made by
changing one cell of the template. Messages are not matched (they are translated);
the row and column of each error are, and so is what is in the database afterwards.
"""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.models import AccountStatus, AccountType, Platform, User
from accounts.tests.factories import OfficialAccountFactory
from audit.models import AuditEvent
from publications import imports
from publications.imports import ImportFileError
from publications.models import (
    FigureSource,
    MediaType,
    Post,
    PostCategory,
    PostEvent,
    PostMetric,
    PostStatus,
)
from publications.services import PostError, post_metric_record

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
NOW = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)  # 10:00 WIB
TODAY = dt.date(2026, 12, 1)
WIB = dt.timezone(dt.timedelta(hours=7))


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def template_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(sample("template.csv").decode(), newline="")))


def to_csv(rows: list[list[str]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode()


def check(data: bytes, account, *, format_name=None, category="kegiatan", now=NOW):
    parsed = imports.parse(data, format_name=format_name)
    return imports.validate(
        parsed,
        account=account,
        default_category=category,
        today=timezone.localdate(now),
        now=now,
    )


def run(data: bytes, account, by, **options) -> imports.ImportResult:
    now = options.get("now", NOW)
    checked = check(data, account, **options)
    assert checked.errors == []
    return imports.import_posts(checked, account=account, by=by, now=now)


def error_cells(data: bytes, account, **options) -> list[tuple[int, str]]:
    return [(error.row, error.column) for error in check(data, account, **options).errors]


def nothing_written() -> bool:
    return not (
        Post.objects.exists()
        or PostMetric.objects.exists()
        or PostEvent.objects.exists()
        or AuditEvent.objects.filter(action="post_import").exists()
    )


@pytest.fixture
def instagram(agency_a):
    return OfficialAccountFactory(agency=agency_a, handle="@dinkeskatingan")


@pytest.fixture
def facebook(agency_a):
    return OfficialAccountFactory(
        agency=agency_a,
        platform=Platform.FACEBOOK,
        handle="Dinas Kesehatan Kabupaten Katingan",
        url="https://www.facebook.com/61557890123456",
    )


@pytest.fixture
def x_account(agency_a):
    return OfficialAccountFactory(
        agency=agency_a,
        platform=Platform.X,
        account_type=AccountType.MICROBLOG,
        handle="@dinkeskatingan",
        url="https://x.com/dinkeskatingan",
    )


# --- The samples ----------------------------------------------------------------------


def test_the_template_sample_imports_every_row(instagram, officer_a):
    result = run(sample("template.csv"), instagram, officer_a, category="kebijakan")

    assert (result.created, result.updated, result.metrics) == (7, 0, 6)
    posts = {post.platform_post_id: post for post in Post.objects.filter(account=instagram)}
    assert len(posts) == 7
    first = posts["C9xKtg2PqLm"]
    assert (first.status, first.agency_id, first.created_by, first.created_at) == (
        PostStatus.PUBLISHED,
        instagram.agency_id,
        officer_a,
        NOW,
    )
    assert first.published_at == dt.datetime(2026, 11, 28, 9, 15, tzinfo=WIB)  # naive = WIB
    assert first.tags == ["#KatinganSehat", "@dinkes.katingan"]
    assert first.url == "https://www.instagram.com/p/C9xKtg2PqLm/"
    # Indonesian labels and the default category for a row without one.
    assert (posts["C9zA81mQwRt"].category, posts["C9zA81mQwRt"].media_type) == (
        PostCategory.CURRENT_ISSUE,
        MediaType.VIDEO,
    )
    assert posts["C9uLw0sTn4B"].media_type == MediaType.IMAGE  # "gambar"
    assert posts["C9rH2kdPa7X"].category == PostCategory.GOVERNMENT_POLICY  # the default
    assert posts["C9oYp5ReM1s"].category == PostCategory.AGENCY_ACTIVITY  # "Kegiatan instansi"

    reading = PostMetric.objects.get(post=posts["C9uLw0sTn4B"])
    assert (reading.comments, reading.shares, reading.forwards, reading.read_on) == (
        58,
        40,
        7,
        dt.date(2026, 11, 30),
    )
    assert (reading.source, reading.recorded_by, reading.recorded_at) == (
        FigureSource.IMPORT,
        officer_a,
        NOW,
    )
    # An empty read_on is today; a row with all three figures empty has no reading.
    assert PostMetric.objects.get(post=posts["C9oYp5ReM1s"]).read_on == TODAY
    assert not PostMetric.objects.filter(post=posts["C9lQ7vbXs2K"]).exists()

    events = PostEvent.objects.filter(post__account=instagram)
    assert set(events.values_list("action", "from_status", "to_status")) == {
        ("import", "", "published")
    }
    assert events.count() == 7
    audit = AuditEvent.objects.get(action="post_import")
    assert audit.changes["sha256"] == imports.parse(sample("template.csv")).digest
    assert (audit.changes["format"], audit.changes["created"], audit.changes["metrics"]) == (
        "generic",
        7,
        6,
    )
    assert (audit.actor, audit.agency_id, audit.object_id) == (
        officer_a,
        instagram.agency_id,
        str(instagram.pk),
    )
    assert AuditEvent.objects.count() == 1  # one for the import, not one per row


def test_the_meta_business_suite_sample_imports_every_row(facebook, officer_a):
    result = run(sample("meta_business_suite.csv"), facebook, officer_a)

    assert (result.created, result.metrics) == (6, 6)
    posts = {post.platform_post_id: post for post in Post.objects.filter(account=facebook)}
    photo = posts["122145678901234567"]
    assert photo.published_at == dt.datetime(2026, 11, 28, 9, 15, tzinfo=WIB)
    assert photo.text.startswith("Posyandu balita serentak di seluruh kecamatan")
    assert (photo.media_type, photo.category) == (MediaType.IMAGE, PostCategory.AGENCY_ACTIVITY)
    assert photo.url == "https://www.facebook.com/61557890123456/posts/122145678901234567"
    # A reel's caption is its Description, longer than its Title.
    reel = posts["122145678901234001"]
    assert reel.text.startswith("Jadwal posyandu bulan Desember 2026")
    assert (reel.media_type, reel.tags) == (MediaType.VIDEO, ["#KatinganSehat", "@DinkesKatingan"])
    assert posts["122145678901232789"].media_type == MediaType.LINK
    assert posts["122145678901231234"].media_type == MediaType.VIDEO
    reading = PostMetric.objects.get(post=photo)
    assert (reading.comments, reading.shares, reading.forwards, reading.read_on) == (
        24,
        17,
        0,
        TODAY,
    )
    # An empty Comments cell of the export is 0.
    assert PostMetric.objects.get(post=posts["122145678901233456"]).comments == 0


def test_the_x_analytics_sample_imports_every_row(x_account, officer_a):
    result = run(sample("x_analytics.csv"), x_account, officer_a)

    assert (result.created, result.metrics) == (6, 6)
    post = Post.objects.get(platform_post_id="1861298765432109876")
    assert post.published_at == dt.datetime(2026, 11, 26, 7, 40, tzinfo=dt.UTC)
    assert post.text.startswith("Musim hujan, waspada DBD.\nLakukan 3M Plus")
    assert post.tags == ["#CegahDBD", "@pemkabkatingan"]  # found in the text
    assert post.media_type == MediaType.TEXT
    reading = PostMetric.objects.get(post=post)
    # replies → comments, retweets → forwards; the layout has no shares.
    assert (reading.comments, reading.shares, reading.forwards) == (11, 0, 29)
    linked = Post.objects.get(platform_post_id="1860587654321098765")
    assert linked.tags == []  # a link is no tag


@pytest.mark.parametrize(
    ("name", "layout"),
    [
        ("template.csv", "generic"),
        ("meta_business_suite.csv", "meta_business_suite"),
        ("x_analytics.csv", "x_analytics"),
    ],
)
def test_the_layout_is_detected_from_the_header(name, layout):
    assert imports.parse(sample(name)).format.name == layout


def test_a_forced_layout_is_used_or_refused_naming_the_missing_columns(instagram):
    assert imports.parse(sample("template.csv"), format_name="generic").format.name == "generic"
    with pytest.raises(ImportFileError, match="Tweet id.*Tweet permalink.*Tweet text"):
        imports.parse(sample("template.csv"), format_name="x_analytics")
    with pytest.raises(ImportFileError, match="nama_lain"):
        imports.parse(sample("template.csv"), format_name="nama_lain")


def test_the_template_download_is_a_valid_generic_file(instagram):
    text = imports.template_csv()
    parsed = imports.parse(text.encode())
    assert parsed.format.name == "generic"
    assert len(parsed.rows) == 1
    assert parsed.header == template_rows()[0]
    assert check(text.encode(), instagram).errors == []


def test_an_indonesian_excel_file_with_semicolons_and_grouped_thousands(instagram, officer_a):
    rows = template_rows()[:2]
    rows[1][7] = "1.234"  # comments, as Excel set to Indonesian writes them
    data = b"sep=;\r\n" + to_csv(rows, delimiter=";")
    run(data, instagram, officer_a)
    assert PostMetric.objects.get().comments == 1234


def test_the_newer_x_content_export_is_read_too(x_account, officer_a):
    header = (
        "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,"
        "New follows,Replies,Reposts,Profile visits,Detail Expands,URL Clicks,Hashtag Clicks,"
        "Permalink Clicks"
    )
    data = (
        header + "\n"
        '1862012345678901234,"Sat, Nov 28, 2026",Posyandu balita serentak Sabtu. #KatinganSehat,'
        'https://x.com/dinkeskatingan/status/1862012345678901234,"12,500",210,430,4,7,0,8,'
        '"1,204",3,5,1,2,0\n'
    ).encode()
    assert imports.parse(data).format.name == "x_analytics"
    run(data, x_account, officer_a)
    post = Post.objects.get()
    assert post.published_at == dt.datetime(2026, 11, 28, tzinfo=WIB)  # the day only
    assert PostMetric.objects.values_list("comments", "shares", "forwards").get() == (8, 7, 1204)


def test_the_instagram_export_must_be_of_the_account(instagram, officer_a):
    header = (
        "Post ID,Account ID,Account username,Account name,Description,Duration (sec),"
        "Publish time,Permalink,Post type,Data comment,Date,Views,Reach,Likes,Shares,Follows,"
        "Comments,Saves"
    )
    row = (
        "18034567890123456,17841400000000000,{user},Dinkes Katingan,Vaksinasi HPV di Kasongan,"
        ",11/17/2026 13:20,https://www.instagram.com/p/C9rH2kdPa7X/,IG carousel,,Lifetime,"
        "1980,1543,58,4,0,7,3"
    )
    other = f"{header}\n{row.format(user='disdukcapil.katingan')}\n".encode()
    assert error_cells(other, instagram) == [(2, "Account username")]
    run(f"{header}\n{row.format(user='dinkeskatingan')}\n".encode(), instagram, officer_a)
    post = Post.objects.get()
    assert (post.text, post.media_type) == ("Vaksinasi HPV di Kasongan", MediaType.IMAGE)


# --- Importing again ------------------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing(instagram, officer_a):
    run(sample("template.csv"), instagram, officer_a)
    again = run(sample("template.csv"), instagram, officer_a)

    assert (again.created, again.updated, again.unchanged, again.metrics) == (0, 0, 7, 6)
    assert Post.objects.count() == 7
    assert PostMetric.objects.count() == 6
    assert PostEvent.objects.count() == 7
    assert AuditEvent.objects.filter(action="post_import").count() == 2


def test_a_changed_file_updates_posts_and_that_days_figures(instagram, officer_a, pejabat_a):
    run(sample("template.csv"), instagram, officer_a, category="kebijakan")
    rows = template_rows()
    rows[1][3] = "Posyandu balita serentak diundur ke Sabtu 7 Desember pukul 08.00 WIB."
    rows[1][7:10] = ["40", "22", "3"]  # the 30 November reading, read again
    rows[1][6] = "#KatinganSehat"
    rows[4][4] = ""  # category: no longer stated (the post keeps kebijakan)
    rows[5][4] = "isu_aktual"  # category: stated anew
    later = NOW + dt.timedelta(days=1)
    result = run(to_csv(rows), instagram, pejabat_a, now=later)

    assert (result.created, result.updated, result.unchanged) == (0, 2, 5)
    assert Post.objects.count() == 7
    post = Post.objects.get(platform_post_id="C9xKtg2PqLm")
    assert (post.text, post.tags, post.version) == (rows[1][3], ["#KatinganSehat"], 2)
    reading = PostMetric.objects.get(post=post)
    assert (reading.comments, reading.shares, reading.forwards) == (40, 22, 3)
    assert (reading.recorded_by, reading.recorded_at) == (pejabat_a, later)
    assert Post.objects.get(platform_post_id="C9rH2kdPa7X").category == "kebijakan"
    assert Post.objects.get(platform_post_id="C9oYp5ReM1s").category == "isu_aktual"
    update = PostEvent.objects.get(post=post, at=later)
    assert (update.action, update.from_status, update.to_status, update.note) == (
        "import",
        "published",
        "published",
        "text, tags",
    )


def test_an_import_replaces_a_hand_reading_of_the_same_day(instagram, officer_a):
    run(sample("template.csv"), instagram, officer_a)
    post = Post.objects.get(platform_post_id="C9oYp5ReM1s")
    post_metric_record(
        post=post, read_on=TODAY, comments=1, shares=1, forwards=1, by=officer_a, now=NOW
    )
    PostMetric.objects.filter(post=post).update(source=FigureSource.MANUAL, comments=99)
    run(sample("template.csv"), instagram, officer_a)
    reading = PostMetric.objects.get(post=post)
    assert (reading.comments, reading.source) == (4, FigureSource.IMPORT)


def test_a_day_only_time_keeps_the_exact_time_of_a_known_post(x_account, officer_a):
    run(sample("x_analytics.csv"), x_account, officer_a)
    data = (
        b"Post id,Date,Post text,Post Link,Replies,Reposts,Shares\n"
        b'1862012345678901234,"Sat, Nov 28, 2026",Posyandu balita serentak Sabtu 30/11 pukul '
        b"08.00 WIB di semua kecamatan. Bawa buku KIA! #KatinganSehat,"
        b"https://twitter.com/dinkeskatingan/status/1862012345678901234,9,2,20\n"
    )
    result = run(data, x_account, officer_a)
    assert result.updated == 0
    post = Post.objects.get(platform_post_id="1862012345678901234")
    assert post.published_at == dt.datetime(2026, 11, 28, 2, 15, tzinfo=dt.UTC)


# --- Faulty files ---------------------------------------------------------------------


def _template_with(row: int, column: str, value: str) -> bytes:
    rows = template_rows()
    rows[row - 1][rows[0].index(column)] = value
    return to_csv(rows)


@pytest.mark.parametrize(
    ("row", "column", "value"),
    [
        (3, "published_at", "28 November 2026"),
        (6, "published_at", "2026-12-01 10:01"),  # a minute after NOW: in the future
        (5, "comments", "-3"),
        (6, "shares", "banyak"),
        (2, "forwards", "2,5"),
        (2, "shares", ""),  # one figure empty, the others given
        (3, "read_on", "2026-11-20"),  # before the post was published
        (4, "read_on", "2026-12-02"),  # after today
        (8, "category", "hiburan"),
        (2, "media_type", "podcast"),
        (6, "tags", "KatinganSehat"),
        (3, "url", "bukan tautan"),
        (5, "text", ""),
        (7, "platform_post_id", ""),
    ],
)
def test_a_faulty_cell_is_reported_by_row_and_column(instagram, officer_a, row, column, value):
    checked = check(_template_with(row, column, value), instagram)

    assert [(error.row, error.column) for error in checked.errors] == [(row, column)]
    assert all(error.message for error in checked.errors)
    assert checked.rows == []
    with pytest.raises(ImportFileError):
        imports.import_posts(checked, account=instagram, by=officer_a, now=NOW)
    assert nothing_written()


def test_a_duplicate_post_id_is_an_error_on_the_later_row(instagram):
    checked = check(_template_with(6, "platform_post_id", "C9zA81mQwRt"), instagram)
    assert [(e.row, e.column) for e in checked.errors] == [(6, "platform_post_id")]
    assert "3" in checked.errors[0].message  # the row it is already in


def test_every_error_of_the_file_is_reported(instagram):
    rows = template_rows()
    rows[2][1] = "kemarin"
    rows[2][7] = "-1"
    rows[7][8] = "x"
    assert error_cells(to_csv(rows), instagram) == [
        (3, "published_at"),
        (3, "comments"),
        (8, "shares"),
    ]


def test_a_microblog_message_over_the_limit_is_an_error_on_its_text_cell(x_account):
    rows = list(csv.reader(io.StringIO(sample("x_analytics.csv").decode(), newline="")))
    rows[4][2] = "x" * 141
    # Row 3 holds a line break inside its text: a spreadsheet still shows it as one row.
    assert error_cells(to_csv(rows), x_account) == [(5, "Tweet text")]
    rows[4][2] = "x" * 140
    assert error_cells(to_csv(rows), x_account) == []


def test_a_post_id_rounded_by_a_spreadsheet_is_refused(facebook):
    rows = list(csv.reader(io.StringIO(sample("meta_business_suite.csv").decode("utf-8-sig"))))
    rows[2][0] = "1.22146E+17"
    assert error_cells(to_csv(rows), facebook) == [(3, "Post ID")]


def test_meta_figures_other_than_lifetime_are_refused(facebook):
    rows = list(csv.reader(io.StringIO(sample("meta_business_suite.csv").decode("utf-8-sig"))))
    rows[3][rows[0].index("Date")] = "11/24/2026"
    assert error_cells(to_csv(rows), facebook) == [(4, "Date")]


def test_a_row_with_more_cells_than_the_header_is_refused(instagram):
    rows = template_rows()
    rows[3].append("sisa")
    assert error_cells(to_csv(rows), instagram) == [(4, "")]


def _without_column(name: str) -> bytes:
    rows = template_rows()
    index = rows[0].index(name)
    return to_csv([row[:index] + row[index + 1 :] for row in rows])


CP1252 = "platform_post_id,published_at,url,text\nA,2026-11-01 08:00,https://x.test/1,caf\u00e9\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # A required column missing: the closest layout and what it lacks are named.
        (_without_column("url"), "url"),
        (_without_column("published_at"), "published_at"),
        (b"nama,alamat,telepon\nBudi,Kasongan,0812\n", None),  # no known layout
        # Not UTF-8: the message gives the position of the first unreadable byte.
        (CP1252.encode("cp1252"), str(CP1252.encode("cp1252").index(b"\xe9"))),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "0"),
        (b"\xff\xfe\x00\xd8", None),  # a UTF-16 mark, then no valid text
        (b"platform_post_id\x00,url\n", None),
        (b"\xef\xbb\xbf\r\n\r\n", None),
        (to_csv(template_rows()[:1]), None),  # a header and no rows
    ],
)
def test_an_unreadable_file_is_refused_as_a_whole(instagram, officer_a, data, expected):
    with pytest.raises(ImportFileError, match=expected):
        imports.parse(data)
    assert nothing_written()


def test_the_limits_are_parameters():
    data = sample("template.csv")
    with pytest.raises(ImportFileError):
        imports.parse(data, max_rows=6)
    with pytest.raises(ImportFileError):
        imports.parse(data, max_bytes=len(data) - 1)
    assert len(imports.parse(data, max_rows=7, max_bytes=len(data)).rows) == 7


def test_a_file_of_another_platform_is_refused(x_account):
    with pytest.raises(ImportFileError):
        check(sample("meta_business_suite.csv"), x_account)
    assert check(sample("x_analytics.csv"), x_account).errors == []


def test_a_failure_while_writing_leaves_nothing_behind(instagram, officer_a, monkeypatch):
    checked = check(sample("template.csv"), instagram)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "audit_record", broken)
    with pytest.raises(RuntimeError):
        imports.import_posts(checked, account=instagram, by=officer_a, now=NOW)
    assert nothing_written()


# --- Who may import -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer_b", "evaluator", "pimpinan", "outsider"])
def test_only_a_writer_of_the_accounts_agency_imports(instagram, cast, who):
    checked = check(sample("template.csv"), instagram)
    with pytest.raises(PostError):
        imports.import_posts(checked, account=instagram, by=cast[who], now=NOW)
    assert nothing_written()


def test_an_administrator_imports_for_any_agency(instagram, administrator):
    assert run(sample("template.csv"), instagram, administrator).created == 7


def test_an_inactive_account_takes_no_import(instagram, officer_a):
    checked = check(sample("template.csv"), instagram)
    instagram.status = AccountStatus.INACTIVE
    instagram.save(update_fields=["status"])
    with pytest.raises(PostError):
        imports.import_posts(checked, account=instagram, by=officer_a, now=NOW)
    assert nothing_written()


# --- The command ----------------------------------------------------------------------


def test_the_command_imports_a_file(instagram, officer_a, tmp_path):
    path = tmp_path / "ekspor.csv"
    path.write_bytes(sample("template.csv"))
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command(
            "import_posts",
            str(path),
            "--account",
            str(instagram.pk),
            "--user",
            "petugas_a",
            "--category",
            "kebijakan",
            stdout=out,
        )
    assert "7" in out.getvalue() and "petugas_a" in out.getvalue()
    assert Post.objects.filter(account=instagram).count() == 7
    assert Post.objects.get(platform_post_id="C9rH2kdPa7X").category == "kebijakan"
    assert AuditEvent.objects.get(action="post_import").actor == officer_a


def test_the_command_acts_as_the_first_administrator_by_default(x_account, administrator, tmp_path):
    path = tmp_path / "tweets.csv"
    path.write_bytes(sample("x_analytics.csv"))
    with time_machine.travel(NOW, tick=False):
        call_command(
            "import_posts",
            str(path),
            "--account",
            str(x_account.pk),
            "--format",
            "x_analytics",
            stdout=io.StringIO(),
        )
    assert Post.objects.count() == 6
    assert AuditEvent.objects.get(action="post_import").actor == administrator


def test_the_command_reports_each_error_and_writes_nothing(instagram, officer_a, tmp_path):
    rows = template_rows()
    rows[2][1] = "kemarin"
    rows[4][7] = "-1"
    path = tmp_path / "salah.csv"
    path.write_bytes(to_csv(rows))
    err = io.StringIO()
    with (
        time_machine.travel(NOW, tick=False),
        translation.override("en"),
        pytest.raises(CommandError),
    ):
        call_command(
            "import_posts",
            str(path),
            "--account",
            str(instagram.pk),
            "--user",
            "petugas_a",
            stdout=io.StringIO(),
            stderr=err,
        )
    lines = err.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "row 3, column published_at",
        "row 5, column comments",
    ]
    assert nothing_written()


@pytest.mark.parametrize(
    "arguments",
    [
        ["--format", "meta_business_suite"],  # the wrong layout forced
        ["--user", "petugas_b"],  # another agency's petugas
        ["--user", "tidak_ada"],
        ["--dry-run"],
    ],
)
def test_the_command_refuses_or_only_checks(instagram, officer_a, officer_b, tmp_path, arguments):
    path = tmp_path / "ekspor.csv"
    path.write_bytes(sample("template.csv"))
    command = ["import_posts", str(path), "--account", str(instagram.pk), "--user", "petugas_a"]
    with time_machine.travel(NOW, tick=False):
        if arguments == ["--dry-run"]:
            call_command(*command, *arguments, stdout=io.StringIO())
        else:
            with pytest.raises(CommandError):
                call_command(*command, *arguments, stdout=io.StringIO())
    assert nothing_written()


# --- Speed ----------------------------------------------------------------------------


def _generated(count: int, comments: int = 1, wording: str = "Kabar") -> bytes:
    rows = [template_rows()[0]]
    for i in range(count):
        rows.append(
            [
                f"P{i:06d}",
                "2026-11-20 08:00",
                f"https://www.instagram.com/p/P{i:06d}/",
                f"{wording} kegiatan nomor {i} #Katingan",
                "kegiatan",
                "image",
                "#Katingan",
                str(comments),
                "2",
                "3",
                "2026-11-30",
            ]
        )
    return to_csv(rows)


def _queries(data: bytes, account, by) -> int:
    checked = check(data, account)
    by = User.objects.get(pk=by.pk)  # its roles not yet read, as in each request
    with CaptureQueriesContext(connection) as queries:
        imports.import_posts(checked, account=account, by=by, now=NOW)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_rows(agency_a, officer_a):
    """10 and 50 rows take the same queries, first import and update alike (50 rows stay
    within one INSERT even under SQLite's 999-parameter limit); 400 rows only add the
    batches of the bulk statements, far fewer than one query per row."""
    small, large, huge = (OfficialAccountFactory(agency=agency_a) for _ in range(3))
    first = [
        _queries(_generated(n), account, officer_a) for n, account in [(10, small), (50, large)]
    ]
    assert first[0] == first[1]
    update = [
        _queries(_generated(n, comments=5, wording="Berita"), account, officer_a)
        for n, account in [(10, small), (50, large)]
    ]
    assert update[0] == update[1]
    assert _queries(_generated(400), huge, officer_a) < 40
    assert PostMetric.objects.filter(post__account=large, comments=5).count() == 50
    assert Post.objects.filter(account=large, text__startswith="Berita").count() == 50
