"""Every add and change form of the Django admin, POSTed with another agency's ids.

For each registered model the test opens the form as the user would, builds the POST a browser
would send from its initial data, then swaps one relation field at a time (foreign keys,
many-to-many, raw ids, the ids of inline rows) for the matching object of another agency. The
admin must answer "Select a valid choice" on that field, or refuse the request, and write nothing.
Fields the user may not edit are POSTed too: they must be ignored.

Roles other than agency administrators must be refused outright, even when someone ticked
"staff status" on their account.
"""

from urllib.parse import urlencode

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.test import RequestFactory
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from awards.models import Award, SubmissionItem
from evaluations.models import Predicate
from units.models import Membership, Role
from units.tests.factories import MembershipFactory, UserFactory

from .admin_world import AGENCY_OWNED, build_world, own_and_foreign

pytestmark = pytest.mark.django_db

# Reference data, the same for every agency: a form may name any of its rows.
SHARED = {
    "auth.group",
    "auth.permission",
    "contenttypes.contenttype",
    "evaluations.rubricversion",
    "evaluations.criterion",
    "evaluations.option",
    "evaluations.threshold",
    "awards.proposalwindow",
    # A national announcement of many agencies' awards: read-only in the award admin.
    "awards.announcement",
}
# Django's message, in English and as its Indonesian catalogue words it.
INVALID_CHOICE = (
    "Select a valid choice",
    "Pilih pilihan yang valid",
    "Masukkan pilihan yang valid",
)
MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)


def _label(model):
    return model._meta.label


@pytest.fixture
def world(rubric, agency, unit, foreign_agency, foreign_unit, agency_admin, outsider):
    return build_world(
        agency=agency,
        unit=unit,
        foreign_agency=foreign_agency,
        foreign_unit=foreign_unit,
        agency_admin=agency_admin,
        outsider=outsider,
    )


# --- Reading a form as a browser would submit it ---------------------------------------------


def _forms(context):
    """Return the main form and every inline form of an admin add/change page, with management
    forms, as (form, is_management)."""
    found = [(context["adminform"].form, False)]
    for inline in context.get("inline_admin_formsets", []):
        found.append((inline.formset.management_form, True))
        found.extend((form, False) for form in inline.formset.forms)
    return found


def _post_value(bound_field):
    field, widget, value = bound_field.field, bound_field.field.widget, bound_field.value()
    if isinstance(field, forms.FileField):
        return None  # kept as it is on a change form
    if isinstance(widget, forms.CheckboxInput):
        return "on" if value else None
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return "" if value is None else str(value)


def _form_data(context):
    """Return the POST data of the page's forms as they were shown (their initial values)."""
    data = {}
    for form, _management in _forms(context):
        for name in form.fields:
            bound = form[name]
            widget = bound.field.widget
            if isinstance(widget, forms.MultiWidget):
                parts = widget.decompress(bound.value())
                for suffix, part in zip(widget.widgets_names, parts, strict=True):
                    data[f"{bound.html_name}{suffix}"] = "" if part is None else str(part)
                continue
            value = _post_value(bound)
            if value is not None:
                data[bound.html_name] = value
    return data


def _relation_keys(context, model):
    """Return (POST key, related model, editable) for every relation the page could carry.

    Editable ones are the form fields choosing a row (inline rows' own ids included); the
    model's other foreign keys and many-to-many fields are POSTed as well, to be ignored.
    """
    found, in_form = [], set()
    for form, management in _forms(context):
        if management:
            continue
        for name, field in form.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                found.append((form[name].html_name, field.queryset.model, True))
                in_form.add(form[name].html_name)
    for field in model._meta.get_fields():
        relation = field.is_relation and field.concrete and not field.auto_created
        if relation and field.editable and field.name not in in_form:
            found.append((field.name, field.related_model, False))
    return found


def _field_errors(context, key):
    for form, _management in _forms(context):
        for name in form.fields:
            if form[name].html_name == key:
                return [str(e) for e in form.errors.get(name, [])]
    raise AssertionError(f"{key} is not on the page any more")


# --- What "nothing was written" means ---------------------------------------------------------


def _snapshot():
    """Every row of every model with an admin (and their history), as values."""
    rows = {}
    for model in admin.site._registry:
        rows[model._meta.label] = list(model._default_manager.order_by("pk").values())
        history = getattr(model, "history", None)
        if history is not None:
            rows[f"{model._meta.label}.history"] = history.model.objects.count()
    return rows


def _references(foreign):
    """How many rows of any model point at `foreign`, through any relation."""
    total = 0
    for model in admin.site._registry:
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model is type(foreign):
                total += model._default_manager.filter(**{field.name: foreign.pk}).count()
    return total


