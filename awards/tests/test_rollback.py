"""A proposal that fails midway rolls back completely: no item, no status change, no log."""

import datetime

import pytest
from django.db import IntegrityError

from awards import services
from awards.models import Submission, SubmissionItem
from evaluations.tests.factories import tpi_final
from evaluations.tests.test_rollback import account_deleted_mid_request, snapshot

from .proposal_helpers import cover


@pytest.mark.django_db(transaction=True)
def test_a_proposal_that_fails_midway_leaves_no_item_no_status_and_no_log(
    rubric, agency, unit, agency_admin
):
    cover(agency)
    evaluation = tpi_final(unit, 2025)
    submission = Submission.objects.create(agency=agency, year=2025)
    account_deleted_mid_request(agency_admin)
    before = snapshot(evaluation)
    with pytest.raises(IntegrityError):
        services.submission_item_add(
            submission=submission,
            evaluation=evaluation,
            predicate="WBK",
            by=agency_admin,
            today=datetime.date(2025, 4, 1),
        )
    assert snapshot(evaluation) == before
    assert not SubmissionItem.objects.exists()
