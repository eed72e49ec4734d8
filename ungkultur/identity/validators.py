from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ungkultur.identity.staff import is_staff_person


class StaffPasswordLengthValidator:
    """Staff, national roles and administrators choose passwords of at least 12 characters
    (others the general minimum of 8, AUTH_PASSWORD_VALIDATORS)."""

    def __init__(self, min_length=12):
        self.min_length = min_length

    def validate(self, password, user=None):
        if user is None or len(password) >= self.min_length or not is_staff_person(user):
            return
        raise ValidationError(
            _("Med en rolle som ansatt eller administrator må passordet ha minst %(n)s tegn.")
            % {"n": self.min_length},
            code="staff_password_too_short",
        )

    def get_help_text(self):
        return _("Ansatte og administratorer: minst %(n)s tegn.") % {"n": self.min_length}
