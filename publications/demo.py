"""Demo posts, figures, audience and recommendations for ``seed_demo``.

A year of published posts per active official account (a few a week, in every Pasal 10
category, with two readings of their figures each), a monthly audience snapshot per
account, and for the agencies with both a petugas and a pejabat this month's work in
progress — a draft, one waiting for approval, one returned with a note, one approved —
written through the services so their history is real. Two recommendations for
follow-up link demo inquiries to published posts.

Seeded and idempotent: an account that already has demo posts is left alone.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import AccountStatus, AccountType, OfficialAccount, Platform, User
from accounts.roles import Role
from inquiries.models import Inquiry

from . import services
from .models import (
    AudienceSnapshot,
    FigureSource,
    MediaType,
    Post,
    PostCategory,
    PostEvent,
    PostMetric,
    PostStatus,
    Recommendation,
    RecommendationStatus,
)

ID_PREFIX = "demo-"
DAY = dt.timedelta(days=1)

TEXTS = {
    PostCategory.AGENCY_ACTIVITY: [
        "Pelayanan keliling hari ini di Kecamatan {place}. Bawa dokumen asli dan fotokopinya.",
        "Rapat koordinasi bersama camat se-Kabupaten Katingan membahas pelayanan publik.",
        "Kunjungan kerja ke {place}: memastikan layanan berjalan sampai ke desa.",
        "Sosialisasi layanan daring di aula kantor; terima kasih atas kehadiran warga.",
    ],
    PostCategory.CURRENT_ISSUE: [
        "Waspada kenaikan debit Sungai Katingan di {place}; ikuti arahan petugas.",
        "Kabut asap: kurangi kegiatan di luar rumah dan gunakan masker.",
        "Jalan poros {place} sedang diperbaiki; gunakan jalur alternatif.",
        "Harga kebutuhan pokok di Pasar Kasongan minggu ini terpantau stabil.",
    ],
    PostCategory.GOVERNMENT_POLICY: [
        "Peraturan Bupati tentang pelayanan publik berlaku mulai bulan ini; simak ringkasannya.",
        "Program pemerintah pusat untuk {place}: syarat dan cara mendaftar.",
        "Jadwal pelayanan selama libur nasional sesuai surat edaran Bupati Katingan.",
    ],
}
PLACES = [
    "Katingan Hilir",
    "Tasik Payawan",
    "Kamipang",
    "Mendawai",
    "Tewang Sanggalang Garing",
    "Pulau Malan",
    "Katingan Tengah",
    "Sanaman Mantikei",
    "Marikit",
    "Bukit Raya",
]
TAGS = [
    "#Katingan",
    "#KatinganBangkit",
    "#PelayananPublik",
    "#InfoKatingan",
    "@diskominfo.katingan",
]
BASE_AUDIENCE = {
    Platform.INSTAGRAM: 4200,
    Platform.FACEBOOK: 9800,
    Platform.YOUTUBE: 1300,
    Platform.X: 2100,
    Platform.TIKTOK: 3600,
}


def _text(rng: random.Random, category: str, account: OfficialAccount) -> str:
    text = rng.choice(TEXTS[category]).format(place=rng.choice(PLACES))
    if account.account_type == AccountType.MICROBLOG:
        text = text[:135]
    return text


def seed(*, now: dt.datetime) -> dict[str, int]:
    created = {"posts": 0, "post figures": 0, "audience snapshots": 0, "recommendations": 0}
    accounts = list(
        OfficialAccount.objects.filter(status=AccountStatus.ACTIVE)
        .select_related("agency")
        .order_by("pk")
    )
    if not accounts:
        return created
    people: dict[int, dict[str, User]] = {}
    for user in User.objects.filter(is_active=True, agency__isnull=False).order_by("username"):
        roles = user.roles
        if Role.PETUGAS in roles:
            people.setdefault(user.agency_id, {}).setdefault("petugas", user)
        if Role.PEJABAT in roles:
            people.setdefault(user.agency_id, {}).setdefault("pejabat", user)
    seeded = set(
        Post.objects.filter(platform_post_id__startswith=ID_PREFIX).values_list(
            "account_id", flat=True
        )
    )
    with transaction.atomic():
        for account in accounts:
            staff = people.get(account.agency_id, {})
            writer = staff.get("petugas") or staff.get("pejabat")
            if writer is None or account.pk in seeded:
                continue
            _history(account, writer, now, created)
            _audience(account, writer, now, created)
            if (
                staff.get("petugas")
                and staff.get("pejabat")
                and account.platform in (Platform.INSTAGRAM, Platform.FACEBOOK)
            ):
                _work_in_progress(account, staff["petugas"], staff["pejabat"], now, created)
        _recommendations(people, now, created)
    return created


def _history(account: OfficialAccount, writer: User, now: dt.datetime, created: dict) -> None:
    """About 110 published posts over the last year, with two readings each."""
    rng = random.Random(f"posts-{account.pk}")  # noqa: S311 - demo data, not secrets
    posts, moments = [], []
    day = timezone.localdate(now) - 360 * DAY
    n = 0
    while day < timezone.localdate(now):
        day += dt.timedelta(days=rng.choice((2, 3, 4)))
        moment = timezone.make_aware(
            dt.datetime.combine(day, dt.time(rng.choice((8, 10, 13, 16, 19))))
        )
        if moment >= now:
            break
        n += 1
        category = rng.choices(list(TEXTS), weights=(5, 3, 2))[0]
        posts.append(
            Post(
                agency_id=account.agency_id,
                account=account,
                category=category,
                text=_text(rng, category, account),
                tags=rng.sample(TAGS, 2),
                media_type=rng.choice(
                    (MediaType.IMAGE, MediaType.IMAGE, MediaType.VIDEO, MediaType.TEXT)
                ),
                status=PostStatus.PUBLISHED,
                published_at=moment,
                url=f"{account.url.rstrip('/')}/posts/{ID_PREFIX}{account.pk}-{n}",
                platform_post_id=f"{ID_PREFIX}{account.pk}-{n}",
                created_by=writer,
                created_at=moment - dt.timedelta(hours=3),
                version=4,
            )
        )
        moments.append(moment)
    Post.objects.bulk_create(posts)
    events, metrics = [], []
    for post in posts:
        events.append(
            PostEvent(
                post=post,
                at=post.published_at,
                actor=writer,
                action="publish",
                from_status=PostStatus.APPROVED,
                to_status=PostStatus.PUBLISHED,
            )
        )
        comments, shares, forwards = rng.randint(0, 40), rng.randint(0, 25), rng.randint(0, 10)
        first = timezone.localdate(post.published_at) + DAY
        for read_on, factor in ((first, 0.6), (first + 6 * DAY, 1.0)):
            if read_on > timezone.localdate(now):
                continue
            metrics.append(
                PostMetric(
                    post=post,
                    read_on=read_on,
                    comments=int(comments * factor),
                    shares=int(shares * factor),
                    forwards=int(forwards * factor),
                    source=FigureSource.IMPORT,
                    recorded_by=writer,
                    recorded_at=now,
                )
            )
    PostEvent.objects.bulk_create(events)
    PostMetric.objects.bulk_create(metrics)
    created["posts"] += len(posts)
    created["post figures"] += len(metrics)


def _audience(account: OfficialAccount, writer: User, now: dt.datetime, created: dict) -> None:
    rng = random.Random(f"audience-{account.pk}")  # noqa: S311 - demo data, not secrets
    followers = BASE_AUDIENCE.get(account.platform, 800) + rng.randint(-300, 300)
    today = timezone.localdate(now)
    snapshots = []
    for months_back in range(12, -1, -1):
        taken_on = (today.replace(day=1) - dt.timedelta(days=30 * months_back)).replace(day=1)
        followers += rng.randint(20, 180)
        snapshots.append(
            AudienceSnapshot(
                account=account,
                taken_on=taken_on,
                followers=followers,
                source=FigureSource.MANUAL,
                recorded_by=writer,
                recorded_at=now,
            )
        )
    AudienceSnapshot.objects.bulk_create(snapshots, ignore_conflicts=True)
    created["audience snapshots"] += len(snapshots)


def _work_in_progress(account, petugas: User, pejabat: User, now: dt.datetime, created: dict):
    """This month's posts in every step of the approval path, through the services."""

    def draft(text: str, days: int, category=PostCategory.AGENCY_ACTIVITY):
        return services.post_draft(
            account=account,
            category=category,
            text=text,
            by=petugas,
            now=now - 2 * DAY,
            tags=["#Katingan"],
            media_type=MediaType.IMAGE,
            planned_at=now + days * DAY,
        )

    draft("Rencana: liputan pelayanan keliling di Kecamatan Marikit.", 3)
    services.post_submit(
        post=draft("Pengumuman jadwal pelayanan akhir tahun.", 2, PostCategory.GOVERNMENT_POLICY),
        by=petugas,
        now=now - DAY,
    )
    returned = services.post_submit(
        post=draft("Info banjir: warga diimbau waspada.", 1, PostCategory.CURRENT_ISSUE),
        by=petugas,
        now=now - DAY,
    )
    services.post_return(
        post=returned,
        by=pejabat,
        now=now - DAY / 2,
        note="Sebutkan desa yang terdampak dan nomor darurat BPBD.",
    )
    approved = services.post_submit(
        post=draft("Terima kasih kepada warga yang hadir pada sosialisasi kemarin.", 1),
        by=petugas,
        now=now - DAY,
    )
    services.post_approve(post=approved, by=pejabat, now=now - DAY / 2)
    created["posts"] += 4


def _recommendations(people: dict, now: dt.datetime, created: dict) -> None:
    if Recommendation.objects.filter(title__startswith="[Demo]").exists():
        return
    for agency_id, staff in people.items():
        pejabat = staff.get("pejabat")
        if pejabat is None:
            continue
        inquiries = list(
            Inquiry.objects.filter(agency_id=agency_id).exclude(topics=[]).order_by("pk")[:3]
        )
        posts = list(
            Post.objects.filter(agency_id=agency_id, status=PostStatus.PUBLISHED).order_by(
                "-published_at"
            )[:2]
        )
        if not inquiries:
            continue
        topic = inquiries[0].topics[0]
        services.recommendation_save(
            agency_id=agency_id,
            by=pejabat,
            now=now - 5 * DAY,
            title=f"[Demo] Informasi {topic} diperjelas",
            body=(
                f"Warga berulang kali menanyakan {topic}. Informasi persyaratan dan jadwal "
                "perlu dijelaskan lebih rinci di akun resmi."
            ),
            follow_up="Unggah infografis persyaratan, sematkan di profil; tinjau bulan depan.",
            status=RecommendationStatus.IN_PROGRESS,
            inquiries=inquiries,
            posts=posts,
        )
        created["recommendations"] += 1
