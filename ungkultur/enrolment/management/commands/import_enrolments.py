from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungkultur.enrolment.importers import HEADER, EnrolmentImportError, enrolments_import
from ungkultur.lib.import_errors import import_error_text
from ungkultur.organisations.models import Unit


class Command(BaseCommand):
    help = gettext_lazy(
        "Importerer påmeldinger til en enhet fra en CSV-fil med overskriften %(header)s. "
        "Tilbud som ikke finnes, blir lagret som utkast. Er noe feil i filen, blir ingenting "
        "lagret."
    ) % {"header": ",".join(HEADER)}

    def add_arguments(self, parser):
        parser.add_argument("file", help=gettext_lazy("filen som skal importeres"))
        parser.add_argument(
            "--unit", type=int, required=True, help=gettext_lazy("id-en til enheten")
        )

    def handle(self, *args, file, unit, **options):
        try:
            unit_obj = Unit.objects.select_related("municipality").get(pk=unit)
        except Unit.DoesNotExist:
            raise CommandError(_("Fant ingen enhet med id %(id)s.") % {"id": unit}) from None
        try:
            with open(file, "rb") as binary:
                report = enrolments_import(
                    actor=None, unit=unit_obj, file=binary, now=timezone.now()
                )
        except OSError as error:
            raise CommandError(
                _("Kan ikke lese %(path)s: %(reason)s") % {"path": file, "reason": error.strerror}
            ) from error
        except EnrolmentImportError as error:
            raise CommandError(import_error_text(error.errors, error.total)) from error
        self.stdout.write(self.style.SUCCESS(report.summary()))
