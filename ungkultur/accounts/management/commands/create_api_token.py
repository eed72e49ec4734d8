from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ungkultur.accounts.models import User
from ungkultur.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create a personal API token for a user (by e-mail) and print it once."

    def add_arguments(self, parser):
        parser.add_argument("username", help="The user's e-mail address.")
        parser.add_argument("--name", default="Kommandolinje", help="A name for the token.")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(email__iexact=username.strip()).first()
        if user is None:
            raise CommandError(f"No user with the e-mail address {username!r}.")
        if not user.is_active:
            raise CommandError(f"The user {username!r} is not active.")
        try:
            token, raw = api_token_create(user=user, name=name, now=timezone.now())
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stderr.write(
            f"Created token {token.prefix}… ({token.name}) for {user.email}. "
            "Copy it now: it is not stored and cannot be shown again."
        )
        self.stdout.write(raw)
