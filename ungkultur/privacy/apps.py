from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Retention of personal data: the yearly purge that keeps only what statistics need."""

    name = "ungkultur.privacy"
    label = "privacy"
