"""Perbup Katingan 55/2022 mapped to the portal: the one source of the traceability.

Each :class:`Provision` names the features that carry it out (URL names, models as
``app_label.Model``, Celery task names) and the tests that prove it (pytest node ids,
without parameters). A provision that needs no software says why in ``no_software``.
``obligations`` marks the provisions that require something of the agencies or of
Diskominfo; each of them must be proven by a test that goes through a view or a task
(``regulation.checks``). The page ``/regulasi/`` and ``docs/traceability.md`` are drawn
from this list, and ``regulation/tests/test_traceability.py`` keeps it true.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Provision:
    key: str
    title: str
    chapter: str
    summary: str
    urls: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    tests: tuple[str, ...] = ()
    obligations: bool = False
    no_software: str = ""

    @property
    def anchor(self) -> str:
        return self.key


BAB_I = "BAB I Ketentuan Umum"
BAB_II = "BAB II Asas dan Prinsip"
BAB_III = "BAB III Maksud dan Tujuan"
BAB_IV = "BAB IV Manfaat dan Sasaran"
BAB_V = "BAB V Pengelolaan Media Sosial"
BAB_VI = "BAB VI Sarana dan Prasarana"
BAB_VII = "BAB VII Laporan dan Evaluasi"
BAB_VIII = "BAB VIII Pendanaan"
BAB_IX = "BAB IX Ketentuan Penutup"
LAMPIRAN = "Lampiran"

REGISTRY_VIEWS = "accounts/tests/test_registry_views.py"
INQUIRY_VIEWS = "inquiries/tests/test_views.py"
POST_VIEWS = "publications/tests/test_views.py"
REPORT_VIEWS = "reports/tests/test_views.py"

PROVISIONS: tuple[Provision, ...] = (
    Provision(
        key="pasal-1",
        title="Pasal 1",
        chapter=BAB_I,
        summary=(
            "Definisi: Daerah, Bupati, Perangkat Daerah, Dinas (Diskominfo), pejabat dan "
            "petugas media sosial, khalayak, media sosial, informasi, akun."
        ),
        urls=("accounts:agency_list",),
        models=("accounts.Agency", "accounts.User", "accounts.OfficialAccount"),
        tests=(
            "accounts/tests/test_access.py::test_single_dinas_is_enforced_by_the_database",
            "accounts/tests/test_access.py::test_scope_of_each_role",
        ),
    ),
    Provision(
        key="pasal-2",
        title="Pasal 2",
        chapter=BAB_II,
        summary=(
            "Asas: faktual; keikutsertaan dan keterlibatan khalayak; dapat diakses dengan "
            "mudah oleh siapa saja, kapan saja, di mana saja."
        ),
        urls=("tracking:form", "tracking:detail"),
        tests=(
            "inquiries/tests/test_tracking.py::test_anyone_sees_the_status_without_signing_in",
            "inquiries/tests/test_tracking.py::test_the_whole_way_shows_steps_and_answer_but_no_person",
        ),
    ),
    Provision(
        key="pasal-3",
        title="Pasal 3",
        chapter=BAB_II,
        summary=(
            "Prinsip: kredibel, integritas, profesional, responsif (menanggapi masukan dengan "
            "cepat dan tepat), terintegrasi, keterwakilan."
        ),
        urls=("accounts:ethics", "inquiries:deadline_board"),
        tasks=("inquiries.sweep_deadlines",),
        tests=(
            f"{REGISTRY_VIEWS}::test_an_appointee_is_sent_to_the_ethics_page_until_acknowledged",
            "inquiries/tests/test_deadlines.py::test_the_task_and_the_command_read_the_clock",
        ),
    ),
    Provision(
        key="pasal-4",
        title="Pasal 4",
        chapter=BAB_III,
        summary=(
            "Maksud dan tujuan: pedoman bagi instansi; keterbukaan, pelayanan informasi yang "
            "berkualitas, keterbukaan informasi publik."
        ),
        no_software=(
            "Menyatakan maksud peraturan; tidak ada kewajiban yang dijalankan. Portal secara "
            "keseluruhan adalah sarana pedoman ini."
        ),
    ),
    Provision(
        key="pasal-5",
        title="Pasal 5",
        chapter=BAB_IV,
        summary=(
            "Manfaat: menyebarluaskan informasi, membangun peran ASN dan masyarakat, "
            "sosialisasi kebijakan, menggali aspirasi dan masukan masyarakat."
        ),
        urls=("publications:feedback", "publications:post_list"),
        tests=(f"{POST_VIEWS}::test_feedback_counts_inquiries_by_topic_and_kind",),
    ),
    Provision(
        key="pasal-6",
        title="Pasal 6",
        chapter=BAB_IV,
        summary=(
            "Sasaran: kesamaan pemahaman, hubungan harmonis dengan media, keterpaduan "
            "pengelolaan, reputasi instansi yang semakin baik."
        ),
        no_software=(
            "Menyatakan sasaran yang dicapai melalui Pasal 7–16; tidak ada langkah tersendiri "
            "yang dapat dijalankan perangkat lunak."
        ),
    ),
    Provision(
        key="pasal-7",
        title="Pasal 7",
        chapter=BAB_V,
        summary=(
            "Strategi: merancang pesan yang tepat untuk khalayak sasaran dan menyebarluaskannya "
            "pada media sosial yang ditetapkan instansi."
        ),
        urls=("publications:post_create", "publications:post_list", "publications:calendar"),
        models=("publications.Post",),
        tests=(f"{POST_VIEWS}::test_the_approval_path_through_the_pages",),
    ),
    Provision(
        key="pasal-8",
        title="Pasal 8",
        chapter=BAB_V,
        summary=(
            "Langkah pengelolaan: khalayak sasaran, akun resmi, penunjukan petugas dan "
            "pejabat, membuat pesan dengan tagging, memantau percakapan, menjawab khalayak, "
            "menganalisis masukan, rekomendasi tindak lanjut, menyebarluaskan kebijakan."
        ),
        urls=(
            "accounts:account_list",
            "accounts:appointment_list",
            "publications:post_list",
            "inquiries:inbox",
            "publications:feedback",
            "publications:recommendation_list",
        ),
        models=(
            "accounts.OfficialAccount",
            "accounts.Appointment",
            "publications.Post",
            "inquiries.Inquiry",
            "publications.Recommendation",
        ),
        tests=(
            f"{REGISTRY_VIEWS}::test_a_person_with_a_nip_is_appointed_and_gets_the_role",
            f"{POST_VIEWS}::test_the_approval_path_through_the_pages",
            f"{POST_VIEWS}::test_feedback_counts_inquiries_by_topic_and_kind",
            f"{POST_VIEWS}::test_a_pejabat_records_a_recommendation_linked_to_inquiries_and_posts",
            f"{INQUIRY_VIEWS}::test_five_steps_across_two_agencies",
        ),
        obligations=True,
    ),
    Provision(
        key="pasal-9",
        title="Pasal 9",
        chapter=BAB_V,
        summary=(
            "Akun resmi dan petugas serta pejabat ditetapkan dengan Keputusan Kepala Instansi; "
            "jenis akun resmi menurut Lampiran I (di portal: Lampiran A)."
        ),
        urls=("accounts:decree_list", "accounts:decree_create", "accounts:account_create"),
        models=("accounts.Decree", "accounts.Appointment", "accounts.OfficialAccount"),
        tasks=("accounts.decree_expiry_reminders",),
        tests=(
            f"{REGISTRY_VIEWS}::test_a_decree_is_recorded_with_its_pdf",
            f"{REGISTRY_VIEWS}::test_another_agencys_decree_cannot_back_an_appointment",
            "accounts/tests/test_compliance.py::test_an_account_without_any_decree_breaks_compliance",
            "accounts/tests/test_decree_reminders.py::test_the_task_reminds_on_the_local_date",
        ),
        obligations=True,
    ),
    Provision(
        key="pasal-10",
        title="Pasal 10",
        chapter=BAB_V,
        summary=(
            "Isi pesan: kegiatan instansi, isu aktual di Kabupaten Katingan, kebijakan "
            "pemerintah pusat dan daerah."
        ),
        urls=("publications:post_create", "publications:post_list"),
        models=("publications.Post",),
        tests=(
            "publications/tests/test_services.py::test_each_pasal_10_category_is_recorded",
            f"{POST_VIEWS}::test_filters_search_and_ordering",
        ),
    ),
    Provision(
        key="pasal-11",
        title="Pasal 11",
        chapter=BAB_V,
        summary=(
            "Pelayanan informasi mengacu pada SOP yang ditetapkan kepala instansi; bagan alurnya "
            "dalam Lampiran II (di portal: Lampiran B)."
        ),
        urls=("accounts:sop_list", "accounts:sop_create", "accounts:sop_file"),
        models=("accounts.Sop",),
        tests=(
            f"{REGISTRY_VIEWS}::test_sop_download_has_a_generated_name",
            f"{REGISTRY_VIEWS}::test_permission_matrix",
            "accounts/tests/test_compliance.py::test_the_latest_sop_in_force_is_reported",
        ),
        obligations=True,
    ),
    Provision(
        key="pasal-12",
        title="Pasal 12",
        chapter=BAB_V,
        summary=(
            "Etika instansi pengelola: kehormatan instansi, integritas, rahasia negara, kode "
            "etik ASN, informasi yang benar, keterbukaan informasi publik."
        ),
        urls=("accounts:ethics",),
        models=("accounts.Appointment",),
        tests=(
            f"{REGISTRY_VIEWS}::test_an_appointee_is_sent_to_the_ethics_page_until_acknowledged",
            f"{REGISTRY_VIEWS}::test_the_way_out_stays_open",
            "accounts/tests/test_compliance.py::test_a_pending_ethics_acknowledgement_breaks_compliance",
        ),
        obligations=True,
    ),
    Provision(
        key="pasal-13",
        title="Pasal 13",
        chapter=BAB_V,
        summary=(
            "Kewajiban setiap pengelola: menguasai sistem pelayanan informasi, berkomitmen, "
            "berkoordinasi dan bekerja sama, memperhatikan peraturan."
        ),
        urls=("accounts:ethics", "inquiries:forward", "inquiries:reply"),
        models=("inquiries.Forwarding",),
        tests=(
            f"{REGISTRY_VIEWS}::test_an_appointee_is_sent_to_the_ethics_page_until_acknowledged",
            f"{INQUIRY_VIEWS}::test_five_steps_across_two_agencies",
        ),
        obligations=True,
    ),
    Provision(
        key="pasal-14",
        title="Pasal 14",
        chapter=BAB_VI,
        summary="Sarana komputer, jaringan listrik dan internet untuk layanan informasi.",
        urls=("reports:report_edit",),
        models=("reports.AnnualReport",),
        tests=(f"{REPORT_VIEWS}::test_the_path_through_the_pages",),
    ),
    Provision(
        key="pasal-15",
        title="Pasal 15",
        chapter=BAB_VII,
        summary=(
            "Laporan layanan informasi paling sedikit setahun sekali, disampaikan kepada Bupati "
            "melalui Dinas, memuat huruf a–h (kebijakan, khalayak, isi pesan, komentar, "
            "sharing, pesan diteruskan, kendala, rekomendasi)."
        ),
        urls=(
            "reports:report_list",
            "reports:report_edit",
            "reports:report_submit",
            "reports:file_request",
        ),
        models=("reports.AnnualReport", "reports.ReportFile"),
        tasks=("reports.build_file",),
        tests=(
            f"{REPORT_VIEWS}::test_the_path_through_the_pages",
            "reports/tests/test_pdf.py::test_annual_pdf_prints_every_section_and_the_hand_counted_figures",
            "reports/tests/test_pdf.py::test_task_builds_the_file_once",
            "reports/tests/test_compile.py::test_section_f_forwarded",
            "e2e/test_journeys.py::test_annual_report_submitted_evaluated_sent_and_downloaded_as_pdf",
        ),
        obligations=True,
    ),
    Provision(
        key="pasal-16",
        title="Pasal 16",
        chapter=BAB_VII,
        summary=(
            "Bupati melalui Dinas mengevaluasi layanan informasi instansi berdasarkan laporan; "
            "hasilnya bahan perbaikan tahun berikutnya."
        ),
        urls=(
            "reports:evaluation_start",
            "reports:evaluation_edit",
            "reports:report_send",
            "reports:regency",
            "reports:dashboard",
        ),
        models=("reports.Evaluation",),
        tests=(
            f"{REPORT_VIEWS}::test_the_path_through_the_pages",
            f"{REPORT_VIEWS}::test_last_years_evaluation_is_shown_while_drafting",
            f"{REPORT_VIEWS}::test_the_regency_page_lists_every_agency_with_its_report_status",
        ),
        obligations=True,
    ),
    Provision(
        key="pasal-17",
        title="Pasal 17",
        chapter=BAB_VIII,
        summary="Biaya dibebankan pada Dokumen Pelaksanaan Anggaran masing-masing instansi.",
        no_software=(
            "Pendanaan diatur dalam DPA setiap instansi, di luar portal; portal tidak mencatat "
            "anggaran. Kendala pendanaan dapat ditulis instansi pada kendala internal laporan "
            "tahunan (Pasal 15 ayat (3) huruf g)."
        ),
    ),
    Provision(
        key="pasal-18",
        title="Pasal 18",
        chapter=BAB_IX,
        summary="Berlaku sejak diundangkan (31 Agustus 2022, Berita Daerah 2022 Nomor 705).",
        no_software="Ketentuan mulai berlaku; tidak ada yang dijalankan.",
    ),
    Provision(
        key="lampiran-a",
        title="Lampiran A",
        chapter=LAMPIRAN,
        summary=(
            "Jenis media sosial untuk akun resmi: blog, microblog (pesan paling banyak 140 "
            "karakter), berbagi media, wiki, forum, jejaring sosial."
        ),
        urls=("accounts:account_create", "accounts:account_list", "publications:post_create"),
        models=("accounts.OfficialAccount",),
        tests=(
            f"{POST_VIEWS}::test_a_microblog_text_over_the_limit_is_refused_on_the_form",
            f"{REGISTRY_VIEWS}::test_a_duplicate_account_is_refused_whatever_the_case",
        ),
        obligations=True,
    ),
    Provision(
        key="lampiran-b",
        title="Lampiran B",
        chapter=LAMPIRAN,
        summary=(
            "Alur pelayanan informasi: pertanyaan, komentar, kritik, saran dijawab langsung bila "
            "jawaban tersedia; bila tidak, diteruskan ke instansi berwenang yang membalas dalam "
            "24 jam; petugas lalu menjawab khalayak."
        ),
        urls=(
            "inquiries:create",
            "inquiries:inbox",
            "inquiries:detail",
            "inquiries:answer_directly",
            "inquiries:forward",
            "inquiries:reply",
            "inquiries:answer_public",
            "inquiries:deadline_board",
            "tracking:form",
        ),
        models=("inquiries.Inquiry", "inquiries.Forwarding", "inquiries.InquiryEvent"),
        tasks=("inquiries.sweep_deadlines", "notifications.send_email"),
        tests=(
            f"{INQUIRY_VIEWS}::test_five_steps_across_two_agencies",
            "inquiries/tests/test_deadlines.py::test_the_whole_clock_with_each_notice_once",
            "inquiries/tests/test_deadlines.py::test_the_task_and_the_command_read_the_clock",
            "e2e/test_journeys.py::test_inquiry_forwarded_replied_answered_and_tracked",
            "e2e/test_journeys.py::test_overdue_forwarding_is_swept_into_the_bell_of_the_receiving_officer",
        ),
        obligations=True,
    ),
)

BY_KEY = {provision.key: provision for provision in PROVISIONS}
