"""Background jobs of the evaluations app (Celery).

Each job takes ids, reads its rows again and writes what it makes to the database or to storage;
nobody waits on a return value. Without a broker (`make run`, the tests) a job runs in the
process that queues it, as that transaction commits; with one, `make worker` runs it.
"""

import logging

from celery import shared_task

from evaluations import services

logger = logging.getLogger(__name__)


@shared_task(name="evaluations.rubric_rescore")
def rubric_rescore(rubric_id: int) -> None:
    """Rescore every evaluation on a rubric version, after an edit in the admin."""
    try:
        count = services.rubric_rescore(rubric_id=rubric_id)
    except Exception:
        # Not raised: without a broker the job runs as the admin's edit commits, and the edit
        # stands. The check command repairs whatever is left.
        logger.exception(
            "Rescoring rubric version %s stopped; run manage.py check_scores --repair.",
            rubric_id,
        )
        return
    logger.info("Rescored rubric version %s: %s stored levels changed.", rubric_id, count)
