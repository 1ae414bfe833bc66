from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("penghargaan/", views.public_list, name="public_list"),
    path("penghargaan/unduh.csv", views.public_csv, name="public_csv"),
    path("penghargaan/<int:pk>/", views.award_detail, name="detail"),
    path("penghargaan/<int:pk>/cabut/", views.award_revoke, name="revoke"),
    path(
        "pengusulan/butir/<int:item_pk>/penghargaan/",
        views.award_create_from_item,
        name="create_from_item",
    ),
]
