from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    # The unit's journey, the public list of awarded units, an award's page and its revocation.
    path("unit/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("penghargaan/", views.public_list, name="public_list"),
    path("penghargaan/unduh.csv", views.public_csv, name="public_csv"),
    path("penghargaan/<int:pk>/", views.award_detail, name="detail"),
    path("penghargaan/<int:pk>/cabut/", views.award_revoke, name="revoke"),
    path(
        "pengusulan/butir/<int:item_pk>/penghargaan/",
        views.award_create_from_item,
        name="create_from_item",
    ),
    # The Minister's announcements (one decree, published on a chosen day).
    path("penghargaan/pengumuman/", views.announcement_list, name="announcement_list"),
    path("penghargaan/pengumuman/baru/", views.announcement_create, name="announcement_create"),
    path(
        "penghargaan/pengumuman/<int:pk>/",
        views.announcement_detail,
        name="announcement_detail",
    ),
    path(
        "penghargaan/pengumuman/<int:pk>/ubah/",
        views.announcement_update,
        name="announcement_update",
    ),
    path(
        "penghargaan/pengumuman/<int:pk>/tambah/",
        views.announcement_add_awards,
        name="announcement_add_awards",
    ),
    path(
        "penghargaan/pengumuman/<int:pk>/terbitkan/",
        views.announcement_publish,
        name="announcement_publish",
    ),
    # Proposal to KemenPANRB (pengusulan) and the national stages.
    path("pengusulan/", views.submission_list, name="submission_list"),
    path("pengusulan/nasional/", views.national_track, name="national_track"),
    path("pengusulan/jendela/", views.window_list, name="window_list"),
    path("pengusulan/jendela/baru/", views.window_create, name="window_create"),
    path("pengusulan/jendela/<int:pk>/", views.window_update, name="window_update"),
    path(
        "pengusulan/instansi/<int:agency_pk>/buka/",
        views.submission_open,
        name="submission_open",
    ),
    path("pengusulan/<int:pk>/", views.submission_detail, name="submission_detail"),
    path(
        "pengusulan/<int:pk>/usulkan/",
        views.submission_item_add,
        name="submission_item_add",
    ),
    path("pengusulan/<int:pk>/surat/", views.submission_letter, name="submission_letter"),
    path("pengusulan/<int:pk>/kirim/", views.submission_submit, name="submission_submit"),
    path(
        "pengusulan/<int:pk>/surat-usulan/",
        views.submission_cover_letter,
        name="submission_cover_letter",
    ),
    path("pengusulan/<int:pk>/sptjm/", views.submission_sptjm, name="submission_sptjm"),
    path(
        "pengusulan/butir/<int:pk>/",
        views.submission_item_detail,
        name="submission_item_detail",
    ),
    path(
        "pengusulan/butir/<int:pk>/tarik/",
        views.submission_item_remove,
        name="submission_item_remove",
    ),
    path(
        "pengusulan/butir/<int:pk>/tahap/",
        views.national_stage_record,
        name="national_stage_record",
    ),
    path("pengusulan/butir/<int:pk>/hasil/", views.result_record, name="result_record"),
    path("pengusulan/tahap/<int:pk>/tarik/", views.stage_withdraw, name="stage_withdraw"),
    path("pengusulan/butir/<int:pk>/temuan/", views.stage_findings, name="stage_findings"),
    path(
        "pengusulan/butir/<int:pk>/nilai-tpn/",
        views.submission_item_tpn,
        name="submission_item_tpn",
    ),
    path("pengusulan/butir/<int:pk>/sanggah/", views.objection_file, name="objection_file"),
    path(
        "pengusulan/sanggah/<int:pk>/putuskan/",
        views.objection_decide,
        name="objection_decide",
    ),
    path(
        "pengusulan/sanggah/lampiran/<int:pk>/",
        views.objection_attachment,
        name="objection_attachment",
    ),
]
