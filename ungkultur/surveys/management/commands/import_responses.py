from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungkultur.lib.import_errors import import_error_text
from ungkultur.municipalities.selectors import municipality_by_any_code
from ungkultur.surveys.importers import ResponseImportError, responses_import
from ungkultur.surveys.models import Wave


class Command(BaseCommand):
    help = gettext_lazy(
        "Importerer svar fra en tidligere undersøkelse til en runde. Kolonnene er "
        "spørreskjemaets variabelnavn, og eventuelt kommunenr og dato. Er noe feil i filen, "
        "blir ingenting lagret; samme fil importeres bare én gang."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=gettext_lazy("filen som skal importeres"))
        parser.add_argument(
            "--wave", type=int, required=True, help=gettext_lazy("id-en til runden")
        )
        parser.add_argument(
            "--municipality",
            help=gettext_lazy("kommunenummer for linjer uten kolonnen kommunenr"),
        )

    def handle(self, *args, file, wave, municipality=None, **options):
        try:
            wave_obj = Wave.objects.select_related("survey__questionnaire").get(pk=wave)
        except Wave.DoesNotExist:
            raise CommandError(_("Fant ingen runde med id %(id)s.") % {"id": wave}) from None
        municipality_obj = None
        if municipality:
            municipality_obj = municipality_by_any_code(municipality)
            if municipality_obj is None:
                raise CommandError(
                    _("Fant ingen kommune med nummeret %(code)s.") % {"code": municipality}
                )
        try:
            with open(file, "rb") as binary:
                report = responses_import(
                    actor=None,
                    wave=wave_obj,
                    file=binary,
                    file_name=str(file).rsplit("/", 1)[-1],
                    municipality=municipality_obj,
                    now=timezone.now(),
                )
        except OSError as error:
            raise CommandError(
                _("Kan ikke lese %(path)s: %(reason)s") % {"path": file, "reason": error.strerror}
            ) from error
        except ResponseImportError as error:
            raise CommandError(import_error_text(error.errors, error.total)) from error
        self.stdout.write(self.style.SUCCESS(report.summary()))
