"""What every kind of visitor gets from every URL: the permission matrix.

Each app adds rows for its URLs to `MATRIX`; `test_permission_matrix.py` walks the resolver and
fails when a URL name has no row, so no page can be added without saying who may open it.

A row is `(url_name, build_args, method, expectations)`. `build_args(world)` returns the URL
arguments from the `world` fixture (objects of the user's own agency). Expectations map an
actor to a status code or to `LOGIN` (a redirect to the login page).
"""

LOGIN = "login"

OWN_ROLES = ["national_admin", "agency_admin", "evaluator", "unit_operator", "viewer"]
# A national evaluator (TPN) belongs to no agency: they see proposed units on the national track.
NATIONAL_EVALUATOR = "national_evaluator"
FOREIGN_ROLES = [
    "foreign_agency_admin",
    "foreign_evaluator",
    "foreign_unit_operator",
    "foreign_viewer",
]
ACTORS = ["anonymous", *OWN_ROLES, NATIONAL_EVALUATOR, *FOREIGN_ROLES]


def no_args(world):
    return []


def expect(default, *, anonymous=LOGIN, **overrides):
    """Return expectations: `default` for every signed-in actor, with per-actor overrides."""
    table = dict.fromkeys(ACTORS, default)
    table["anonymous"] = anonymous
    table.update(overrides)
    return table


def own_agency_only(status=200, *, anonymous=LOGIN, **overrides):
    """Return expectations for an object of the user's own agency: other agencies get 404, and
    so does the national evaluator unless the row says otherwise (a unit on the national track).
    """
    table = expect(status, anonymous=anonymous)
    table.update(dict.fromkeys([*FOREIGN_ROLES, NATIONAL_EVALUATOR], 404))
    table.update(overrides)
    return table


def national_admin_only(status=200, **overrides):
    """Return expectations for KemenPANRB's own screens: everybody else is refused (403)."""
    return expect(403, national_admin=status, **overrides)


def on_the_track(status=403, **overrides):
    """Return expectations for a proposed unit on the national track: its agency's agency-wide
    people and the national evaluator get `status`, a unit operator and other agencies 404."""
    table = own_agency_only(status, unit_operator=404, national_evaluator=status)
    table.update(overrides)
    return table


