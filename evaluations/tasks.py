"""Background jobs of the evaluations app (Celery).

Each job takes ids, reads its rows again and writes what it makes to the database or to storage;
nobody waits on a return value. Without a broker (`make run`, the tests) a job runs in the
process that queues it, as that transaction commits; with one, `make worker` runs it.
"""

import logging

from celery import shared_task

from evaluations import services
from evaluations.workbook import bulk

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


# A bulk export takes ~0.5 s an LKE on one core (its workbook, and its LHE unless cached): about
# 5 minutes for the largest agency (646 LKEs a year). The soft limit stops one that runs far
# longer, marked failed, well before Redis hands an unacknowledged job to another worker (1 h).
@shared_task(name="evaluations.bulk_export_build", soft_time_limit=30 * 60, time_limit=32 * 60)
def bulk_export_build(export_id: int) -> None:
    """Build the zip of a bulk export (every LKE workbook and LHE of an agency's year)."""
    bulk.bulk_export_build(export_id=export_id)


@shared_task(name="evaluations.bulk_exports_purge")
def bulk_exports_purge() -> None:
    """Delete the bulk exports older than BULK_EXPORT_KEEP_DAYS (on the beat schedule)."""
    count = bulk.bulk_exports_purge()
    if count:
        logger.info("Deleted %s old bulk exports.", count)
