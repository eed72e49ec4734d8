from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ungkultur.accounts"
    label = "accounts"
