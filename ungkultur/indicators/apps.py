from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    """Indicator definitions (docs/indicators.md), their computation and the dashboards."""

    name = "ungkultur.indicators"
    label = "indicators"

    def ready(self):
        from ungkultur.indicators import signals

        signals.connect()
