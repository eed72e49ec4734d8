from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "ungkultur.identity"
    label = "identity"
    verbose_name = "Identitet og innlogging"

    def ready(self):
        from ungkultur.identity import middleware  # noqa: F401  (connects the login signal)
