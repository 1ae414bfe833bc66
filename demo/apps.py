from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Development data only: the `seed_demo` command and what it loads (no models)."""

    name = "demo"
