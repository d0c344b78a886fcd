"""URLs of the annual reports (Pasal 15) and their evaluation (Pasal 16)."""

from django.urls import path

from . import dashboard_views, views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("baru/", views.report_create, name="report_create"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/ubah/", views.report_edit, name="report_edit"),
    path("<int:pk>/ajukan/", views.report_submit, name="report_submit"),
    path("<int:pk>/evaluasi/mulai/", views.evaluation_start, name="evaluation_start"),
    path("<int:pk>/evaluasi/", views.evaluation_edit, name="evaluation_edit"),
    path("<int:pk>/kembalikan/", views.report_return, name="report_return"),
    path("<int:pk>/kirim/", views.report_send, name="report_send"),
    path("<int:pk>/pdf/", views.file_request, name="file_request"),
    path("<int:pk>/pdf/status/", views.file_status, name="file_status"),
    path("berkas/<int:file_pk>/", views.file_download, name="file_download"),
    path("dasbor/", dashboard_views.dashboard, name="dashboard"),
    path("dasbor/pertanyaan/", dashboard_views.dashboard_inquiries, name="dashboard_inquiries"),
    path("pimpinan/", dashboard_views.pimpinan, name="pimpinan"),
    path("kabupaten/", views.regency, name="regency"),
    path("kabupaten/tabel.<str:fmt>", views.regency_export, name="regency_export"),
    path("kabupaten/pdf/", views.regency_file_request, name="regency_file_request"),
    path("kabupaten/pdf/status/", views.regency_file_status, name="regency_file_status"),
    path("<int:pk>/tabel/<slug:name>.<str:fmt>", views.table_export, name="table_export"),
]
