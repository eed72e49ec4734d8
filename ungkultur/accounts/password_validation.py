"""Django's minimum-length message has no bokmål or nynorsk in Django's own catalogues (its
text changed in Django 5.x and the nb/nn translations were not updated), so it showed in
English on Norwegian pages. The same rule, with its message in this project's catalogues."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "Passordet er for kort. Det må ha minst %(min_length)d tegn.",
            "Passordet er for kort. Det må ha minst %(min_length)d tegn.",
            self.min_length,
        ) % {"min_length": self.min_length}
