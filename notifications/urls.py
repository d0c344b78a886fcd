from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/dibaca/", views.notification_read, name="read"),
    path("semua-dibaca/", views.notification_read, name="read_all"),
]
