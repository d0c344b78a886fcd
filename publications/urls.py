"""URLs of posts, figures, the platform import, feedback and recommendations."""

from django.urls import path

from . import views

app_name = "publications"
urlpatterns = [
    path("", views.post_list, name="post_list"),
    path("ekspor.csv", views.post_export, name="post_export"),
    path("baru/", views.post_create, name="post_create"),
    path("kalender/", views.post_calendar, name="calendar"),
    path("impor/", views.post_import, name="import"),
    path("impor/templat.csv", views.import_template, name="import_template"),
    path("<int:pk>/", views.post_detail, name="post_detail"),
    path("<int:pk>/ubah/", views.post_edit, name="post_edit"),
    path("<int:pk>/ajukan/", views.post_submit, name="post_submit"),
    path("<int:pk>/setujui/", views.post_approve, name="post_approve"),
    path("<int:pk>/kembalikan/", views.post_return, name="post_return"),
    path("<int:pk>/terbitkan/", views.post_publish, name="post_publish"),
    path("<int:pk>/angka/", views.post_metric, name="post_metric"),
    path("pengaturan/", views.policy, name="policy"),
    path("audiens/", views.audience_list, name="audience_list"),
    path("audiens/baru/", views.audience_create, name="audience_create"),
    path("umpan-balik/", views.feedback, name="feedback"),
    path("rekomendasi/", views.recommendation_list, name="recommendation_list"),
    path("rekomendasi/baru/", views.recommendation_create, name="recommendation_create"),
    path("rekomendasi/<int:pk>/ubah/", views.recommendation_edit, name="recommendation_edit"),
]
