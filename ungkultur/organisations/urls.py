from django.urls import path

from ungkultur.organisations import views, views_people

app_name = "organisations"
urlpatterns = [
    path("", views.home, name="home"),
    path("kommuner/", views.municipality_list, name="municipality_list"),
    path("kommuner/<str:code>/", views.municipality_detail, name="municipality_detail"),
    path(
        "kommuner/<str:code>/kk/aktiver/",
        views_people.municipality_kk_activate,
        name="municipality_kk_activate",
    ),
    path(
        "kommuner/<str:code>/kk/deaktiver/",
        views_people.municipality_kk_deactivate,
        name="municipality_kk_deactivate",
    ),
    # People: unit staff and invitations (ungkultur/organisations/invitations.py).
    path("kommuner/<str:code>/ansatte/", views_people.people, name="staff_list"),
    path("kommuner/<str:code>/invitasjoner/", views_people.people, name="invitation_list"),
    path(
        "kommuner/<str:code>/invitasjoner/ny/",
        views_people.invitation_create,
        name="invitation_create",
    ),
    path(
        "invitasjoner/<int:pk>/send-pa-nytt/",
        views_people.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "invitasjoner/<int:pk>/trekk-tilbake/",
        views_people.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "invitasjoner/<int:pk>/godta/",
        views_people.invitation_accept_own,
        name="invitation_accept_own",
    ),
    path("invitasjon/<str:token>/", views_people.invitation_accept, name="invitation_accept"),
    path("ansatte/<int:pk>/avslutt/", views_people.unit_staff_end_view, name="unit_staff_end"),
    path("nasjonalt/", views.national, name="national"),
    path("grupper/<int:pk>/", views.group_detail, name="group_detail"),
    path("grupper/<int:pk>/medlemmer/ny/", views.membership_add, name="membership_add"),
    path("medlemskap/<int:pk>/avslutt/", views.membership_end, name="membership_end"),
]
