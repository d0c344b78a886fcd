"""URLs of the registry (Pasal 8-9, 11-13): agencies, official accounts, decrees,
appointments, SOPs, the export and the ethics acknowledgement. Paths are Indonesian."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("instansi/", views.agency_list, name="agency_list"),
    path("instansi/<slug:slug>/", views.agency_detail, name="agency_detail"),
    path("instansi/<slug:slug>/ubah/", views.agency_edit, name="agency_edit"),
    path("akun-resmi/", views.account_list, name="account_list"),
    path("akun-resmi/baru/", views.account_create, name="account_create"),
    path("akun-resmi/<int:pk>/ubah/", views.account_edit, name="account_edit"),
    path("akun-resmi/<int:pk>/status/", views.account_status, name="account_status"),
    path("keputusan/", views.decree_list, name="decree_list"),
    path("keputusan/baru/", views.decree_create, name="decree_create"),
    path("keputusan/<int:pk>/", views.decree_detail, name="decree_detail"),
    path("keputusan/<int:pk>/ubah/", views.decree_edit, name="decree_edit"),
    path("keputusan/<int:pk>/berkas/", views.decree_file, name="decree_file"),
    path("penunjukan/", views.appointment_list, name="appointment_list"),
    path("penunjukan/baru/", views.appointment_create, name="appointment_create"),
    path("penunjukan/<int:pk>/akhiri/", views.appointment_end, name="appointment_end"),
    path("sop/", views.sop_list, name="sop_list"),
    path("sop/baru/", views.sop_create, name="sop_create"),
    path("sop/<int:pk>/berkas/", views.sop_file, name="sop_file"),
    path("registri/ekspor.csv", views.registry_export, name="registry_export"),
    path("etika/", views.ethics, name="ethics"),
]
