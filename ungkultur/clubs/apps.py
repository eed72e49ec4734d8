from django.apps import AppConfig


class ClubsConfig(AppConfig):
    """Youth club opening evenings with anonymous headcounts (no names)."""

    name = "ungkultur.clubs"
    label = "clubs"
