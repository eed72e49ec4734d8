from django.urls import path

from ungkultur.enrolment import import_views, views

app_name = "enrolment"
urlpatterns = [
    path("enheter/<int:unit_pk>/import/", import_views.enrolment_import, name="import"),
    path("import/mal.csv", import_views.import_template, name="import_template"),
    path("enheter/<int:unit_pk>/import/<int:pk>/", import_views.import_job, name="import_job"),
    path("enheter/<int:unit_pk>/import/koble/", import_views.offer_ref_link, name="offer_ref_link"),
    path("tilbud/<int:pk>/bli-med/", views.join, name="join"),
    path("tilbud/<int:pk>/deltakere/", views.participants, name="participants"),
    path(
        "tilbud/<int:pk>/gjenpamelding/",
        views.reregistration_open,
        name="reregistration_open",
    ),
    path("tilbud/<int:pk>/avlys/", views.offer_cancel, name="offer_cancel"),
    path("tilbud/<int:pk>/tilby-plass/", views.offer_top, name="offer_top"),
    path("tilbud/<int:pk>/legg-til/", views.staff_add, name="staff_add"),
    path(
        "tilbud/<int:pk>/avslutt-soknadsrunden/",
        views.application_round_close,
        name="application_round_close",
    ),
    path("pameldinger/<int:pk>/ta-imot/", views.accept, name="accept"),
    path("pameldinger/<int:pk>/takk-nei/", views.decline, name="decline"),
    path("pameldinger/<int:pk>/meld-pa-igjen/", views.reregister, name="reregister"),
    path("pameldinger/<int:pk>/meld-av/", views.leave, name="leave"),
    path("pameldinger/<int:pk>/tilby-plass/", views.offer_place, name="offer_place"),
    path("pameldinger/<int:pk>/prioritet/", views.set_priority, name="set_priority"),
    path("pameldinger/<int:pk>/flytt/", views.waiting_move, name="waiting_move"),
    path(
        "pameldinger/<int:pk>/importkonflikt/",
        views.resolve_import_conflict,
        name="resolve_import_conflict",
    ),
    path("samlinger/<int:pk>/oppmote/", views.attendance, name="attendance"),
    path("i-dag/", views.today, name="today"),
    path("samlinger/<int:pk>/avlys/", views.session_cancel, name="session_cancel"),
    path("kalender/personlig/ny/", views.calendar_feed_create, name="calendar_feed_create"),
    path(
        "kalender/personlig/trekk-tilbake/",
        views.calendar_feed_revoke,
        name="calendar_feed_revoke",
    ),
    path(
        "kalender/personlig/<str:token>.ics",
        views.personal_calendar,
        name="personal_calendar",
    ),
]
