import argparse
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import data, evaluations, national, track
from evaluations import selectors
from evaluations.models import Evaluation


class Command(BaseCommand):
    help = (
        "Load demo data (development only): --scale small (default) is what `make run` loads; "
        "--scale national loads ~600 agencies, ~20,000 units and years of scored LKEs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["small", "national"], default="small")
        parser.add_argument("--years", type=int, default=5, help="National: years of LKEs.")
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed: people's names; national data."
        )
        parser.add_argument(
            "--last-year", type=int, default=2025, help="National: the most recent LKE year."
        )
        # For tests and quick tries: a smaller national dataset with the same proportions.
        parser.add_argument(
            "--units", type=int, default=national.FULL_UNITS, help=argparse.SUPPRESS
        )

    def handle(self, *args, scale, years, seed, last_year, units, **options):
        # Demo accounts share one known password: never on a production database.
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs with DEBUG on: it creates accounts with a known password."
            )
        if scale == "national" and national.national_data_exists(self._small_codes()):
            raise CommandError(
                "National demo data is already loaded here (agencies beyond the small demo "
                "exist). Use a fresh database, or flush this one, to load it again."
            )
        started = time.monotonic()
        accounts = data.seed_small(seed=seed)
        made = evaluations.seed_evaluations(units=evaluations.demo_units())
        if made:
            self.stdout.write(f"Demo evaluations created: {made}")
        proposed = track.seed_track()
        if proposed:
            self.stdout.write(f"Demo units proposed to KemenPANRB: {proposed}")
        if scale == "national":
            if years < 1 or units < 10:
                raise CommandError("--years must be at least 1 and --units at least 10.")
            try:
                plan, counts, planned = national.seed_national(
                    units=units,
                    years=years,
                    seed=seed,
                    last_year=last_year,
                    small_codes=self._small_codes(),
                    stdout=self.stderr._out,
                )
            except national.NationalDataExists as error:
                raise CommandError(str(error)) from None
            accounts += national.national_accounts(plan, data.DEMO_PASSWORD)
            elapsed = time.monotonic() - started
            self.stdout.write(
                "National data loaded in {:.0f} s (planning {:.0f} s): {}.".format(
                    elapsed, planned, ", ".join(f"{n:,} {what}" for what, n in counts.items())
                )
            )
            for year in plan.years:
                awarded = [a for a in plan.awards if a[1] == year]
                wbk = sum(1 for a in awarded if a[2] == "WBK")
                self.stdout.write(
                    f"  {year}: {plan.proposed[year]:,} proposed, {wbk:,} WBK, "
                    f"{len(awarded) - wbk:,} WBBM, {sum(1 for a in awarded if a[5]):,} revoked"
                )
        # Bulk loads write answers and evidence without the services that keep the count.
        Evaluation.objects.update(evidence_missing=selectors.evidence_missing_count())
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo accounts:"))
        for username, role, scope in accounts:
            self.stdout.write(f"  {username:<20} {role:<28} {scope}")
        self.stdout.write(f"Password for every demo account: {data.DEMO_PASSWORD}")

    def _small_codes(self):
        return [code for code, *_rest in data.AGENCIES]