def _foreign_for(world, related_model):
    label = related_model._meta.label_lower
    if label in SHARED:
        return None
    assert label in AGENCY_OWNED, (
        f"{label} is chosen in an admin form: say in admin_world.AGENCY_OWNED which object "
        "of another agency to try, or in SHARED that it belongs to no agency"
    )
    return own_and_foreign(world, related_model)[1]


def _foreign_names(world):
    return [
        world["foreign_agency"].name,
        world["foreign_unit"].name,
        world["foreign_user"].username,
    ]


def _is_refusal(response, model):
    """403/404, or a redirect to the login page or to the admin index (the row "does not
    exist"); a save would redirect to the model's list."""
    if response.status_code == 302:
        return not response.url.startswith(_url(model, "changelist"))
    return response.status_code in (403, 404)


def _url(model, action, obj=None):
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    if action == "revision":
        return reverse(f"{prefix}_simple_history", args=[obj.pk, obj.history.earliest().pk])
    return reverse(f"{prefix}_{action}", args=[obj.pk] if obj is not None else [])


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response if response.status_code == 200 else None


def _targets(world, model):
    """(action, object) pairs whose forms are walked: the change of an own row (and its stored
    revision's page, a form too), and add."""
    own, _foreign = own_and_foreign(world, model)
    own = own if own is not None else model._default_manager.order_by("pk").first()
    targets = []
    if own is not None:
        targets.append(("change", own))
        if isinstance(admin.site._registry[model], SimpleHistoryAdmin):
            targets.append(("revision", own))
    return [*targets, ("add", None)]


# --- Agency administrators: every field, one at a time -----------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=_label)
def test_agency_admin_cannot_post_another_agencys_ids(
    client, world, agency_admin, national_admin, model
):
    for action, obj in _targets(world, model):
        url = _url(model, action, obj)
        may_save = _may_save(model, agency_admin, action, obj)
        # Forms the agency administrator may not save are POSTed as KemenPANRB would fill them.
        shown = _page(client, agency_admin if may_save else national_admin, url)
        if shown is None:
            continue  # nobody may use this form
        data = _form_data(shown.context)
        client.force_login(agency_admin)
        if may_save and action != "add":
            # The unchanged form saves: the refusals below come from the foreign ids alone.
            control = client.post(url, data)
            assert control.status_code == 302, (url, control.context and _errors(control))
        if not may_save:
            before = _snapshot()
            assert _is_refusal(client.post(url, data), model), url
            assert _snapshot() == before, (url, "wrote")
        for key, related, editable in _relation_keys(shown.context, model):
            foreign = _foreign_for(world, related)
            if foreign is None:
                continue
            value = str(foreign.pk)
            posted = {**data, key: [value] if isinstance(data.get(key), list) else value}
            before, references = _snapshot(), _references(foreign)
            response = client.post(url, posted)
            where = (url, key)
            if response.status_code == 200:
                content = response.content.decode()
                for name in _foreign_names(world):
                    assert name not in content, (*where, "shows", name)
                if editable:
                    errors = _field_errors(response.context, key)
                    assert any(e.startswith(INVALID_CHOICE) for e in errors), (*where, errors)
                assert _snapshot() == before, (*where, "wrote")
            elif _is_refusal(response, model):
                assert _snapshot() == before, (*where, "wrote")
            else:
                # Saved: only a field the form does not carry may have been POSTed, and ignored.
                assert may_save and not editable, (*where, "saved", response.status_code)
            # Whatever happened, no row points at the other agency's object now.
            assert _references(foreign) == references, (*where, "linked the foreign row")
            if obj is not None and key in _field_names(model):
                field = model._meta.get_field(key)
                obj.refresh_from_db()
                if not field.many_to_many:
                    assert getattr(obj, field.attname) != foreign.pk, (*where, "stored")


def _field_names(model):
    return {f.name for f in model._meta.get_fields()}


def _errors(response):
    return [form.errors for form, _m in _forms(response.context) if form.errors]


def _may_save(model, user, action, obj):
    """Whether the admin lets `user` save this add or change form at all."""
    request = RequestFactory().get("/")
    request.user = user
    model_admin = admin.site._registry[model]
    if action == "add":
        return model_admin.has_add_permission(request)
    return model_admin.has_change_permission(request, obj)


