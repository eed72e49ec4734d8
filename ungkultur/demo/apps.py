from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The fictional demo population that `make run` loads (seed_demo)."""

    name = "ungkultur.demo"
    label = "demo"
