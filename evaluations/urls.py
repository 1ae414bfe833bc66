from django.urls import path

from . import views_submissions
from .views import evidence, lists, lke, workbook

app_name = "evaluations"

urlpatterns = [
    path("evaluasi/<int:pk>/", lke.evaluation_detail, name="detail"),
    path(
        "evaluasi/<int:pk>/jawaban/<str:code>/<str:level>/",
        lke.answer_save,
        name="answer_save",
    ),
    path(
        "evaluasi/<int:pk>/status/<str:name>/",
        lke.evaluation_transition,
        name="transition",
    ),
    path("evaluasi/", lists.evaluation_list, name="list"),
    path("evaluasi/mulai/", lists.evaluation_start, name="start"),
    path("evaluasi/<int:pk>/riwayat/", lists.evaluation_history, name="history"),
    path("evaluasi/<int:pk>/bukti/<str:code>/", evidence.evidence_panel, name="evidence"),
    path("bukti/<int:pk>/ganti/", evidence.evidence_replace, name="evidence_replace"),
    path("bukti/<int:pk>/hapus/", evidence.evidence_remove, name="evidence_remove"),
    path("bukti/<int:pk>/unduh/", evidence.evidence_download, name="evidence_download"),
    path(
        "bukti/revisi/<int:pk>/unduh/",
        evidence.evidence_revision_download,
        name="evidence_revision_download",
    ),
    # Proposal to KemenPANRB (pengusulan) and the national stages.
    path("pengusulan/", views_submissions.submission_list, name="submission_list"),
    path(
        "pengusulan/instansi/<int:agency_pk>/buka/",
        views_submissions.submission_open,
        name="submission_open",
    ),
    path("pengusulan/<int:pk>/", views_submissions.submission_detail, name="submission_detail"),
    path(
        "pengusulan/<int:pk>/usulkan/",
        views_submissions.submission_item_add,
        name="submission_item_add",
    ),
    path(
        "pengusulan/<int:pk>/surat/", views_submissions.submission_letter, name="submission_letter"
    ),
    path(
        "pengusulan/<int:pk>/kirim/", views_submissions.submission_submit, name="submission_submit"
    ),
    path(
        "pengusulan/<int:pk>/surat-usulan/",
        views_submissions.submission_cover_letter,
        name="submission_cover_letter",
    ),
    path("pengusulan/<int:pk>/sptjm/", views_submissions.submission_sptjm, name="submission_sptjm"),
    path(
        "pengusulan/butir/<int:pk>/",
        views_submissions.submission_item_detail,
        name="submission_item_detail",
    ),
    path(
        "pengusulan/butir/<int:pk>/tarik/",
        views_submissions.submission_item_remove,
        name="submission_item_remove",
    ),
    path(
        "pengusulan/butir/<int:pk>/tahap/",
        views_submissions.national_stage_record,
        name="national_stage_record",
    ),
    path(
        "pengusulan/butir/<int:pk>/nilai-tpn/",
        views_submissions.submission_item_tpn,
        name="submission_item_tpn",
    ),
]

# LKE workbook import/export and the printable report (workbook.py).
urlpatterns += [
    path("evaluasi/<int:pk>/impor/", workbook.workbook_upload, name="workbook_upload"),
    path(
        "evaluasi/<int:pk>/impor/konfirmasi/",
        workbook.workbook_import_confirm,
        name="workbook_import_confirm",
    ),
    path("evaluasi/<int:pk>/lke.xlsx", workbook.workbook_download, name="workbook_download"),
    path("evaluasi/<int:pk>/lhe/", workbook.lhe_page, name="lhe"),
    path("evaluasi/<int:pk>/lhe.pdf", workbook.lhe_pdf, name="lhe_pdf"),
]
