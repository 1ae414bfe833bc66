"""The rubric in Django admin: the tree listed indented with its weights, filterable."""

from django.urls import reverse

from evaluations import selectors
from evaluations.rubric import files as rubric_files


def test_criteria_list_shows_the_tree_indented_with_weights(admin_client, rubric):
    response = admin_client.get(reverse("admin:evaluations_criterion_changelist"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<span style="padding-left: 6.0em">A.I.1.i.a</span>' in content
    assert "17,5000" in content  # IPAK's weight, in Indonesian number format


def test_criteria_list_filters_by_version_and_kind(admin_client, rubric):
    url = reverse("admin:evaluations_criterion_changelist")
    response = admin_client.get(url, {"rubric__id__exact": rubric.pk, "kind__exact": "input"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 24


def test_question_page_shows_its_options(admin_client, rubric):
    question = rubric.criteria.get(code="B.I.b")
    response = admin_client.get(reverse("admin:evaluations_criterion_change", args=[question.pk]))
    assert response.status_code == 200
    assert "Target utama terlampaui" in response.content.decode()


def test_rubric_version_page_lists_its_thresholds(admin_client, rubric):
    response = admin_client.get(reverse("admin:evaluations_rubricversion_change", args=[rubric.pk]))
    assert response.status_code == 200
    assert "birokrasi_bersih" in response.content.decode()


def test_evaluation_and_answer_lists_open(admin_client, rubric):
    for name in ("evaluation", "answer", "threshold"):
        response = admin_client.get(reverse(f"admin:evaluations_{name}_changelist"))
        assert response.status_code == 200, name


def test_rubric_from_the_database_equals_the_shipped_files(rubric):
    from_files = rubric_files.read_rubric(rubric_files.version_folder()).spec
    from_db = selectors.rubric_spec(rubric=rubric)
    assert from_db.criteria == from_files.criteria
    assert from_db.coefficients == from_files.coefficients
