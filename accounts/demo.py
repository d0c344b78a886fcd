"""Demo data: the real agencies of Kabupaten Katingan, demo users for every role and a
registry (decrees, official accounts, appointments, SOPs) in several states.

Used by ``manage.py seed_demo``. The passwords are for demonstration only and are
printed by ``make run``; a production database is never seeded. The accounts,
numbers and people are illustrative, not the agencies' real ones.

The registry shows every state the compliance page knows, on any run date:

* Diskominfo, Setda: fully compliant.
* Dinkes: compliant, but its decree expires 20 days after the seed ran, so the
  30-day reminder is due.
* Disdukcapil: no SOP (Pasal 11).
* Disdik: its only decree expired at the end of 2024 and was not renewed.
* RSUD: no pejabat, and its petugas has not acknowledged the ethics yet (this one
  demo login shows the ethics page first).
"""

import datetime as dt
from base64 import b32encode
from dataclasses import dataclass

from django.utils.html import format_html

from .models import AccountType, AgencyKind, AppointmentRole, Platform
from .roles import Role

DEMO_PASSWORD = "katingan-demo-2026"  # noqa: S105 - demo-only, documented in README
# Demo evaluators and administrators sign in with a second factor (accounts.twofactor).
# The seed gives each an authenticator with this one documented key, so whoever tries the
# demo adds it to an app once (or runs `oathtool --totp -b KEY`) instead of each tester
# enrolling a phone of their own on a shared demo.
DEMO_TOTP_KEY_HEX = b"katingan-demo-totp26".hex()
DEMO_TOTP_SECRET = b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()

