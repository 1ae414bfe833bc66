import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from demo.data import DEMO_PASSWORD
from units.models import Agency, Membership, Role, Unit

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_to_run_with_debug_off():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not Agency.objects.exists()


@override_settings(DEBUG=True)
def test_seed_demo_creates_agencies_of_every_kind_and_one_user_per_role(capsys):
    call_command("seed_demo")
    assert set(Agency.objects.values_list("kind", flat=True)) == set(Agency.Kind.values)
    assert Unit.objects.count() >= 10
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    output = capsys.readouterr().out
    assert DEMO_PASSWORD in output
    for username in Membership.objects.values_list("user__username", flat=True):
        assert username in output
        assert get_user_model().objects.get(username=username).check_password(DEMO_PASSWORD)


@override_settings(DEBUG=True)
def test_seed_demo_can_run_twice_without_duplicates():
    call_command("seed_demo")
    counts = (Agency.objects.count(), Unit.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert (Agency.objects.count(), Unit.objects.count(), Membership.objects.count()) == counts


@override_settings(DEBUG=True)
def test_seed_demo_creates_scored_evaluations_in_several_statuses(rubric):
    from evaluations.models import Evaluation, EvaluationScore

    call_command("seed_demo")
    statuses = set(Evaluation.objects.values_list("status", flat=True))
    assert {"draft", "tpi_review", "tpi_final"} <= statuses
    final = Evaluation.objects.filter(status="tpi_final")
    assert final.exists()
    assert EvaluationScore.objects.filter(
        evaluation__in=final, level="tpi", complete=True
    ).count() == (final.count())


@override_settings(DEBUG=True)
def test_seed_demo_names_its_accounts_after_the_seed():
    def people():
        users = get_user_model().objects.order_by("username")
        return list(users.values_list("first_name", "last_name"))

    call_command("seed_demo", seed=1)
    named = people()
    assert all(first and last for first, last in named)
    call_command("seed_demo", seed=1)
    assert people() == named
    call_command("seed_demo", seed=2)
    assert people() != named


@override_settings(DEBUG=True)
def test_seed_demo_gives_every_national_role_a_track_to_work_on(rubric):
    from awards.models import Award, Objection, SubmissionItem
    from zi_portal import access

    call_command("seed_demo")
    call_command("seed_demo")  # once only
    tpn = get_user_model().objects.get(username="tpn.demo")
    on_track = access.submission_items_for(tpn)
    assert [item.evaluation.status for item in on_track] == ["desk_evaluation"]
    assert access.editable_levels(tpn, on_track.get().evaluation) == {"tpn"}
    assert Objection.objects.get().status == "pending"
    award = Award.objects.get()
    assert award.announcement.is_published and award.is_published
    assert award.submission_item.result == award.predicate
    assert SubmissionItem.objects.count() == 3
