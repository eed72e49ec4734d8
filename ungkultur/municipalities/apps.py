from django.apps import AppConfig


class MunicipalitiesConfig(AppConfig):
    name = "ungkultur.municipalities"
    label = "municipalities"
