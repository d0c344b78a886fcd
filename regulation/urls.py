from django.urls import path

from . import views

app_name = "regulation"

urlpatterns = [path("", views.regulation, name="regulation")]
