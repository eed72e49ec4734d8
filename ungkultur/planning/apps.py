from django.apps import AppConfig


class PlanningConfig(AppConfig):
    """Goals (effektmål, delmål, tiltak), milestone and local plans, the annual wheel."""

    name = "ungkultur.planning"
    label = "planning"
