from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "ungkultur.onboarding"
    verbose_name = _("Kom i gang")