@pytest.mark.parametrize("model", MODELS, ids=_label)
def test_agency_admin_cannot_post_to_another_agencys_rows(
    client, world, agency_admin, national_admin, model
):
    _own, foreign = own_and_foreign(world, model)
    if foreign is None:
        pytest.skip("no agency owns rows of this model")
    url = _url(model, "change", foreign)
    shown = _page(client, national_admin, url)
    data = _form_data(shown.context)
    client.force_login(agency_admin)
    before = _snapshot()
    response = client.post(url, data)
    assert _is_refusal(response, model), response.status_code
    assert _snapshot() == before


@pytest.mark.parametrize(
    "model",
    [m for m in MODELS if isinstance(admin.site._registry[m], SimpleHistoryAdmin)],
    ids=_label,
)
def test_agency_admin_cannot_revert_what_they_may_only_read(client, world, agency_admin, model):
    """A stored revision's page saves the row as it was then: only those who may change it."""
    own, _foreign = own_and_foreign(world, model)
    if _may_save(model, agency_admin, "change", own):
        pytest.skip("the agency administrator changes these rows")
    url = _url(model, "revision", own)
    client.force_login(agency_admin)
    page = client.get(url)
    assert page.status_code == 200  # reading an own revision is allowed
    before = _snapshot()
    response = client.post(url, _form_data(page.context))
    assert _is_refusal(response, model), response.status_code
    assert _snapshot() == before


# --- Everyone else: refused outright ----------------------------------------------------------


@pytest.fixture
def refused_users(agency, unit, evaluator, unit_operator, viewer):
    """Everybody but national and agency administrators, with and without staff status."""
    users = {"evaluator": evaluator, "unit_operator": unit_operator, "viewer": viewer}
    for role in Role.values:
        if role in (Role.NATIONAL_ADMIN, Role.AGENCY_ADMIN):
            continue
        national = role.startswith("national_")
        user = UserFactory(username=f"staf.{role}", is_staff=True)
        MembershipFactory(
            user=user,
            role=role,
            agency=None if national else agency,
            unit=unit if role == Role.UNIT_OPERATOR else None,
        )
        users[f"staff_{role}"] = user
    users["staff_without_membership"] = UserFactory(username="staf.tanpa.peran", is_staff=True)
    # An agency administrator narrowed to one unit administers no agency.
    narrowed = UserFactory(username="admin.unit", is_staff=True)
    MembershipFactory(user=narrowed, role=Role.AGENCY_ADMIN, agency=agency, unit=unit)
    users["staff_agency_admin_of_one_unit"] = narrowed
    return users


@pytest.mark.parametrize("model", MODELS, ids=_label)
def test_other_roles_cannot_post_any_admin_form(
    client, world, national_admin, refused_users, model
):
    for action, obj in _targets(world, model):
        url = _url(model, action, obj)
        shown = _page(client, national_admin, url)
        if shown is None:
            continue
        data = _form_data(shown.context)
        for key, related, _editable in _relation_keys(shown.context, model):
            foreign = _foreign_for(world, related)
            if foreign is not None:
                data[key] = (
                    [str(foreign.pk)] if isinstance(data.get(key), list) else str(foreign.pk)
                )
        for label, user in refused_users.items():
            client.force_login(user)
            before = _snapshot()
            assert client.get(url).status_code in (302, 403), (url, label)
            response = client.post(url, data)
            assert _is_refusal(response, model), (url, label, response.status_code)
            if response.status_code == 302:
                assert response.url.startswith(reverse("admin:login")), (url, label)
            assert _snapshot() == before, (url, label)


# --- What agency administrators may read ------------------------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=_label)
def test_agency_admin_pages_never_name_another_agency(client, world, agency_admin, model):
    client.force_login(agency_admin)
    own, _foreign = own_and_foreign(world, model)
    # The add page also takes its initial values from the query string: try the foreign ids.
    prefill = {}
    for field in model._meta.get_fields():
        if field.is_relation and field.concrete and not field.auto_created:
            foreign = _foreign_for(world, field.related_model)
            if foreign is not None:
                prefill[field.name] = str(foreign.pk)
    urls = [
        _url(model, "changelist"),
        _url(model, "add"),
        f"{_url(model, 'add')}?{urlencode(prefill)}",
    ]
    if own is not None:
        urls.append(_url(model, "change", own))
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            continue
        content = response.content.decode()
        for name in _foreign_names(world):
            assert name not in content, (url, name)


@pytest.mark.parametrize("model", MODELS, ids=_label)
def test_autocomplete_offers_only_the_agencys_rows(client, world, agency_admin, model):
    model_admin = admin.site._registry[model]
    client.force_login(agency_admin)
    for field_name in model_admin.autocomplete_fields:
        related = model._meta.get_field(field_name).related_model
        foreign = _foreign_for(world, related)
        response = client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": field_name,
                "term": "",
            },
        )
        if response.status_code == 403:
            continue
        assert response.status_code == 200, (field_name, response.status_code)
        ids = {row["id"] for row in response.json()["results"]}
        if foreign is not None:
            assert str(foreign.pk) not in ids, field_name


