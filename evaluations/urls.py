from django.urls import path

from . import views_evidence

app_name = "evaluations"

urlpatterns = [
    path("evaluasi/<int:pk>/bukti/<str:code>/", views_evidence.evidence_panel, name="evidence"),
    path("bukti/<int:pk>/ganti/", views_evidence.evidence_replace, name="evidence_replace"),
    path("bukti/<int:pk>/hapus/", views_evidence.evidence_remove, name="evidence_remove"),
    path("bukti/<int:pk>/unduh/", views_evidence.evidence_download, name="evidence_download"),
    path(
        "bukti/revisi/<int:pk>/unduh/",
        views_evidence.evidence_revision_download,
        name="evidence_revision_download",
    ),
]
