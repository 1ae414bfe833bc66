"""Benchmarks, run from the command line (not an installed app): `python -m bench.loadtest` is
the peak-week load test (make loadtest), `python -m bench.scoring` times scoring one evaluation."""
