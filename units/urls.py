from django.urls import path

from . import views

app_name = "units"

urlpatterns = [
    path("instansi/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("unit/<int:pk>/", views.unit_detail, name="unit_detail"),
]
