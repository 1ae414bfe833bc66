"""Signals the services send for apps above them, which this app may not import."""

from django.dispatch import Signal

# Sent by the services, inside the transaction of a change that moves an agency's figures (a
# score, a status, evidence, an award, a unit moved), with `agency_ids` and `years` (None: every
# year). The dashboards listen: they recompute the figures they keep once the change commits.
figures_moved = Signal()
