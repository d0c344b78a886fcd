"""Demo inquiries: a few hundred questions, comments, criticisms and suggestions from
Katingan's citizens on the demo agencies' official accounts, in every state of the
Lampiran B flow, plus an approved answer library for each agency.

Found and run by ``manage.py seed_demo`` after the accounts seed (agencies, users and
official accounts must exist). Everything is written through :mod:`inquiries.flow`,
with explicit ``now`` values spread over the four months before the seed runs, so the
history, versions and deadlines are those the portal itself would have written:

* open: recorded in the last three days; forwarded with the reply overdue (mostly to
  PUPR, BPBD and Dinsos, which have no demo officers yet), due within hours, or just
  forwarded; replied and waiting for the answer to the public;
* answered directly (angka 2) or after a forwarding (angka 3-5), and closed;
* dismissed as spam or as a duplicate of an earlier inquiry;
* re-routed once by the agency that got it first (Setda → Dinkes → RSUD and the like).

The plan is drawn from ``random.Random(55)``: the same texts, people and relative times
on every run; only tracking codes differ. Each inquiry carries the idempotency key
``demo-<n>`` of its agency, and one that exists is skipped, so a second run creates
nothing. The names, handles and numbers (0812-0000-xxxx) are invented.
"""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from accounts.models import Agency, OfficialAccount, User
from accounts.roles import Role

from . import flow
from .models import Answer, DismissReason, Forwarding, Inquiry, InquiryKind

SEED = 55
KEY_PREFIX = "demo-"

K = InquiryKind


# --- What citizens write about ------------------------------------------------------------

PLACES = (
    "Kasongan",
    "Kereng Pangi",
    "Tumbang Samba",
    "Tumbang Sanamang",
    "Tumbang Hiran",
    "Tumbang Kaman",
    "Pendahara",
    "Tewang Sanggalang Garing",
    "Tewang Rangkang",
    "Petak Bahandang",
    "Baun Bango",
    "Pegatan",
    "Mendawai",
    "Telok",
    "Jahanjang",
    "Samba Katung",
    "Luwuk Kiri",
    "Marikit",
)


@dataclass(frozen=True)
class Subject:
    """A kind of inquiry: where it is sent, who has authority, and the answers to it."""

    authority: str  # slug of the agency with authority
    kind: str
    texts: tuple[str, ...]  # "{place}" is filled in
    topics: tuple[str, ...]
    reply: str = ""  # the authority's reply to a forwarding
    answer: str = ""  # the answer to the public
    library: str = ""  # question of the library answer used for a direct answer
    # Accounts on which the public asks it of an agency without authority.
    misdirected_to: tuple[str, ...] = ("setda", "diskominfo")


