from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungkultur.lib.import_errors import import_error_text
from ungkultur.municipalities.importers import PopulationImportError, population_import
from ungkultur.municipalities.selectors import municipality_by_any_code


class Command(BaseCommand):
    help = gettext_lazy(
        "Importerer befolkningstall fra SSB-tabell 07459: et JSON-stat 2.0-datasett eller en "
        "CSV-fil med overskriften municipality_code,year,sex,age,persons. Er noe feil i filen, "
        "blir ingenting lagret. Celler i JSON-stat telles fra 0, som i «value»."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=gettext_lazy("filen som skal importeres"))
        parser.add_argument(
            "--municipality",
            metavar="CODE",
            help=gettext_lazy(
                "bare denne kommunens tall: en fil med tall for andre kommuner blir avvist, "
                "som på opplastingssiden"
            ),
        )

    def handle(self, *args, file, municipality=None, **options):
        only = None
        if municipality:
            only = municipality_by_any_code(municipality)
            if only is None:
                raise CommandError(_("Ukjent kommunenummer «%(code)s».") % {"code": municipality})
        try:
            report = population_import(path=file, now=timezone.now(), municipality=only)
        except OSError as error:
            raise CommandError(
                _("Kan ikke lese %(path)s: %(reason)s") % {"path": file, "reason": error.strerror}
            ) from error
        except PopulationImportError as error:
            raise CommandError(import_error_text(error.errors, error.total)) from error
        self.stdout.write(self.style.SUCCESS(report.summary()))
