from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungkultur.lib.import_errors import import_error_text
from ungkultur.surveys.xlsform import XLSFormError, import_xlsform


class Command(BaseCommand):
    help = gettext_lazy(
        "Importerer et spørreskjema fra en XLSForm-fil (.xlsx med arkene survey, choices og "
        "settings) som et utkast. Er noe i filen som ikke kan brukes, blir ingenting lagret."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=gettext_lazy("filen som skal importeres"))
        parser.add_argument("--title", default="", help=gettext_lazy("tittel på spørreskjemaet"))

    def handle(self, *args, file, title, **options):
        try:
            with open(file, "rb") as binary:
                data = binary.read()
        except OSError as error:
            raise CommandError(
                _("Kan ikke lese %(path)s: %(reason)s") % {"path": file, "reason": error.strerror}
            ) from error
        try:
            questionnaire = import_xlsform(actor=None, data=data, title=title, now=timezone.now())
        except XLSFormError as error:
            raise CommandError(import_error_text(error.errors, len(error.errors))) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Importerte «%(title)s» (id %(id)s) med %(count)s spørsmål.")
                % {
                    "title": questionnaire.title,
                    "id": questionnaire.pk,
                    "count": questionnaire.questions.count(),
                }
            )
        )