SUBJECTS: tuple[Subject, ...] = (
    # Disdukcapil
    Subject(
        "disdukcapil",
        K.QUESTION,
        (
            "Min, KTP elektronik saya hilang waktu banjir kemarin. Syarat bikin baru apa saja?",
            "Selamat siang, mau tanya cara urus KTP-el yang hilang. Saya tinggal di {place}.",
            "KTP saya hilang di jalan, apakah harus ada surat kehilangan dari polisi?",
        ),
        ("ktp elektronik",),
        reply="Cukup surat keterangan hilang dari Polsek dan fotokopi KK, datang ke Disdukcapil "
        "atau UPT kecamatan. Pencetakan selesai di hari yang sama bila blanko tersedia.",
        answer="Terima kasih. Untuk KTP-el yang hilang cukup membawa surat keterangan hilang dari "
        "kepolisian dan fotokopi KK ke kantor Disdukcapil Katingan di Kasongan.",
        library="Bagaimana mengurus KTP elektronik yang hilang?",
    ),
    Subject(
        "disdukcapil",
        K.QUESTION,
        (
            "Anak saya baru lahir di Puskesmas {place}, bagaimana cara mengurus akta kelahiran?",
            "Bikin akta kelahiran anak apakah bisa online? Kami jauh di {place}.",
        ),
        ("akta kelahiran",),
        reply="Akta kelahiran dapat diajukan daring melalui layanan Dukcapil atau di kantor "
        "desa yang sudah bekerja sama, dengan surat keterangan lahir, KK dan KTP orang tua.",
        answer="Akta kelahiran bisa diurus daring atau lewat kantor desa dengan surat "
        "keterangan lahir, KK dan KTP kedua orang tua. Tidak dipungut biaya.",
        library="Apa syarat mengurus akta kelahiran?",
    ),
    Subject(
        "disdukcapil",
        K.QUESTION,
        (
            "Saya pindah dari Palangka Raya ke {place}, bagaimana urus pindah KK-nya?",
            "Mau pecah KK setelah menikah, apa saja yang dibawa?",
            "Kartu keluarga saya salah tulis tanggal lahir, bagaimana perbaikannya?",
        ),
        ("kartu keluarga", "pindah datang"),
        reply="Untuk perubahan KK bawa KK lama, KTP-el dan dokumen pendukung (buku nikah, "
        "surat pindah). Layanan juga tersedia di UPT Disdukcapil kecamatan.",
        answer="Perubahan KK dilayani di Disdukcapil dan UPT kecamatan dengan membawa KK lama, "
        "KTP-el dan dokumen pendukungnya. Layanan gratis.",
        library="Bagaimana mengurus perubahan kartu keluarga?",
    ),
    Subject(
        "disdukcapil",
        K.CRITICISM,
        (
            "Sudah tiga minggu rekam KTP tapi belum dicetak, katanya blanko habis terus.",
            "Antrian di Disdukcapil panjang sekali, dari pagi sampai siang belum dipanggil.",
        ),
        ("ktp elektronik",),
        reply="Blanko KTP-el sudah datang minggu ini; pemohon yang sudah rekam dapat mengambil "
        "dengan membawa bukti rekam. Kami tambah satu loket pada hari Senin.",
        answer="Mohon maaf atas keterlambatannya. Blanko sudah tersedia kembali, silakan ambil "
        "KTP-el dengan membawa bukti perekaman.",
        library="Kapan KTP elektronik yang sudah direkam bisa diambil?",
    ),
    # Dinkes
    Subject(
        "dinkes",
        K.QUESTION,
        (
            "Jadwal imunisasi bayi di Puskesmas {place} hari apa saja?",
            "Anak saya belum imunisasi campak, masih bisa dikejar di puskesmas?",
            "Apakah imunisasi di posyandu {place} bulan ini tetap jalan?",
        ),
        ("imunisasi", "puskesmas", "posyandu"),
        reply="Imunisasi dasar dilayani setiap Selasa dan Kamis di semua puskesmas, dan saat "
        "posyandu bulanan. Imunisasi kejar masih bisa sampai usia 3 tahun.",
        answer="Imunisasi dasar ada setiap Selasa dan Kamis di puskesmas dan saat posyandu. "
        "Anak yang tertinggal masih bisa ikut imunisasi kejar. Bawa buku KIA ya.",
        library="Kapan jadwal imunisasi di puskesmas?",
    ),
    Subject(
        "dinkes",
        K.QUESTION,
        (
            "Di RT kami di {place} sudah tiga anak kena DBD, apakah bisa fogging?",
            "Banyak nyamuk setelah hujan, kapan ada pengasapan demam berdarah di {place}?",
        ),
        ("demam berdarah",),
        reply="Petugas puskesmas akan melakukan penyelidikan epidemiologi dalam 3 hari; fogging "
        "dilakukan bila memenuhi kriteria. Warga diminta 3M Plus.",
        answer="Terima kasih laporannya. Petugas puskesmas akan memeriksa lokasi dalam 3 hari. "
        "Sambil menunggu, mohon lakukan 3M Plus: menguras, menutup, mendaur ulang.",
        library="Bagaimana meminta fogging demam berdarah?",
    ),
    Subject(
        "dinkes",
        K.SUGGESTION,
        (
            "Saran, posyandu di {place} tolong ditambah timbangan, yang ada sudah rusak.",
            "Mohon kelas ibu hamil di puskesmas diadakan sore hari supaya ibu bekerja bisa ikut.",
        ),
        ("posyandu", "stunting"),
        reply="Usulan dicatat; pengadaan alat posyandu tahun ini lewat dana desa dan puskesmas.",
        answer="Terima kasih sarannya, sudah kami teruskan ke puskesmas dan pemerintah desa.",
        library="Bagaimana mengusulkan perbaikan sarana posyandu?",
    ),
    # RSUD Mas Amsyar
    Subject(
        "rsud-mas-amsyar",
        K.QUESTION,
        (
            "Dokter spesialis anak di RSUD Mas Amsyar praktik hari apa?",
            "Jadwal dokter penyakit dalam minggu ini ada? Kami dari {place} mau berobat.",
            "Apakah poli mata RSUD buka hari Sabtu?",
        ),
        ("jadwal dokter",),
        reply="Poli anak Senin-Kamis, poli penyakit dalam Senin-Jumat pukul 08.00-12.00. "
        "Poli mata Selasa dan Kamis. Sabtu hanya IGD.",
        answer="Jadwal poli spesialis RSUD Mas Amsyar: anak Senin-Kamis, penyakit dalam "
        "Senin-Jumat, mata Selasa dan Kamis, pukul 08.00-12.00.",
        library="Kapan jadwal dokter spesialis RSUD Mas Amsyar?",
        misdirected_to=("setda", "dinkes"),
    ),
    Subject(
        "rsud-mas-amsyar",
        K.CRITICISM,
        (
            "Antrian BPJS di RSUD lama sekali, orang tua saya menunggu dari jam 7 sampai jam 1.",
            "Petugas IGD kurang ramah waktu malam, mohon diperhatikan.",
            "Kamar mandi ruang rawat inap kelas 3 kotor dan air sering mati.",
        ),
        ("bpjs kesehatan", "igd", "rawat inap"),
        reply="Kami mohon maaf; mulai bulan ini pendaftaran BPJS dapat dilakukan lewat aplikasi "
        "antrean daring, dan kebersihan ruang rawat inap dicek dua kali sehari.",
        answer="Mohon maaf atas ketidaknyamanannya. RSUD kini membuka antrean daring dan "
        "menambah jadwal pembersihan ruang rawat inap.",
        library="Bagaimana cara daftar antrean BPJS di RSUD?",
        misdirected_to=("setda", "dinkes"),
    ),
    # Disdik
    Subject(
        "disdik",
        K.QUESTION,
        (
            "PPDB SMP tahun ini pakai zonasi? Rumah kami di {place}.",
            "Kapan pendaftaran PPDB SD dibuka, dan apa syaratnya?",
            "Anak saya pindahan dari Sampit, bisa masuk SD negeri di {place}?",
        ),
        ("ppdb", "sekolah dasar"),
        reply="PPDB dibuka bulan Juni; jalur zonasi, afirmasi, perpindahan tugas orang tua dan "
        "prestasi. Syarat: akta kelahiran, KK, dan rapor untuk SMP.",
        answer="PPDB dibuka bulan Juni dengan jalur zonasi, afirmasi, perpindahan dan prestasi. "
        "Siapkan akta kelahiran dan KK. Info lengkap di akun Dinas Pendidikan.",
        library="Kapan PPDB dibuka dan apa syaratnya?",
    ),
    Subject(
        "disdik",
        K.CRITICISM,
        (
            "Atap SD negeri di {place} bocor, anak-anak belajar sambil kehujanan.",
            "Guru honorer di sekolah kami belum terima gaji tiga bulan.",
        ),
        ("sekolah dasar", "guru", "dana bos"),
        reply="Rehabilitasi atap dijadwalkan dengan DAK tahun ini; honor guru dibayar setelah "
        "pencairan dana BOS tahap berikutnya.",
        answer="Terima kasih infonya. Perbaikan sudah dijadwalkan Dinas Pendidikan dan honor "
        "guru dibayarkan setelah dana BOS cair.",
        library="Bagaimana melaporkan sekolah yang rusak?",
    ),
    # Diskominfo
    Subject(
        "diskominfo",
        K.QUESTION,
        (
            "Internet desa di {place} sudah seminggu mati, ke mana kami melapor?",
            "Wifi gratis di taman kota Kasongan tidak bisa konek.",
            "Website pemerintah kabupaten tidak bisa dibuka dari HP.",
        ),
        ("internet desa", "website pemerintah"),
        reply="Gangguan perangkat internet desa sudah dilaporkan ke penyedia; teknisi dijadwalkan "
        "datang minggu ini. Situs kabupaten sudah pulih.",
        answer="Gangguannya sudah kami laporkan ke penyedia layanan dan teknisi dijadwalkan "
        "datang. Mohon maaf atas ketidaknyamanannya.",
        library="Ke mana melapor gangguan internet desa?",
        misdirected_to=("setda",),
    ),
    # Setda (Prokopim)
    Subject(
        "setda",
        K.COMMENT,
        (
            "Terima kasih Pak Bupati sudah meninjau jalan di {place}. Semoga cepat dibangun.",
            "Mantap, festival budaya kemarin ramai sekali. Tahun depan diadakan lagi ya.",
        ),
        ("kehumasan pemerintah kabupaten",),
        answer="Terima kasih atas dukungannya. Salam dari Pemerintah Kabupaten Katingan.",
        library="Ucapan terima kasih dan dukungan warga",
        misdirected_to=("diskominfo",),
    ),
    Subject(
        "setda",
        K.QUESTION,
        (
            "Apakah Pak Bupati hadir di acara adat di {place} minggu depan?",
            "Jadwal open house Bupati saat hari raya kapan?",
        ),
        ("agenda bupati", "protokol"),
        reply="Agenda Bupati diumumkan setiap Senin di akun resmi Pemkab Katingan.",
        answer="Agenda Bupati diumumkan setiap Senin di akun resmi Pemkab Katingan.",
        library="Di mana melihat agenda Bupati?",
        misdirected_to=("diskominfo",),
    ),
    # Agencies without demo officers: their forwardings stay open.
    Subject(
        "pupr",
        K.CRITICISM,
        (
            "Jalan poros {place} rusak parah, lubang besar, sudah ada yang jatuh dari motor.",
            "Jembatan kayu di {place} sudah lapuk, mohon segera diperbaiki sebelum ada korban.",
            "Drainase di Jalan Tjilik Riwut Kasongan tersumbat, tiap hujan jalan tergenang.",
        ),
        ("jalan rusak", "jembatan"),
        misdirected_to=("setda", "diskominfo"),
    ),
    Subject(
        "bpbd",
        K.QUESTION,
        (
            "Air Sungai Katingan naik terus di {place}, apakah ada posko banjir?",
            "Banjir sudah masuk rumah di {place}, ke mana minta bantuan perahu?",
            "Ada asap kebakaran lahan dekat {place}, mohon ditangani.",
        ),
        ("banjir", "kebakaran hutan dan lahan"),
        misdirected_to=("setda", "diskominfo"),
    ),
    Subject(
        "dinsos",
        K.QUESTION,
        (
            "Bansos PKH ibu saya tidak cair lagi sejak bulan lalu, kenapa ya?",
            "Bagaimana cara daftar DTKS supaya dapat bantuan sembako? Kami di {place}.",
        ),
        ("bansos", "dtks"),
        misdirected_to=("setda", "disdukcapil"),
    ),
)

