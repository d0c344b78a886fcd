"""URLs of the inquiry pages (Lampiran B), mounted at ``pertanyaan/``. Paths are Indonesian."""

from django.urls import path

from . import board_views, calendar_views, privacy_views, views

app_name = "inquiries"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("tenggat/", board_views.deadline_board, name="deadline_board"),
    path("kalender-kerja/", calendar_views.deadline_calendar, name="deadline_calendar"),
    path("tenggat/daftar/", board_views.deadline_list, name="deadline_list"),
    path("baru/", views.create, name="create"),
    path("impor/", views.import_inquiries, name="import"),
    path("impor/templat.csv", views.import_template, name="import_template"),
    path("ekspor.csv", privacy_views.export, name="export"),
    path("ekspor-data-pribadi/", privacy_views.export_personal, name="export_personal"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/kontak/", privacy_views.reveal_contact, name="reveal_contact"),
    path("<int:pk>/jawab/", views.answer_directly, name="answer_directly"),
    path("<int:pk>/teruskan/", views.forward, name="forward"),
    path("<int:pk>/balas/", views.reply, name="reply"),
    path("<int:pk>/alihkan/", views.reroute, name="reroute"),
    path("<int:pk>/jawab-publik/", views.answer_public, name="answer_public"),
    path("<int:pk>/tutup/", views.close, name="close"),
    path("<int:pk>/tutup-spam-duplikat/", views.dismiss, name="dismiss"),
    path("jawaban/", views.answer_list, name="answer_list"),
    path("jawaban/baru/", views.answer_create, name="answer_create"),
    path("jawaban/<int:pk>/ubah/", views.answer_edit, name="answer_edit"),
    path("jawaban/<int:pk>/setujui/", views.answer_approve, name="answer_approve"),
]
