"""The rubric as data: its files, the per-process snapshot, and scoring (pure)."""
