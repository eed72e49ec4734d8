from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    """Youth participation: proposals and their answers, youth budget, quick polls."""

    name = "ungkultur.participation"
    label = "participation"
