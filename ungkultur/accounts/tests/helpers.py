import re

from django.core import mail
from django.utils import timezone

from ungkultur.municipalities.models import Municipality

YOUTH_PASSWORD = "Et-godt-passord-77"


def this_year():
    return timezone.localdate().year


def registration_data(*, age, **overrides):
    data = {
        "first_name": "Nora",
        "nickname": "",
        "email": "nora@example.org",
        "password1": YOUTH_PASSWORD,
        "password2": YOUTH_PASSWORD,
        "birth_year": str(this_year() - age),
        "gender": "female",
        "municipality": str(Municipality.objects.get(code="4203").pk),
        "accept": "on",
        "guardian_name": "",
        "guardian_email": "",
    }
    data.update(overrides)
    return data


def guardian_link(message=None):
    """The site-relative confirmation path in the guardian's e-mail."""
    message = message or mail.outbox[-1]
    return re.search(r"https?://[^/\s]+(/konto/foresatt/bekreft/\S+/)", message.body).group(1)
