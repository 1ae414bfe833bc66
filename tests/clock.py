"""The moment every test (but the browser tests) runs at, so that none depends on the real date.

Inside a proposal window (they close at the end of May), on a working day in Jakarta. The clock
ticks on from there: durations and orderings within a test stay real.
"""

import datetime
from zoneinfo import ZoneInfo

NOW = datetime.datetime(2026, 4, 15, 9, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
TODAY = NOW.date()