MATRIX = [
    ("home", no_args, "get", expect(200)),
    ("healthz", no_args, "get", expect(200, anonymous=200)),
    ("login", no_args, "get", expect(200, anonymous=200)),
    # Logging out is a POST; a GET is refused for everybody.
    ("logout", no_args, "get", expect(405, anonymous=405)),
    ("password_change", no_args, "get", expect(200)),
    ("password_change_done", no_args, "get", expect(200)),
    # A forgotten password: open to everyone (the link goes to the account's own address).
    ("password_reset", no_args, "get", expect(200, anonymous=200)),
    ("password_reset_done", no_args, "get", expect(200, anonymous=200)),
    ("password_reset_complete", no_args, "get", expect(200, anonymous=200)),
    # A made-up token shows "this link no longer works", for everyone.
    (
        "password_reset_confirm",
        lambda w: ["MQ", "bukan-token-yang-sah"],
        "get",
        expect(200, anonymous=200),
    ),
    # The language switch sends anybody back to the page they came from.
    ("set_language", no_args, "post", expect(302, anonymous=302)),
    ("units:agency_detail", lambda w: [w["agency"].pk], "get", own_agency_only()),
    ("awards:unit_detail", lambda w: [w["unit"].pk], "get", own_agency_only()),
    # A sibling unit: the unit operator works for one unit only.
    (
        "awards:unit_detail",
        lambda w: [w["other_unit"].pk],
        "get",
        own_agency_only(unit_operator=404),
    ),
    # Every member of an agency reads its pencanangan; its administrators record them.
    ("units:pencanangan_list", no_args, "get", expect(200)),
    ("units:agency_pencanangan_list", lambda w: [w["agency"].pk], "get", own_agency_only()),
    (
        "units:pencanangan_create",
        lambda w: [w["agency"].pk],
        "get",
        own_agency_only(403, agency_admin=200, national_admin=200),
    ),
    ("units:pencanangan_detail", lambda w: [w["pencanangan"].pk], "get", own_agency_only()),
    (
        "units:pencanangan_update",
        lambda w: [w["pencanangan"].pk],
        "get",
        own_agency_only(403, agency_admin=200, national_admin=200),
    ),
    ("units:pencanangan_charter", lambda w: [w["pencanangan"].pk], "get", own_agency_only()),
    ("evaluations:detail", lambda w: [w["evaluation"].pk], "get", own_agency_only()),
    # Only the unit operator answers the self level (an empty answer saves and redirects).
    (
        "evaluations:answer_save",
        lambda w: [w["evaluation"].pk, "A.I.1.i.a", "self"],
        "post",
        own_agency_only(403, unit_operator=302),
    ),
    (
        "evaluations:transition",
        lambda w: [w["evaluation"].pk, "submit_self"],
        "post",
        own_agency_only(403, unit_operator=302),
    ),
    # Dashboards: someone with one agency is sent on to its dashboard; KemenPANRB chooses. A
    # national evaluator has no agency: an empty choice.
    (
        "dashboards:index",
        no_args,
        "get",
        expect(302, national_admin=200, national_evaluator=200),
    ),
    ("dashboards:agency", lambda w: [w["agency"].pk], "get", own_agency_only()),
    ("dashboards:national", no_args, "get", expect(403, national_admin=200)),
    # Evidence of one question: everybody of the agency reads it; a unit operator of another unit
    # of the same agency does not see that unit's evaluation.
    (
        "evaluations:evidence",
        lambda w: [w["evaluation"].pk, "A.I.1.i.a"],
        "get",
        own_agency_only(),
    ),
    (
        "evaluations:evidence",
        lambda w: [w["other_evaluation"].pk, "A.I.1.i.a"],
        "get",
        own_agency_only(unit_operator=404),
    ),
    # An empty POST re-renders the form with its errors for those who manage evidence. The
    # world's evaluation is a draft: only the unit may change its evidence then, the other
    # managers are refused by the workflow lock (409) before the form is read.
    (
        "evaluations:evidence",
        lambda w: [w["evaluation"].pk, "A.I.1.i.a"],
        "post",
        own_agency_only(409, unit_operator=200, viewer=403),
    ),
    # The method is refused before the object is looked up, so it reveals nothing.
    ("evaluations:evidence_replace", lambda w: [w["evidence"].pk], "get", expect(405)),
    (
        "evaluations:evidence_replace",
        lambda w: [w["evidence"].pk],
        "post",
        own_agency_only(409, unit_operator=200, viewer=403),
    ),
    # Removing is soft and repeatable, so the unit is sent back to the panel (draft: the other
    # managers are refused by the workflow lock).
    (
        "evaluations:evidence_remove",
        lambda w: [w["evidence"].pk],
        "post",
        # The viewer comes after the unit operator removed it: removed evidence is for the
        # reviewers only, so it is not found.
        own_agency_only(409, unit_operator=302, viewer=404),
    ),
    ("evaluations:evidence_download", lambda w: [w["evidence"].pk], "get", own_agency_only()),
    (
        "evaluations:evidence_revision_download",
        lambda w: [w["revision"].pk],
        "get",
        own_agency_only(),
    ),
    # Everybody signed in has a list (scoped to what they may see).
    ("evaluations:list", no_args, "get", expect(200)),
    # Starting LKEs: agency administrators and evaluators (of any agency), national admins.
    (
        "evaluations:start",
        no_args,
        "get",
        expect(
            200,
            unit_operator=403,
            viewer=403,
            national_evaluator=403,
            foreign_unit_operator=403,
            foreign_viewer=403,
        ),
    ),
    ("evaluations:history", lambda w: [w["evaluation"].pk], "get", own_agency_only()),
    (
        "evaluations:history",
        lambda w: [w["other_evaluation"].pk],
        "get",
        own_agency_only(unit_operator=404),
    ),
    # LKE workbooks and the LHE: anyone who sees the evaluation downloads and reads; only those
    # who answer a level may import (the viewer and the administrators answer none).
    ("evaluations:workbook_download", lambda w: [w["evaluation"].pk], "get", own_agency_only()),
    (
        "evaluations:workbook_upload",
        lambda w: [w["evaluation"].pk],
        "get",
        own_agency_only(viewer=403, agency_admin=403, national_admin=403),
    ),
    # Without an upload in the session the confirmation sends the editor back to the form.
    (
        "evaluations:workbook_import_confirm",
        lambda w: [w["evaluation"].pk],
        "post",
        own_agency_only(302, viewer=403, agency_admin=403, national_admin=403),
    ),
    # Cancelling drops only the person's own upload: nothing to refuse to whoever sees the LKE.
    (
        "evaluations:workbook_import_cancel",
        lambda w: [w["evaluation"].pk],
        "post",
        own_agency_only(302),
    ),
    ("evaluations:lhe", lambda w: [w["evaluation"].pk], "get", own_agency_only()),
    ("evaluations:lhe_pdf", lambda w: [w["evaluation"].pk], "get", own_agency_only()),
    # Bulk exports of an agency's year: its administrators (and KemenPANRB) ask for them; an
    # empty form is refused with 400.
    (
        "evaluations:bulk_exports",
        lambda w: [w["agency"].pk],
        "get",
        own_agency_only(403, agency_admin=200, national_admin=200),
    ),
    (
        "evaluations:bulk_exports",
        lambda w: [w["agency"].pk],
        "post",
        own_agency_only(403, agency_admin=400, national_admin=400),
    ),
    # An export is downloaded by the person who asked for it only (another administrator of
    # the agency made the world's).
    ("evaluations:bulk_export_download", lambda w: [w["export"].pk], "get", expect(404)),
    # Proposals concern a whole agency: a unit operator does not see them (404). Only the
    # agency's administrators propose; KemenPANRB reads every proposal.
    ("awards:submission_list", no_args, "get", expect(200)),
    (
        "awards:submission_open",
        lambda w: [w["agency"].pk],
        "post",
        own_agency_only(403, agency_admin=302),
    ),
    (
        "awards:submission_detail",
        lambda w: [w["submission"].pk],
        "get",
        own_agency_only(unit_operator=404),
    ),
    # An empty form is refused with 400 for those who may propose, 403 for readers.
    (
        "awards:submission_item_add",
        lambda w: [w["submission"].pk],
        "post",
        own_agency_only(403, agency_admin=400, unit_operator=404),
    ),
    (
        "awards:submission_letter",
        lambda w: [w["submission"].pk],
        "post",
        own_agency_only(403, agency_admin=400, unit_operator=404),
    ),
    (
        "awards:submission_submit",
        lambda w: [w["submission"].pk],
        "post",
        own_agency_only(403, agency_admin=302, unit_operator=404),
    ),
    (
        "awards:submission_cover_letter",
        lambda w: [w["submission"].pk],
        "get",
        own_agency_only(unit_operator=404),
    ),
    (
        "awards:submission_sptjm",
        lambda w: [w["submission"].pk],
        "get",
        own_agency_only(unit_operator=404),
    ),
    # The world's proposed unit is on the national track (administrative selection passed).
    ("awards:submission_item_detail", lambda w: [w["item"].pk], "get", on_the_track(200)),
    # The window of the world's year has closed: withdrawing is refused with a message.
    (
        "awards:submission_item_remove",
        lambda w: [w["item"].pk],
        "post",
        on_the_track(403, agency_admin=302),
    ),
    # Every outcome after the proposal is KemenPANRB's; an empty form is refused with 400.
    (
        "awards:national_stage_record",
        lambda w: [w["item"].pk],
        "post",
        on_the_track(national_admin=400),
    ),
    ("awards:result_record", lambda w: [w["item"].pk], "get", on_the_track(national_admin=200)),
    ("awards:result_record", lambda w: [w["item"].pk], "post", on_the_track(national_admin=400)),
    ("awards:stage_withdraw", lambda w: [w["stage"].pk], "post", on_the_track(national_admin=400)),
    # The national evaluators write their findings and TPN totals (locked before the desk
    # evaluation, but an empty form is refused first).
    (
        "awards:stage_findings",
        lambda w: [w["item"].pk],
        "post",
        on_the_track(national_evaluator=400),
    ),
    (
        "awards:submission_item_tpn",
        lambda w: [w["item"].pk],
        "post",
        on_the_track(national_evaluator=400),
    ),
    ("awards:national_track", no_args, "get", national_admin_only(national_evaluator=200)),
    # Objections: the agency's administrators file them, KemenPANRB decides; the unit that
    # failed its administrative selection has left the track (the evaluator does not see it).
    (
        "awards:objection_file",
        lambda w: [w["objected_item"].pk],
        "post",
        on_the_track(agency_admin=400, national_evaluator=404),
    ),
    (
        "awards:objection_decide",
        lambda w: [w["objection"].pk],
        "post",
        on_the_track(national_admin=400, national_evaluator=404),
    ),
    (
        "awards:objection_attachment",
        lambda w: [w["attachment"].pk],
        "get",
        on_the_track(200, national_evaluator=404),
    ),
    # KemenPANRB's screens: proposal windows and announcements.
    ("awards:window_list", no_args, "get", national_admin_only()),
    ("awards:window_create", no_args, "post", national_admin_only(400)),
    ("awards:window_update", lambda w: [w["window"].pk], "get", national_admin_only()),
    ("awards:window_update", lambda w: [w["window"].pk], "post", national_admin_only(400)),
    ("awards:announcement_list", no_args, "get", national_admin_only()),
    ("awards:announcement_create", no_args, "post", national_admin_only(400)),
    (
        "awards:announcement_detail",
        lambda w: [w["announcement"].pk],
        "get",
        national_admin_only(),
    ),
    (
        "awards:announcement_update",
        lambda w: [w["announcement"].pk],
        "post",
        national_admin_only(400),
    ),
    (
        "awards:announcement_add_awards",
        lambda w: [w["announcement"].pk],
        "get",
        national_admin_only(),
    ),
    (
        "awards:announcement_add_awards",
        lambda w: [w["announcement"].pk],
        "post",
        national_admin_only(400),
    ),
    (
        "awards:announcement_publish",
        lambda w: [w["announcement"].pk],
        "get",
        national_admin_only(),
    ),
    # Publishing without the confirmation field changes nothing.
    (
        "awards:announcement_publish",
        lambda w: [w["announcement"].pk],
        "post",
        national_admin_only(400),
    ),
    # The public list of awarded units needs no login.
    ("awards:public_list", no_args, "get", expect(200, anonymous=200)),
    ("awards:public_csv", no_args, "get", expect(200, anonymous=200)),
    ("awards:detail", lambda w: [w["award"].pk], "get", own_agency_only()),
    # Irreversible steps show their confirmation on a GET; only KemenPANRB takes them.
    ("awards:revoke", lambda w: [w["award"].pk], "get", own_agency_only(403, national_admin=200)),
    ("awards:revoke", lambda w: [w["award"].pk], "post", own_agency_only(403, national_admin=400)),
    ("awards:create_from_item", lambda w: [w["item"].pk], "get", on_the_track(national_admin=200)),
    ("awards:create_from_item", lambda w: [w["item"].pk], "post", on_the_track(national_admin=400)),
]
