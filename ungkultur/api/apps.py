from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ungkultur.api"
    label = "api"
