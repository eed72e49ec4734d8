from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings and events, invitations, minutes and actions; competence orders; collaborations."""

    name = "ungkultur.meetings"
    label = "meetings"
