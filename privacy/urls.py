"""Personal data protection: subject requests (evaluators) and the record of processing."""

from django.urls import path

from . import processing_views, views

app_name = "privacy"

urlpatterns = [
    path("permintaan/", views.request_list, name="request_list"),
    path("permintaan/baru/", views.request_create, name="request_create"),
    path("permintaan/<int:pk>/", views.request_detail, name="request_detail"),
    path("permintaan/<int:pk>/ekspor.csv", views.request_export, name="request_export"),
    path("permintaan/<int:pk>/koreksi/", views.request_correct, name="request_correct"),
    path("permintaan/<int:pk>/anonimkan/", views.request_erase, name="request_erase"),
    path("permintaan/<int:pk>/selesai/", views.request_close, name="request_close"),
    path("pemrosesan/", processing_views.record, name="processing_record"),
    path("pemrosesan.pdf", processing_views.record_pdf, name="processing_record_pdf"),
]
