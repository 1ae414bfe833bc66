from django.urls import path

from . import views

app_name = "units"

urlpatterns = [
    path("instansi/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("pencanangan/", views.pencanangan_list, name="pencanangan_list"),
    path(
        "instansi/<int:agency_pk>/pencanangan/",
        views.pencanangan_list,
        name="agency_pencanangan_list",
    ),
    path(
        "instansi/<int:agency_pk>/pencanangan/baru/",
        views.pencanangan_create,
        name="pencanangan_create",
    ),
    path("pencanangan/<int:pk>/", views.pencanangan_detail, name="pencanangan_detail"),
    path("pencanangan/<int:pk>/ubah/", views.pencanangan_update, name="pencanangan_update"),
    path("pencanangan/<int:pk>/piagam/", views.pencanangan_charter, name="pencanangan_charter"),
]
