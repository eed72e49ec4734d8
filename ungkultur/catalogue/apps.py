from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    """Offers of all services in one place: venues, offers, schedules, sessions, search, feeds."""

    name = "ungkultur.catalogue"
    label = "catalogue"
