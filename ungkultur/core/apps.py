from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The site shell: base layout, system checks, the audit log and e-mail tasks."""

    name = "ungkultur.core"
    label = "core"

    def ready(self):
        from ungkultur.core import checks  # noqa: F401  (registers the checks)
