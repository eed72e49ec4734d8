from django.apps import AppConfig


class EnrolmentConfig(AppConfig):
    """Who takes part in what: applications, waiting lists, enrolments and their end, attendance."""

    name = "ungkultur.enrolment"
    label = "enrolment"
