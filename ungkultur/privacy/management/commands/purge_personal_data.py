from django.core.management.base import BaseCommand
from django.utils import timezone

from ungkultur.privacy.services import personal_data_purge


class Command(BaseCommand):
    help = (
        "Pseudonymise accounts and hand-added participants past their retention, clear old UKM "
        "contact details and delete import jobs older than a week."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be purged, change nothing"
        )

    def handle(self, *args, dry_run, **options):
        report = personal_data_purge(now=timezone.now(), dry_run=dry_run)
        verb = "Ville blitt anonymisert" if dry_run else "Anonymisert"
        self.stdout.write(
            f"{verb}: {len(report.closed)} avsluttede kontoer, "
            f"{len(report.unconfirmed)} registreringer foresatte aldri bekreftet, "
            f"{len(report.inactive)} kontoer uten aktivitet."
        )
        self.stdout.write(f"Kontaktopplysninger fjernet fra {report.ukm_contacts} UKM-deltakere.")
        self.stdout.write(
            f"Navn og e-post fjernet fra {len(report.participants)} deltakere uten konto "
            f"lagt til av ansatte; {report.import_jobs} gamle importjobber slettet."
        )