# (account, text) of the spam that lands in the comments.
SPAM = (
    ("@slot.gacor.88", "Promo slot gacor maxwin hari ini!!! Klik link di bio"),
    ("@followers_murah_id", "Jual followers dan like murah, DM aja kak"),
    ("@dana.cepat.cair", "Pinjaman dana cepat cair tanpa jaminan, hubungi WA di profil"),
    ("@kerja_dari_rumah77", "Mau penghasilan 5 juta sehari dari rumah? Cek bio"),
)

# Re-routes: the receiving agency, the first holder, the agency it passes it on to, and
# a topic of the subject.
REROUTES = (
    ("setda", "dinkes", "rsud-mas-amsyar", "jadwal dokter"),
    ("diskominfo", "disdik", "dinkes", "imunisasi"),
    ("setda", "disdukcapil", "dinsos", "bansos"),
    ("setda", "dinkes", "rsud-mas-amsyar", "bpjs kesehatan"),
    ("diskominfo", "setda", "pupr", "jalan rusak"),
    ("setda", "disdik", "dinkes", "imunisasi"),
)


def _about(topic: str) -> Subject:
    return next(subject for subject in SUBJECTS if topic in subject.topics)


PEOPLE = (
    "Yulianus Ringkai",
    "Siti Rahmah",
    "Hendra Saputra",
    "Noor Aisyah",
    "Agustinus Tingang",
    "Maria Magdalena",
    "Fransiskus Nyahu",
    "Lilis Suryani",
    "Ahmad Fauzi",
    "Dewi Anggraini",
    "Rusdiansyah",
    "Nurhayati",
    "Eko Prasetyo",
    "Sri Wahyuni",
    "Markus Dandan",
    "Elisabeth Ambun",
    "Muhammad Ridwan",
    "Halimah",
    "Syahrani",
    "Baharudin",
    "Rina Marlina",
    "Kristina Nyai",
    "Yohanes Tingkes",
    "Santi Oktaviani",
    "Gusti Rahmat",
    "Hairul Anwar",
    "Desi Natalia",
    "Riduan Saleh",
    "Paulus Dahiang",
    "Wulan Sari",
)
HANDLES = (
    "@rina_ksg",
    "@anak.katingan",
    "@mamah_dinda",
    "@bang_jhoni_ksg",
    "@petani.katingan",
    "@ulin_tbgsamba",
    "@dayak_muda",
    "@ibu.posyandu",
    "@ojol_kasongan",
    "@nelayan_pegatan",
    "@guru.honor.ktg",
    "@mahasiswa_upr",
)


