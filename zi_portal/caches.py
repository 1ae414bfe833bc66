"""What kind of cache the portal was given."""

from django.conf import settings


def per_process_cache() -> bool:
    """Whether each process keeps its own cache (nothing one stores reaches another)."""
    return settings.CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache"))
