from django.urls import path

from ungkultur.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("kommuner/<str:code>/tilbud/", views.search, name="search"),
    path("kalender/<str:code>.ics", views.calendar, name="calendar"),
    path("tilbud/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("tilbud/<int:pk>/endre/", views.offer_update, name="offer_update"),
    path("tilbud/<int:pk>/publiser/", views.offer_publish, name="offer_publish"),
    path("tilbud/<int:pk>/avpubliser/", views.offer_unpublish, name="offer_unpublish"),
    path("tilbud/<int:pk>/laerere/", views.offer_teachers, name="offer_teachers"),
    path("tilbud/<int:pk>/tidspunkter/ny/", views.schedule_create, name="schedule_create"),
    path("tilbud/<int:pk>/samlinger/ny/", views.session_create, name="session_create"),
    path("mine-enheter/", views.my_units, name="my_units"),
    path("enheter/<int:unit_pk>/tilbud/", views.unit_offers, name="unit_offers"),
    path("enheter/<int:unit_pk>/tilbud/nytt/", views.offer_create, name="offer_create"),
    path("enheter/<int:unit_pk>/steder/", views.venue_list, name="venue_list"),
    path("enheter/<int:unit_pk>/skoleferier/", views.school_holidays, name="school_holidays"),
    path(
        "enheter/<int:unit_pk>/skoleferier/<int:pk>/slett/",
        views.school_holiday_delete,
        name="school_holiday_delete",
    ),
    path("enheter/<int:unit_pk>/steder/nytt/", views.venue_create, name="venue_create"),
    path("enheter/<int:unit_pk>/steder/<int:pk>/endre/", views.venue_update, name="venue_update"),
]
