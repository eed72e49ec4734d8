from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task


@task()
def send_email(*, subject: str, body: str, to: list[str]) -> int:
    """Send one plain-text e-mail. Texts are rendered by the caller, in the user's language."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
