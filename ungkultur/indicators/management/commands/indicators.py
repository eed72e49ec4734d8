import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from ungkultur.indicators.selectors import indicator_report
from ungkultur.indicators.services import indicators_refresh
from ungkultur.lib import spreadsheet
from ungkultur.lib.terms import Term
from ungkultur.municipalities.models import Municipality
from ungkultur.municipalities.selectors import municipality_by_any_code

CSV_FIELDS = [
    "municipality",
    "term",
    "key",
    "breakdown",
    "value",
    "numerator",
    "denominator",
    "unit",
    "suppressed",
    "missing",
]


class Command(BaseCommand):
    help = (
        "Compute and store the indicators of a municipality (--municipality CODE) or of every "
        "municipality (--all) for a term, and print them as JSON or CSV: the same figures as "
        "the dashboard and the API. --stored prints what is stored without computing."
    )

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--municipality", metavar="CODE")
        scope.add_argument("--all", action="store_true")
        parser.add_argument("--term", help="2024H (autumn) or 2025V (spring); default: now")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--stored", action="store_true")

    def handle(self, *args, **options):
        now = timezone.now()
        try:
            term = (
                Term.parse(options["term"])
                if options["term"]
                else Term.containing(timezone.localdate(now))
            )
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        if options["all"]:
            municipalities = list(Municipality.objects.order_by("code"))
        else:
            found = municipality_by_any_code(options["municipality"])
            if found is None:
                raise CommandError(
                    _("Fant ingen kommune med nummeret %(code)s.")
                    % {"code": options["municipality"]}
                )
            municipalities = [found]
        if not options["stored"]:
            indicators_refresh(
                municipality=None if options["all"] else municipalities[0], terms=[term], now=now
            )
        reports = [indicator_report(m, term) for m in municipalities]
        if options["format"] == "csv":
            self._csv(reports)
        elif options["all"]:
            self.stdout.write(
                json.dumps(
                    {"term": str(term), "municipalities": reports}, indent=1, ensure_ascii=False
                )
            )
        else:
            self.stdout.write(json.dumps(reports[0], indent=1, ensure_ascii=False))

    def _csv(self, reports):
        # Inert: the CSV may be opened in a spreadsheet (lib/spreadsheet.py).
        writer = spreadsheet.csv_dict_writer(self.stdout, CSV_FIELDS, extrasaction="ignore")
        writer.writeheader()
        for report in reports:
            for row in report["indicators"]:
                writer.writerow(
                    {**row, "municipality": report["municipality"]["code"], "term": report["term"]}
                )
