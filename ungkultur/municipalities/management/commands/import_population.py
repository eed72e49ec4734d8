from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ungkultur.municipalities.importers import PopulationImportError, population_import

SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = gettext_lazy(
        "Importerer befolkningstall fra SSB-tabell 07459: et JSON-stat 2.0-datasett eller en "
        "CSV-fil med overskriften municipality_code,year,sex,age,persons. Er noe feil i filen, "
        "blir ingenting lagret. Celler i JSON-stat telles fra 0, som i «value»."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=gettext_lazy("filen som skal importeres"))

    def handle(self, *args, file, **options):
        try:
            report = population_import(path=file, now=timezone.now())
        except OSError as error:
            raise CommandError(
                _("Kan ikke lese %(path)s: %(reason)s") % {"path": file, "reason": error.strerror}
            ) from error
        except PopulationImportError as error:
            raise CommandError(error_text(error)) from error
        self.stdout.write(self.style.SUCCESS(report.summary()))


def error_text(error: PopulationImportError) -> str:
    lines = [
        ngettext(
            "Ingenting ble importert: %(count)s feil i filen.",
            "Ingenting ble importert: %(count)s feil i filen.",
            error.total,
        )
        % {"count": error.total}
    ]
    lines += [f"  {message}" for message in error.errors[:SHOWN_ERRORS]]
    rest = error.total - min(len(error.errors), SHOWN_ERRORS)
    if rest:
        lines.append(_("  … og %(count)s feil til.") % {"count": rest})
    return "\n".join(lines)
