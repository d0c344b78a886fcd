"""Demo data: the real agencies of Kabupaten Katingan and one demo user per role.

Used by ``manage.py seed_demo``. The passwords are for demonstration only and are
printed by ``make run``; a production database is never seeded.
"""

from dataclasses import dataclass

from .roles import Role

DEMO_PASSWORD = "katingan-demo-2026"  # noqa: S105 - demo-only, documented in README

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
]
