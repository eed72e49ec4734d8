from django.core.management.base import BaseCommand
from django.utils import timezone

from ungkultur.demo.seed import PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Load the fictional demo data for the five pilot municipalities (idempotent)."

    def handle(self, *args, **options):
        logins = seed_demo(today=timezone.localdate())
        self.stdout.write(self.style.SUCCESS("Demodata er på plass (alle personer er oppdiktet)."))
        self.stdout.write(f"Demo-innlogging, passord for alle: {PASSWORD}")
        width = max(len(login.role) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.role.ljust(width)}  {login.email}")