# (name, short name, slug); Diskominfo is the Dinas of Pasal 1 angka 5.
DINAS = (
    "Dinas Komunikasi, Informatika, Persandian dan Statistik",
    "Diskominfo",
    "diskominfo",
)
AGENCIES: list[tuple[str, str, str]] = [
    DINAS,
    ("Sekretariat Daerah", "Setda", "setda"),
    ("Sekretariat DPRD", "Setwan", "setwan"),
    ("Inspektorat Daerah", "Inspektorat", "inspektorat"),
    (
        "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
        "Bappedalitbang",
        "bappedalitbang",
    ),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", "bpkad"),
    ("Badan Pendapatan Daerah", "Bapenda", "bapenda"),
    (
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "BKPSDM",
        "bkpsdm",
    ),
    ("Badan Penanggulangan Bencana Daerah", "BPBD", "bpbd"),
    ("Badan Kesatuan Bangsa dan Politik", "Kesbangpol", "kesbangpol"),
    ("Dinas Pendidikan", "Disdik", "disdik"),
    ("Dinas Kesehatan", "Dinkes", "dinkes"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR", "pupr"),
    ("Dinas Sosial", "Dinsos", "dinsos"),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", "disdukcapil"),
    ("Dinas Pemberdayaan Masyarakat dan Desa", "DPMD", "dpmd"),
    ("Dinas Perhubungan", "Dishub", "dishub"),
    ("Dinas Lingkungan Hidup", "DLH", "dlh"),
    (
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "DPMPTSP",
        "dpmptsp",
    ),
    ("Dinas Pertanian", "Distan", "distan"),
    ("Dinas Perikanan", "Diskan", "diskan"),
    ("Dinas Perpustakaan dan Kearsipan", "Dispusip", "dispusip"),
    ("Satuan Polisi Pamong Praja", "Satpol PP", "satpolpp"),
    ("Rumah Sakit Umum Daerah Mas Amsyar Kasongan", "RSUD Mas Amsyar", "rsud-mas-amsyar"),
    ("Kecamatan Katingan Hilir", "Kec. Katingan Hilir", "kec-katingan-hilir"),
    ("Kecamatan Tasik Payawan", "Kec. Tasik Payawan", "kec-tasik-payawan"),
    ("Kecamatan Katingan Kuala", "Kec. Katingan Kuala", "kec-katingan-kuala"),
    ("Kecamatan Mendawai", "Kec. Mendawai", "kec-mendawai"),
    ("Kecamatan Katingan Hulu", "Kec. Katingan Hulu", "kec-katingan-hulu"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: Role
    agency_slug: str | None
    nip: str = ""


DEMO_USERS: list[DemoUser] = [
    DemoUser("admin", "Administrator Portal", Role.ADMINISTRATOR, "diskominfo"),
    DemoUser(
        "evaluator", "Rina Handayani, S.Kom.", Role.EVALUATOR, "diskominfo", "198703152010012003"
    ),
    DemoUser("pimpinan", "Bagian Protokol dan Komunikasi Pimpinan", Role.PIMPINAN, None),
    DemoUser(
        "pejabat.dinkes", "dr. Yusuf Rahman, M.Kes.", Role.PEJABAT, "dinkes", "197905212005011004"
    ),
    DemoUser(
        "petugas.dinkes", "Sari Wulandari, A.Md.", Role.PETUGAS, "dinkes", "199208172019032011"
    ),
    DemoUser(
        "petugas.disdukcapil",
        "Andreas Simanjuntak, S.IP.",
        Role.PETUGAS,
        "disdukcapil",
        "199011042015031002",
    ),
    DemoUser(
        "pejabat.disdukcapil",
        "Hj. Nurul Aini, S.Sos., M.Si.",
        Role.PEJABAT,
        "disdukcapil",
        "198012302006042008",
    ),
    DemoUser(
        "petugas.diskominfo",
        "Dimas Pratama, S.Kom.",
        Role.PETUGAS,
        "diskominfo",
        "199505122020121003",
    ),
    DemoUser(
        "pejabat.diskominfo",
        "Ir. Hendra Kusuma, M.T.",
        Role.PEJABAT,
        "diskominfo",
        "197602142002121005",
    ),
    DemoUser("petugas.setda", "Maria Ulfa, S.I.Kom.", Role.PETUGAS, "setda", "199407232019022004"),
    DemoUser(
        "pejabat.setda", "Drs. Markus Lambung, M.Si.", Role.PEJABAT, "setda", "197310101998031007"
    ),
    DemoUser("petugas.disdik", "Yohanes Ardi, S.Pd.", Role.PETUGAS, "disdik", "199103052014031006"),
    DemoUser(
        "petugas.rsud",
        "Ns. Fitri Ramadhani, S.Kep.",
        Role.PETUGAS,
        "rsud-mas-amsyar",
        "199612012022032009",
    ),
]

# Set only when the seed creates an agency; an existing agency is left as it is.
AGENCY_KINDS: dict[str, AgencyKind] = {
    "setda": AgencyKind.SEKRETARIAT,
    "setwan": AgencyKind.SEKRETARIAT,
    "inspektorat": AgencyKind.INSPEKTORAT,
    "bappedalitbang": AgencyKind.BADAN,
    "bpkad": AgencyKind.BADAN,
    "bapenda": AgencyKind.BADAN,
    "bkpsdm": AgencyKind.BADAN,
    "bpbd": AgencyKind.BADAN,
    "kesbangpol": AgencyKind.BADAN,
    "satpolpp": AgencyKind.SATUAN,
    "rsud-mas-amsyar": AgencyKind.RSUD,
    "kec-katingan-hilir": AgencyKind.KECAMATAN,
    "kec-tasik-payawan": AgencyKind.KECAMATAN,
    "kec-katingan-kuala": AgencyKind.KECAMATAN,
    "kec-mendawai": AgencyKind.KECAMATAN,
    "kec-katingan-hulu": AgencyKind.KECAMATAN,
}
AUTHORITY_TOPICS: dict[str, list[str]] = {
    "diskominfo": ["internet desa", "website pemerintah", "statistik sektoral", "persandian"],
    "dinkes": ["puskesmas", "imunisasi", "stunting", "demam berdarah", "posyandu"],
    "disdukcapil": ["ktp elektronik", "kartu keluarga", "akta kelahiran", "kia", "pindah datang"],
    "disdik": ["ppdb", "dana bos", "sekolah dasar", "beasiswa", "guru"],
    "rsud-mas-amsyar": ["rawat inap", "igd", "jadwal dokter", "bpjs kesehatan", "rujukan"],
    "setda": ["agenda bupati", "protokol", "kehumasan pemerintah kabupaten"],
}


# --- The registry -----------------------------------------------------------------

_DECREE_TITLE = "Penunjukan Akun Resmi dan Pengelola Media Sosial"


@dataclass(frozen=True)
class DemoDecree:
    """A Keputusan Kepala Instansi; identified by (agency, number)."""

    agency_slug: str
    number: str
    title: str
    signed_on: dt.date
    valid_from: dt.date
    valid_until: dt.date | None = None
    # When set, the decree ends this many days after the run date (valid_until ignored).
    expires_in_days: int | None = None

    def until(self, today: dt.date) -> dt.date | None:
        if self.expires_in_days is not None:
            return today + dt.timedelta(days=self.expires_in_days)
        return self.valid_until


DECREES: list[DemoDecree] = [
    DemoDecree(
        "diskominfo",
        "800/112/DISKOMINFO/2025",
        f"{_DECREE_TITLE} Dinas Komunikasi, Informatika, Persandian dan Statistik",
        dt.date(2025, 2, 3),
        dt.date(2025, 2, 3),
    ),
    DemoDecree(
        "dinkes",
        "800/045/DINKES/2025",
        f"{_DECREE_TITLE} Dinas Kesehatan",
        dt.date(2025, 1, 6),
        dt.date(2025, 1, 6),
        expires_in_days=20,
    ),
    DemoDecree(
        "disdukcapil",
        "800/027/DISDUKCAPIL/2025",
        f"{_DECREE_TITLE} Dinas Kependudukan dan Pencatatan Sipil",
        dt.date(2025, 3, 10),
        dt.date(2025, 3, 10),
    ),
    DemoDecree(
        "setda",
        "000.1.2/015/PROKOPIM/2025",
        f"{_DECREE_TITLE} Pemerintah Kabupaten Katingan pada Sekretariat Daerah",
        dt.date(2025, 1, 13),
        dt.date(2025, 1, 13),
    ),
    DemoDecree(
        "disdik",
        "800/210/DISDIK/2023",
        f"{_DECREE_TITLE} Dinas Pendidikan",
        dt.date(2023, 1, 9),
        dt.date(2023, 1, 9),
        valid_until=dt.date(2024, 12, 31),
    ),
    DemoDecree(
        "rsud-mas-amsyar",
        "800/033/RSUD-MA/2025",
        f"{_DECREE_TITLE} Rumah Sakit Umum Daerah Mas Amsyar Kasongan",
        dt.date(2025, 4, 14),
        dt.date(2025, 4, 14),
    ),
]


@dataclass(frozen=True)
class DemoAccount:
    """An official account, designated by the decree numbered ``decree_number``."""

    agency_slug: str
    decree_number: str
    account_type: AccountType
    platform: Platform
    handle: str
    url: str
    target_audience: str


_YOUNG = "Warga Katingan usia 17–35 tahun, pengguna ponsel pintar, aktif di malam hari."
_FAMILIES = "Orang tua dan keluarga muda di Kasongan dan kecamatan, pengguna ponsel pintar."
_GENERAL = "Seluruh warga Kabupaten Katingan dan perantau yang mengikuti berita daerah."
_PRESS = "Wartawan, akademisi dan pembaca berita daring yang mencari informasi lengkap."

ACCOUNTS: list[DemoAccount] = [
    # Diskominfo
    DemoAccount(
        "diskominfo",
        "800/112/DISKOMINFO/2025",
        AccountType.MEDIA_SHARING,
        Platform.INSTAGRAM,
        "@diskominfo.katingan",
        "https://www.instagram.com/diskominfo.katingan/",
        _YOUNG,
    ),
    DemoAccount(
        "diskominfo",
        "800/112/DISKOMINFO/2025",
        AccountType.MEDIA_SHARING,
        Platform.FACEBOOK,
        "diskominfo.katingan",
        "https://www.facebook.com/diskominfo.katingan",
        _GENERAL,
    ),
    DemoAccount(
        "diskominfo",
        "800/112/DISKOMINFO/2025",
        AccountType.BLOG,
        Platform.WEBSITE_BLOG,
        "Berita Diskominfo",
        "https://diskominfo.katingankab.go.id/berita",
        _PRESS,
    ),
    # Dinkes
    DemoAccount(
        "dinkes",
        "800/045/DINKES/2025",
        AccountType.MEDIA_SHARING,
        Platform.INSTAGRAM,
        "@dinkes.katingan",
        "https://www.instagram.com/dinkes.katingan/",
        _FAMILIES,
    ),
    DemoAccount(
        "dinkes",
        "800/045/DINKES/2025",
        AccountType.MEDIA_SHARING,
        Platform.FACEBOOK,
        "dinkes.katingan",
        "https://www.facebook.com/dinkes.katingan",
        _FAMILIES,
    ),
    DemoAccount(
        "dinkes",
        "800/045/DINKES/2025",
        AccountType.MEDIA_SHARING,
        Platform.YOUTUBE,
        "@dinkeskatingan",
        "https://www.youtube.com/@dinkeskatingan",
        "Kader posyandu dan tenaga kesehatan yang memakai video penyuluhan.",
    ),
    DemoAccount(
        "dinkes",
        "800/045/DINKES/2025",
        AccountType.MICROBLOG,
        Platform.X,
        "@dinkes_katingan",
        "https://x.com/dinkes_katingan",
        _PRESS,
    ),
    DemoAccount(
        "dinkes",
        "800/045/DINKES/2025",
        AccountType.BLOG,
        Platform.WEBSITE_BLOG,
        "Artikel Kesehatan Dinkes",
        "https://dinkes.katingankab.go.id/artikel",
        _FAMILIES,
    ),
    # Disdukcapil
    DemoAccount(
        "disdukcapil",
        "800/027/DISDUKCAPIL/2025",
        AccountType.MEDIA_SHARING,
        Platform.INSTAGRAM,
        "@disdukcapil.katingan",
        "https://www.instagram.com/disdukcapil.katingan/",
        _YOUNG,
    ),
    DemoAccount(
        "disdukcapil",
        "800/027/DISDUKCAPIL/2025",
        AccountType.MEDIA_SHARING,
        Platform.FACEBOOK,
        "disdukcapil.katingan",
        "https://www.facebook.com/disdukcapil.katingan",
        _GENERAL,
    ),
    DemoAccount(
        "disdukcapil",
        "800/027/DISDUKCAPIL/2025",
        AccountType.MEDIA_SHARING,
        Platform.TIKTOK,
        "@disdukcapilkatingan",
        "https://www.tiktok.com/@disdukcapilkatingan",
        _YOUNG,
    ),
    DemoAccount(
        "disdukcapil",
        "800/027/DISDUKCAPIL/2025",
        AccountType.MICROBLOG,
        Platform.X,
        "@dukcapil_katingan",
        "https://x.com/dukcapil_katingan",
        _PRESS,
    ),
    # Setda (Bagian Protokol dan Komunikasi Pimpinan): the regency's own accounts.
    DemoAccount(
        "setda",
        "000.1.2/015/PROKOPIM/2025",
        AccountType.MEDIA_SHARING,
        Platform.INSTAGRAM,
        "@pemkab.katingan",
        "https://www.instagram.com/pemkab.katingan/",
        _GENERAL,
    ),
    DemoAccount(
        "setda",
        "000.1.2/015/PROKOPIM/2025",
        AccountType.MEDIA_SHARING,
        Platform.FACEBOOK,
        "pemkab.katingan",
        "https://www.facebook.com/pemkab.katingan",
        _GENERAL,
    ),
    DemoAccount(
        "setda",
        "000.1.2/015/PROKOPIM/2025",
        AccountType.MEDIA_SHARING,
        Platform.YOUTUBE,
        "@pemkabkatingan",
        "https://www.youtube.com/@pemkabkatingan",
        _GENERAL,
    ),
    DemoAccount(
        "setda",
        "000.1.2/015/PROKOPIM/2025",
        AccountType.MICROBLOG,
        Platform.X,
        "@pemkab_katingan",
        "https://x.com/pemkab_katingan",
        _PRESS,
    ),
    DemoAccount(
        "setda",
        "000.1.2/015/PROKOPIM/2025",
        AccountType.BLOG,
        Platform.WEBSITE_BLOG,
        "Berita Katingan",
        "https://katingankab.go.id/berita",
        _PRESS,
    ),
    # Disdik: designated by a decree that has expired.
    DemoAccount(
        "disdik",
        "800/210/DISDIK/2023",
        AccountType.MEDIA_SHARING,
        Platform.INSTAGRAM,
        "@disdik.katingan",
        "https://www.instagram.com/disdik.katingan/",
        "Siswa, orang tua murid dan guru di seluruh kecamatan.",
    ),
    DemoAccount(
        "disdik",
        "800/210/DISDIK/2023",
        AccountType.MEDIA_SHARING,
        Platform.FACEBOOK,
        "disdik.katingan",
        "https://www.facebook.com/disdik.katingan",
        "Orang tua murid dan guru, termasuk di desa dengan sinyal terbatas.",
    ),
    # RSUD
    DemoAccount(
        "rsud-mas-amsyar",
        "800/033/RSUD-MA/2025",
        AccountType.MEDIA_SHARING,
        Platform.INSTAGRAM,
        "@rsud.masamsyar",
        "https://www.instagram.com/rsud.masamsyar/",
        "Pasien dan keluarga pasien yang mencari jadwal dokter dan informasi layanan.",
    ),
    DemoAccount(
        "rsud-mas-amsyar",
        "800/033/RSUD-MA/2025",
        AccountType.REVIEW,
        Platform.GOOGLE_MAPS,
        "RSUD Mas Amsyar Kasongan",
        "https://maps.google.com/?cid=0",
        "Pengunjung yang menilai layanan rumah sakit dan menunggu tanggapan.",
    ),
]


@dataclass(frozen=True)
class DemoAppointment:
    """A demo user appointed by a decree, from the decree's first day."""

    username: str
    role: AppointmentRole
    agency_slug: str
    decree_number: str
    ethics_acknowledged: bool = True


APPOINTMENTS: list[DemoAppointment] = [
    DemoAppointment(
        "pejabat.diskominfo", AppointmentRole.PEJABAT, "diskominfo", "800/112/DISKOMINFO/2025"
    ),
    DemoAppointment(
        "petugas.diskominfo", AppointmentRole.PETUGAS, "diskominfo", "800/112/DISKOMINFO/2025"
    ),
    DemoAppointment("pejabat.dinkes", AppointmentRole.PEJABAT, "dinkes", "800/045/DINKES/2025"),
    DemoAppointment("petugas.dinkes", AppointmentRole.PETUGAS, "dinkes", "800/045/DINKES/2025"),
    DemoAppointment(
        "pejabat.disdukcapil", AppointmentRole.PEJABAT, "disdukcapil", "800/027/DISDUKCAPIL/2025"
    ),
    DemoAppointment(
        "petugas.disdukcapil", AppointmentRole.PETUGAS, "disdukcapil", "800/027/DISDUKCAPIL/2025"
    ),
    DemoAppointment("pejabat.setda", AppointmentRole.PEJABAT, "setda", "000.1.2/015/PROKOPIM/2025"),
    DemoAppointment("petugas.setda", AppointmentRole.PETUGAS, "setda", "000.1.2/015/PROKOPIM/2025"),
    DemoAppointment("petugas.disdik", AppointmentRole.PETUGAS, "disdik", "800/210/DISDIK/2023"),
    # The one demo login that has not acknowledged the ethics of Pasal 12-13 yet.
    DemoAppointment(
        "petugas.rsud",
        AppointmentRole.PETUGAS,
        "rsud-mas-amsyar",
        "800/033/RSUD-MA/2025",
        ethics_acknowledged=False,
    ),
]


@dataclass(frozen=True)
class DemoSop:
    """An SOP of Pasal 11; identified by (agency, title)."""

    agency_slug: str
    title: str
    effective_from: dt.date


# Disdukcapil has none on purpose.
SOPS: list[DemoSop] = [
    DemoSop(
        "diskominfo",
        "SOP Pelayanan Informasi melalui Media Sosial Diskominfo",
        dt.date(2025, 2, 10),
    ),
    DemoSop(
        "dinkes",
        "SOP Layanan Informasi Publik melalui Media Sosial Dinas Kesehatan",
        dt.date(2025, 1, 20),
    ),
    DemoSop(
        "setda",
        "SOP Pengelolaan Media Sosial Pemerintah Kabupaten Katingan",
        dt.date(2025, 1, 20),
    ),
    DemoSop(
        "disdik",
        "SOP Layanan Informasi melalui Media Sosial Dinas Pendidikan",
        dt.date(2023, 2, 1),
    ),
    DemoSop(
        "rsud-mas-amsyar",
        "SOP Penanganan Pertanyaan dan Keluhan melalui Media Sosial RSUD Mas Amsyar",
        dt.date(2025, 5, 2),
    ),
]


def decree_heading(agency_slug: str, agency_name: str) -> str:
    """Whose decree it is: the head of the agency (Keputusan Kepala Instansi)."""
    special = {
        "setda": "Keputusan Sekretaris Daerah Kabupaten Katingan",
        "rsud-mas-amsyar": f"Keputusan Direktur {agency_name}",
    }
    return special.get(agency_slug, f"Keputusan Kepala {agency_name}")


def document_pdf(*, agency_name: str, heading: str, title: str, number: str = "") -> bytes:
    """A one-page PDF standing in for a signed scan, marked as demo material."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    html = format_html(
        """<!doctype html><html lang="id"><head><meta charset="utf-8"><style>
        @page {{ size: A4; margin: 25mm; }}
        body {{ font-family: sans-serif; font-size: 11pt; }}
        .kop {{ text-align: center; border-bottom: 2px solid #000; padding-bottom: 6pt; }}
        h1 {{ font-size: 13pt; text-align: center; margin-top: 18pt; }}
        p.center {{ text-align: center; }}
        .demo {{ margin-top: 40pt; color: #a00; text-align: center; font-weight: bold; }}
        </style></head><body>
        <div class="kop"><strong>PEMERINTAH KABUPATEN KATINGAN</strong><br>{}</div>
        <h1>{}</h1>
        {}
        <p class="center"><strong>{}</strong></p>
        <p>Berdasarkan Peraturan Bupati Katingan Nomor 55 Tahun 2022 tentang Pedoman
        Pemanfaatan Media Sosial di Lingkungan Pemerintah Kabupaten Katingan.</p>
        <p class="demo">DOKUMEN CONTOH UNTUK DEMO PORTAL &mdash; BUKAN DOKUMEN RESMI</p>
        </body></html>""",
        agency_name.upper(),
        heading.upper(),
        format_html('<p class="center">NOMOR {}</p><p class="center">TENTANG</p>', number)
        if number
        else "",
        title.upper(),
    )
    # Self-contained: no protocol is allowed, so nothing is ever fetched.
    fetcher = URLFetcher(allowed_protocols=())
    return weasyprint.HTML(string=str(html), url_fetcher=fetcher).write_pdf()


def seed(*, now: dt.datetime) -> dict[str, int]:
    """The accounts part of ``manage.py seed_demo``: agencies, users and the registry."""
    from .services import demo_seed  # services imports this module

    return demo_seed(now=now)
