from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """Questionnaires, waves, anonymous access codes, protected results, research exports."""

    name = "ungkultur.surveys"
    label = "surveys"
