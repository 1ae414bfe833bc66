from django.urls import path

from . import views, views_evidence, views_lists, views_workbook

app_name = "evaluations"

urlpatterns = [
    path("evaluasi/<int:pk>/", views.evaluation_detail, name="detail"),
    path(
        "evaluasi/<int:pk>/jawaban/<str:code>/<str:level>/",
        views.answer_save,
        name="answer_save",
    ),
    path(
        "evaluasi/<int:pk>/status/<str:name>/",
        views.evaluation_transition,
        name="transition",
    ),
    path("evaluasi/", views_lists.evaluation_list, name="list"),
    path("evaluasi/mulai/", views_lists.evaluation_start, name="start"),
    path("evaluasi/<int:pk>/riwayat/", views_lists.evaluation_history, name="history"),
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

# LKE workbook import/export and the printable report (views_workbook.py).
urlpatterns += [
    path("evaluasi/<int:pk>/impor/", views_workbook.workbook_upload, name="workbook_upload"),
    path(
        "evaluasi/<int:pk>/impor/konfirmasi/",
        views_workbook.workbook_import_confirm,
        name="workbook_import_confirm",
    ),
    path("evaluasi/<int:pk>/lke.xlsx", views_workbook.workbook_download, name="workbook_download"),
    path("evaluasi/<int:pk>/lhe/", views_workbook.lhe_page, name="lhe"),
    path("evaluasi/<int:pk>/lhe.pdf", views_workbook.lhe_pdf, name="lhe_pdf"),
]
