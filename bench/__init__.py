"""Benchmarks, run from the command line (not an installed app): `python -m bench` times the
portal's pages, `python -m bench.scoring` times scoring one evaluation."""
