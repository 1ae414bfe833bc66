from django.urls import path, register_converter

from .converters import QuestionCodeConverter
from .views import evidence, exports, lists, lke, workbook

register_converter(QuestionCodeConverter, "code")

app_name = "evaluations"

urlpatterns = [
    path("evaluasi/<int:pk>/", lke.evaluation_detail, name="detail"),
    path(
        "evaluasi/<int:pk>/jawaban/<code:code>/<slug:level>/",
        lke.answer_save,
        name="answer_save",
    ),
    path(
        "evaluasi/<int:pk>/status/<slug:name>/",
        lke.evaluation_transition,
        name="transition",
    ),
    path("evaluasi/", lists.evaluation_list, name="list"),
    path("evaluasi/mulai/", lists.evaluation_start, name="start"),
    path("evaluasi/<int:pk>/riwayat/", lists.evaluation_history, name="history"),
    path("evaluasi/<int:pk>/bukti/<code:code>/", evidence.evidence_panel, name="evidence"),
    path("bukti/<int:pk>/ganti/", evidence.evidence_replace, name="evidence_replace"),
    path("bukti/<int:pk>/hapus/", evidence.evidence_remove, name="evidence_remove"),
    path("bukti/<int:pk>/unduh/", evidence.evidence_download, name="evidence_download"),
    path(
        "bukti/revisi/<int:pk>/unduh/",
        evidence.evidence_revision_download,
        name="evidence_revision_download",
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
    path(
        "evaluasi/<int:pk>/impor/batal/",
        workbook.workbook_import_cancel,
        name="workbook_import_cancel",
    ),
    path("evaluasi/<int:pk>/lke.xlsx", workbook.workbook_download, name="workbook_download"),
    path("evaluasi/<int:pk>/lhe/", workbook.lhe_page, name="lhe"),
    path("evaluasi/<int:pk>/lhe.pdf", workbook.lhe_pdf, name="lhe_pdf"),
]

# Bulk exports of an agency's year (exports.py).
urlpatterns += [
    path("instansi/<int:agency_pk>/ekspor/", exports.bulk_exports, name="bulk_exports"),
    path("ekspor/<int:pk>/unduh/", exports.bulk_export_download, name="bulk_export_download"),
]
