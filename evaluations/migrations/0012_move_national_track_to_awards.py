"""The national track's models now belong to awards (awards 0005 took them over, with their tables
and rows): drop them from evaluations' state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0011_evaluation_agency"),
        ("awards", "0005_move_national_track"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # Models that point at others go first, so that every intermediate state resolves.
            state_operations=[
                migrations.DeleteModel(name="HistoricalNationalStage"),
                migrations.DeleteModel(name="NationalStage"),
                migrations.DeleteModel(name="HistoricalSubmissionItem"),
                migrations.DeleteModel(name="SubmissionItem"),
                migrations.DeleteModel(name="HistoricalSubmission"),
                migrations.DeleteModel(name="Submission"),
                migrations.DeleteModel(name="ProposalWindow"),
            ],
            database_operations=[],
        ),
    ]
