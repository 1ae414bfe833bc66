from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Awards")

    def ready(self):
        from evaluations import selectors as evaluation_selectors

        from . import selectors

        # Evaluations judges scores against the predicates a unit holds, which awards records.
        evaluation_selectors.register_predicates_held(
            selectors.predicates_held, selectors.predicates_held_for
        )
