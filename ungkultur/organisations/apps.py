from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "ungkultur.organisations"
    label = "organisations"
