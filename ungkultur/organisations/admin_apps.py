"""The admin app with our site (ungkultur/organisations/admin_site.py). Named in INSTALLED_APPS,
so it imports nothing that needs the app registry."""

from django.contrib.admin.apps import AdminConfig


class UngkulturAdminConfig(AdminConfig):
    default_site = "ungkultur.organisations.admin_site.UngkulturAdminSite"