@pytest.mark.parametrize("model", MODELS, ids=_label)
def test_bulk_delete_never_reaches_another_agencys_rows(client, world, agency_admin, model):
    _own, foreign = own_and_foreign(world, model)
    if foreign is None:
        pytest.skip("no agency owns rows of this model")
    client.force_login(agency_admin)
    before = _snapshot()
    client.post(
        _url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [foreign.pk], "post": "yes"},
    )
    assert _snapshot() == before


def test_membership_form_offers_the_agencys_people_and_no_national_role(
    client, world, agency_admin, national_admin, evaluator
):
    unplaced = UserFactory(username="pegawai.baru")
    UserFactory(username="superuser.tanpa.peran", is_superuser=True, is_staff=True)
    client.force_login(agency_admin)
    form = client.get(_url(Membership, "add")).context["adminform"].form
    assert set(form.fields["user"].queryset) == {agency_admin, evaluator, unplaced}
    assert not [
        role for role, _label in form.fields["role"].choices if role.startswith("national_")
    ]
    before = Membership.objects.count()
    response = client.post(
        _url(Membership, "add"),
        {"user": unplaced.pk, "agency": world["agency"].pk, "role": Role.NATIONAL_ADMIN},
    )
    assert response.status_code == 200
    assert any(e.startswith(INVALID_CHOICE) for e in _field_errors(response.context, "role"))
    assert Membership.objects.count() == before


# --- Raw-id fields ----------------------------------------------------------------------------


def test_raw_id_widget_names_only_rows_of_the_agency(rf, world, agency_admin):
    """A raw-id field, should an admin use one, says nothing of another agency's row."""
    from units.admin import MembershipAdmin

    class RawIdMembershipAdmin(MembershipAdmin):
        autocomplete_fields = []
        raw_id_fields = ["unit", "user"]

    request = rf.get("/")
    request.user = agency_admin
    model_admin = RawIdMembershipAdmin(Membership, admin.site)
    form_class = model_admin.get_form(request, world["membership"])
    for field_name in ("unit", "user"):
        assert isinstance(form_class.base_fields[field_name].widget, ForeignKeyRawIdWidget)
    foreign = form_class(
        data={"user": world["foreign_user"].pk, "unit": world["foreign_unit"].pk},
        instance=world["membership"],
    )
    html = str(foreign["unit"]) + str(foreign["user"])
    assert world["foreign_unit"].name not in html
    assert world["foreign_user"].username not in html
    assert not foreign.is_valid()
    assert {"unit", "user"} <= set(foreign.errors)
    own = form_class(data={"unit": world["unit"].pk}, instance=world["membership"])
    assert world["unit"].name in str(own["unit"])


# --- The national result ----------------------------------------------------------------------


def test_agency_admin_cannot_set_the_national_result(client, world, agency_admin):
    item = world["item"]
    url = _url(SubmissionItem, "change", item)
    client.force_login(agency_admin)
    page = client.get(url)
    assert page.status_code == 200  # their own proposal, to read
    form = page.context["adminform"].form
    national = {"result", "proposed_predicate", "tpn_pengungkit", "tpn_hasil", "tpn_total"}
    assert national.isdisjoint(form.fields)
    response = client.post(url, {"result": "WBBM", "proposed_predicate": "WBBM", "tpn_total": "99"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert (item.result, item.proposed_predicate, item.tpn_total) == ("", "WBK", None)


def test_a_wbk_proposal_cannot_be_given_a_wbbm_result_in_admin(client, world, national_admin):
    item = world["item"]
    url = _url(SubmissionItem, "change", item)
    client.force_login(national_admin)
    data = _form_data(client.get(url).context)
    response = client.post(url, {**data, "result": "WBBM"})
    assert response.status_code == 200
    assert "WBBM" in " ".join(_field_errors(response.context, "result"))
    item.refresh_from_db()
    assert item.result == ""
    data["result"] = "WBK"
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.result == Predicate.WBK


def test_agency_admin_cannot_publish_an_award_in_admin(client, world, agency_admin):
    client.force_login(agency_admin)
    before = Award.objects.count()
    response = client.post(
        _url(Award, "add"),
        {
            "unit": world["unit"].pk,
            "predicate": "WBK",
            "year": "2025",
            "decree_number": "SK-1/2025",
            "decree_date": "2025-12-09",
            "is_published": "on",
        },
    )
    assert response.status_code == 403
    assert Award.objects.count() == before
