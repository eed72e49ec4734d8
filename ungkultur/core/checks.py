from django.conf import settings
from django.core.checks import Error, register


@register(deploy=False)
def production_settings_check(app_configs, **kwargs):
    """Refuse to run in production without a real secret key or with debug on."""
    if not settings.PRODUCTION:
        return []
    errors = []
    if not settings.SECRET_KEY or settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        errors.append(
            Error(
                "DJANGO_SECRET_KEY is not set for production.",
                hint="Set DJANGO_SECRET_KEY to a long random value.",
                id="ungkultur.E001",
            )
        )
    if settings.DEBUG:
        errors.append(
            Error(
                "DEBUG is on in production.",
                hint="Unset DJANGO_DEBUG or set it to 0.",
                id="ungkultur.E002",
            )
        )
    if not getattr(settings, "UNGKULTUR_PERSON_REF_KEY", ""):
        errors.append(
            Error(
                "UNGKULTUR_PERSON_REF_KEY is not set for production.",
                hint="Set it to a long random value and keep it: imported people are linked "
                "across imports by a hash keyed with it.",
                id="ungkultur.E003",
            )
        )
    return errors
