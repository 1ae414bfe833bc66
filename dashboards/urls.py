from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("dasbor/", views.dashboard_index, name="index"),
    path("dasbor/nasional/", views.national_dashboard, name="national"),
    path("instansi/<int:pk>/dasbor/", views.agency_dashboard, name="agency"),
]
