from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zi_portal import demo_data, demo_evaluations


class Command(BaseCommand):
    help = "Load a small, realistic demo dataset (development only)."

    def handle(self, *args, **options):
        # Demo accounts share one known password: never on a production database.
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs with DEBUG on: it creates accounts with a known password."
            )
        accounts = demo_data.seed_small()
        made = demo_evaluations.seed_evaluations(units=demo_evaluations.demo_units())
        if made:
            self.stdout.write(f"Demo evaluations created: {made}")
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo accounts:"))
        for username, role, scope in accounts:
            self.stdout.write(f"  {username:<20} {role:<28} {scope}")
        self.stdout.write(f"Password for every demo account: {demo_data.DEMO_PASSWORD}")
