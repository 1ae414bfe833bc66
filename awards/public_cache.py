"""The public list's pages and filter choices, kept until what they show changes.

The public list is what everyone reads when KemenPANRB announces its awards, and it changes a few
times a year. Its page query sorts the year's awards by agency and unit name (joining every
award to its unit) and counts them, ~4 ms of PostgreSQL and ORM time on every view. Here each
page is kept under the token of STAMP (zi_portal/stamps.py), which every committed change to an
award, a unit or an agency replaces (signals.py).
"""

from zi_portal.stamps import Stamp

STAMP = Stamp("public-awards")
