"""Demo data for development: `manage.py seed_demo` (refuses to run with DEBUG off)."""