# --- The plan -------------------------------------------------------------------------------

WITH_OFFICERS = ("diskominfo", "dinkes", "disdukcapil", "setda", "disdik", "rsud-mas-amsyar")
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@dataclass
class Item:
    """One demo inquiry: where it is received, its path through the flow, and when."""

    n: int
    receiver: str
    subject: Subject | None  # None for spam
    text: str
    kind: str
    author: str
    contact: str
    path: tuple[str, ...]  # action codes after "record"
    holders: tuple[str, ...]  # agencies forwarded, then re-routed, to
    # Oldest first: received, recorded, then one moment per action of ``path``.
    times: tuple[datetime, ...]
    by_integration: bool
    use_library: bool
    pick: int  # chooses among an agency's channels and officers
    duplicate_of: int | None = None  # ``n`` of the original


def _hours(rng: random.Random, low: float, high: float) -> dt.timedelta:
    return dt.timedelta(minutes=round(rng.uniform(low, high) * 60))


def plan(now: datetime) -> list[Item]:
    """The demo inquiries: the same for the same ``now``, all of it before ``now``."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, reproducible on purpose
    items: list[Item] = []
    served = [s for s in SUBJECTS if s.authority in WITH_OFFICERS]
    unserved = [s for s in SUBJECTS if s.authority not in WITH_OFFICERS]

    def author() -> tuple[str, str]:
        if rng.random() < 0.3:
            return rng.choice(HANDLES), ""
        name = rng.choice(PEOPLE)
        roll = rng.random()
        if roll < 0.45:
            return name, f"0812-0000-{rng.randrange(10000):04d}"
        if roll < 0.55:
            return name, f"{name.split()[0].lower()}{rng.randrange(100)}@example.com"
        return name, ""

    def add(
        receiver: str,
        subject: Subject | None,
        path: tuple[str, ...],
        holders: tuple[str, ...] = (),
        *,
        last: datetime,
        delays: dict[str, tuple[float, float]] | None = None,
        text: str = "",
        author_and_contact: tuple[str, str] | None = None,
        duplicate_of: int | None = None,
    ) -> Item:
        """``last`` is the moment of the last action (of the recording when there is
        none); the earlier moments are laid out backwards by ``delays`` (hours, by action
        code, drawn between the bounds)."""
        bounds = {"record": (0.1, 3.0), **(delays or {})}
        moments = [last]
        for code in (*reversed(path), "record"):
            moments.append(moments[-1] - _hours(rng, *bounds.get(code, (0.5, 6.0))))
        name, contact = author_and_contact or author()
        if not text and subject is not None:
            text = rng.choice(subject.texts).format(place=rng.choice(PLACES))
        item = Item(
            n=len(items) + 1,
            receiver=receiver,
            subject=subject,
            text=text,
            kind=subject.kind if subject else K.COMMENT,
            author=name,
            contact=contact,
            path=path,
            holders=holders,
            times=tuple(reversed(moments)),
            by_integration=rng.random() < 0.15,
            use_library=rng.random() < 0.7,
            pick=rng.randrange(1000),
            duplicate_of=duplicate_of,
        )
        items.append(item)
        return item

    def ago(low_hours: float, high_hours: float) -> datetime:
        return now - _hours(rng, low_hours, high_hours)

    def misdirected(subject: Subject) -> str:
        return rng.choice(subject.misdirected_to)

    # How long the answered-but-open and the closed ones have been so (hours).
    replied_age, answered_age, closed_age = (2, 60), (24, 15 * 24), (24, 120 * 24)
    late_reply = {"reply": (25.0, 60.0)}
    on_time = {"reply": (1.0, 23.0), "answer_public": (0.5, 8.0), "close": (1.0, 72.0)}

    # Answered directly (angka 2), most of them closed since.
    for i in range(95):
        subject = rng.choice(served)
        if i < 25:
            add(subject.authority, subject, ("answer_directly",), last=ago(2, 20 * 24))
        else:
            path = ("answer_directly", "close")
            add(subject.authority, subject, path, last=ago(*closed_age), delays=on_time)

    # Forwarded to the agency with authority (angka 3-5): replied, answered, closed.
    full = ("forward", "reply", "answer_public", "close")
    for i in range(80):
        subject = rng.choice(served)
        length, age = (
            (2, replied_age) if i < 15 else (3, answered_age) if i < 35 else (4, closed_age)
        )
        delays = {**on_time, **(late_reply if rng.random() < 0.15 else {})}
        add(
            misdirected(subject),
            subject,
            full[:length],
            (subject.authority,),
            last=ago(*age),
            delays=delays,
        )

    # Forwarded and waiting: overdue (mostly at agencies with no demo officers), due
    # within a few hours, or just forwarded.
    for age, count in (((26, 14 * 24), 18), ((18, 23.5), 8), ((0.5, 10), 8)):
        for _ in range(count):
            pool = unserved if age[0] == 26 and rng.random() < 0.6 else served
            subject = rng.choice(pool)
            add(misdirected(subject), subject, ("forward",), (subject.authority,), last=ago(*age))

    # Re-routed once: the first holder says "not ours" and passes it on.
    for i in range(14):
        receiver, first, second, topic = REROUTES[i % len(REROUTES)]
        subject = _about(topic)
        if second in WITH_OFFICERS:
            length = 3 + i % 3
            age = (replied_age, answered_age, closed_age)[i % 3]
        else:
            length, age = 2, (2, 6 * 24)
        path = ("forward", "reroute", "reply", "answer_public", "close")[:length]
        add(receiver, subject, path, (first, second), last=ago(*age), delays=on_time)

    # Recorded in the last three days, not handled yet.
    for _ in range(28):
        subject = rng.choice(SUBJECTS)
        own = subject.authority in WITH_OFFICERS and rng.random() < 0.6
        receiver = subject.authority if own else misdirected(subject)
        add(receiver, subject, (), last=ago(0.2, 72))

    # Spam, dismissed.
    for _ in range(16):
        receiver = rng.choice(WITH_OFFICERS)
        account, text = rng.choice(SPAM)
        path = ("dismiss",)
        add(
            receiver,
            None,
            path,
            last=ago(12, 100 * 24),
            text=text,
            author_and_contact=(account, ""),
        )

    # Duplicates: the same person asks again, a few hours or days after the first time.
    originals = [
        item for item in items if item.subject is not None and item.times[0] < now - 4 * DAY
    ]
    for i in range(12):
        original = rng.choice(originals)
        path = ("forward", "dismiss") if i % 3 == 0 and original.holders else ("dismiss",)
        asked_again = original.times[0] + _hours(rng, 2, 72)
        add(
            original.receiver,
            original.subject,
            path,
            original.holders[:1] if len(path) == 2 else (),
            last=min(asked_again + _hours(rng, 3, 20), now - HOUR),
            text=original.text,
            author_and_contact=(original.author, original.contact),
            duplicate_of=original.n,
        )
    return items


# --- The library ----------------------------------------------------------------------------


def _library_answers(agencies: dict[str, Agency]) -> list[tuple[Agency, Subject]]:
    return [
        (agencies[subject.authority], subject)
        for subject in SUBJECTS
        if subject.library and subject.authority in agencies
    ]


# --- Writing it -----------------------------------------------------------------------------


class _Skip(Exception):
    """The agency, account or officer this item needs is missing locally."""


def seed(*, now: datetime) -> dict[str, int]:
    """Create the demo inquiries and library answers that do not exist yet.

    Returns how many inquiries, forwardings and library answers were created.
    """
    created = {"inquiries": 0, "forwardings": 0, "library answers": 0}
    agencies = {agency.slug: agency for agency in Agency.objects.all()}
    if not agencies:
        return created
    channels: dict[int, list[OfficialAccount]] = {}
    for channel in OfficialAccount.objects.order_by("pk"):
        channels.setdefault(channel.agency_id, []).append(channel)
    officers: dict[int, list[User]] = {}
    agency_roles = {Role.PETUGAS, Role.PEJABAT}
    for user in (
        User.objects.filter(is_active=True, agency__isnull=False)
        .prefetch_related("groups")
        .order_by("username")
    ):
        if user.roles & agency_roles:
            officers.setdefault(user.agency_id, []).append(user)

    with transaction.atomic():
        answers = _seed_library(agencies, officers, now, created)
        forwardings_before = Forwarding.objects.count()
        recorded: dict[int, Inquiry] = {}
        existing = {
            (inquiry.agency_id, inquiry.idempotency_key): inquiry
            for inquiry in Inquiry.objects.filter(idempotency_key__startswith=KEY_PREFIX)
        }
        for item in plan(now):
            agency = agencies.get(item.receiver)
            if agency is None:
                continue
            key = f"{KEY_PREFIX}{item.n}"
            if (agency.pk, key) in existing:
                recorded[item.n] = existing[agency.pk, key]
                continue
            try:
                with transaction.atomic():
                    recorded[item.n] = _write(
                        item, agency, key, agencies, channels, officers, answers, recorded
                    )
            except _Skip:
                continue
            created["inquiries"] += 1
        created["forwardings"] = Forwarding.objects.count() - forwardings_before
    return created


def _seed_library(
    agencies: dict[str, Agency],
    officers: dict[int, list[User]],
    now: datetime,
    created: dict[str, int],
) -> dict[str, Answer]:
    """One approved answer per subject with a library question; keyed by the question."""
    answers = {}
    for agency, subject in _library_answers(agencies):
        people = officers.get(agency.pk, [])
        approver = next((u for u in people if Role.PEJABAT in u.roles), None)
        writer = next((u for u in people if Role.PETUGAS in u.roles), approver)
        answer, was_created = Answer.objects.get_or_create(
            agency=agency,
            question=subject.library,
            defaults={
                "topic": subject.topics[0],
                "text": subject.answer,
                "is_approved": True,
                "approved_by": approver,
                "approved_at": now - 150 * DAY,
                "created_by": writer,
                "created_at": now - 152 * DAY,
            },
        )
        answers[subject.library] = answer
        created["library answers"] += was_created
    return answers


def _write(
    item: Item,
    agency: Agency,
    key: str,
    agencies: dict[str, Agency],
    channels: dict[int, list[OfficialAccount]],
    officers: dict[int, list[User]],
    answers: dict[str, Answer],
    recorded: dict[int, Inquiry],
) -> Inquiry:
    def officer_of(slug: str) -> User:
        target = agencies.get(slug)
        people = officers.get(target.pk, []) if target else []
        if not people:
            raise _Skip
        return people[item.pick % len(people)]

    def agency_of(slug: str) -> Agency:
        if slug not in agencies:
            raise _Skip
        return agencies[slug]

    own = channels.get(agency.pk)
    if not own:
        raise _Skip
    receiver = officer_of(item.receiver)
    received_at, recorded_at, *step_times = item.times

    inquiry, _created = flow.inquiry_record(
        agency=agency,
        channel=own[item.pick % len(own)],
        kind=item.kind,
        author_name=item.author,
        author_contact=item.contact,
        text=item.text,
        received_at=received_at,
        by=None if item.by_integration else receiver,
        now=recorded_at,
        topics=list(item.subject.topics) if item.subject else [],
        idempotency_key=key,
    )
    subject = item.subject
    holder_index = -1

    def forward(at):
        nonlocal holder_index
        holder_index = 0
        flow.inquiry_forward(
            inquiry=inquiry,
            to_agency=agency_of(item.holders[0]),
            by=receiver,
            now=at,
            note="Mohon jawaban sesuai kewenangan, terima kasih.",
        )

    def reroute(at):
        nonlocal holder_index
        by = officer_of(item.holders[holder_index])
        holder_index += 1
        flow.forwarding_reroute(
            inquiry=inquiry,
            to_agency=agency_of(item.holders[holder_index]),
            by=by,
            now=at,
            note="Bukan kewenangan kami; kami teruskan ke instansi yang menangani.",
        )

    def reply(at):
        flow.forwarding_reply(
            inquiry=inquiry,
            by=officer_of(item.holders[holder_index]),
            reply_text=subject.reply or subject.answer,
            now=at,
        )

    def answer_directly(at):
        library = answers.get(subject.library) if item.use_library else None
        flow.inquiry_answer_directly(
            inquiry=inquiry,
            by=receiver,
            answer_text=library.text if library else subject.answer,
            now=at,
            library_answer=library,
        )

    def dismiss(at):
        original = recorded.get(item.duplicate_of) if item.duplicate_of else None
        if item.duplicate_of and original is None:
            raise _Skip
        flow.inquiry_dismiss(
            inquiry=inquiry,
            by=receiver,
            reason=DismissReason.DUPLICATE if original else DismissReason.SPAM,
            note="Pertanyaan yang sama dari akun yang sama." if original else "Promosi/iklan.",
            now=at,
            duplicate_of=original,
        )

    steps: dict[str, Callable[[datetime], object]] = {
        "forward": forward,
        "reroute": reroute,
        "reply": reply,
        "answer_public": lambda at: flow.inquiry_answer_public(
            inquiry=inquiry, by=receiver, answer_text=subject.answer, now=at
        ),
        "answer_directly": answer_directly,
        "close": lambda at: flow.inquiry_close(inquiry=inquiry, by=receiver, now=at),
        "dismiss": dismiss,
    }
    for code, at in zip(item.path, step_times, strict=True):
        steps[code](at)
    return inquiry
