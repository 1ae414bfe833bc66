"""`python -m bench`: the page bench of `make bench` (see pages.py)."""

import sys

from bench.pages import main

sys.exit(main())
