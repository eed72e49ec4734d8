from django.urls import path

from ungkultur.meetings import views

app_name = "meetings"
urlpatterns = [
    path("moter/nasjonalt/", views.national_events, name="national_events"),
    path("moter/nasjonalt/nytt/", views.event_create_national, name="event_create_national"),
    path("moter/kommune/<str:code>/", views.municipality_events, name="municipality_events"),
    path("moter/nasjonalt/moter.ics", views.national_feed, name="national_feed"),
    path("moter/kommune/<str:code>/moter.ics", views.municipality_feed, name="municipality_feed"),
    path("moter/kommune/<str:code>/nytt/", views.event_create_local, name="event_create"),
    path(
        "moter/kommune/<str:code>/ressursgruppen/",
        views.youth_attendance,
        name="youth_attendance",
    ),
    path("moter/<int:pk>/", views.event_detail, name="event_detail"),
    path("moter/<int:pk>/endre/", views.event_edit, name="event_edit"),
    path("moter/<int:pk>/arrangorer/", views.organiser_add, name="organiser_add"),
    path("moter/<int:pk>/sporsmal/", views.question_add, name="question_add"),
    path("moter/<int:pk>/flytt/", views.event_move, name="event_move"),
    path("moter/<int:pk>/avlys/", views.event_cancel, name="event_cancel"),
    path("moter/<int:pk>/inviter/", views.event_invite, name="event_invite"),
    path("moter/<int:pk>/inviter-ansatte/", views.event_invite_staff, name="event_invite_staff"),
    path("moter/<int:pk>/pamelding/", views.register, name="register"),
    path("moter/<int:pk>/avmelding/", views.unregister, name="unregister"),
    path("moter/<int:pk>/pameldte/", views.registrations, name="registrations"),
    path("moter/<int:pk>/saksliste/", views.agenda_item_add, name="agenda_item_add"),
    path("moter/sak/<int:pk>/opp/", views.agenda_item_up, name="agenda_item_up"),
    path("moter/sak/<int:pk>/ned/", views.agenda_item_down, name="agenda_item_down"),
    path("moter/sak/<int:pk>/fjern/", views.agenda_item_remove, name="agenda_item_remove"),
    path(
        "moter/forslag/<int:proposal_pk>/saksliste/",
        views.proposal_to_agenda,
        name="proposal_to_agenda",
    ),
    path("moter/<int:pk>/oppmote/", views.attendance, name="attendance"),
    path("moter/<int:pk>/referat/", views.minutes, name="minutes"),
    path("moter/<int:pk>/referat/lagre/", views.minutes_save, name="minutes_save"),
    path("moter/<int:pk>/vedtak/", views.decision_add, name="decision_add"),
    path("vedtak/<int:pk>/endre/", views.decision_edit, name="decision_edit"),
    path("moter/<int:pk>/referat/godkjenn/", views.minutes_approve, name="minutes_approve"),
    path("moter/<int:pk>/oppfolging/", views.action_item_add, name="action_item_add"),
    path(
        "moter/oppfolging/<int:pk>/status/",
        views.action_item_status,
        name="action_item_status",
    ),
]
