from django.apps import AppConfig


class UkmConfig(AppConfig):
    """The municipality's local UKM event and its entries (innslag)."""

    name = "ungkultur.ukm"
    label = "ukm"
