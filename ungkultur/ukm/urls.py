from django.urls import path

from ungkultur.ukm import views

app_name = "ukm"
urlpatterns = [
    path("ukm/<int:unit_pk>/", views.event_list, name="event_list"),
    path("ukm/<int:unit_pk>/arrangement/nytt/", views.event_new, name="event_new"),
    path("ukm/arrangement/<int:pk>/", views.event_detail, name="event_detail"),
    path("ukm/arrangement/<int:pk>/endre/", views.event_edit, name="event_edit"),
    path("ukm/arrangement/<int:pk>/innslag/", views.event_manage, name="event_manage"),
    path(
        "ukm/arrangement/<int:pk>/videresendt.csv",
        views.forwarded_export,
        name="forwarded_export",
    ),
    path("ukm/arrangement/<int:pk>/meld-på/", views.innslag_new, name="innslag_new"),
    path("ukm/innslag/<int:pk>/endre/", views.innslag_edit, name="innslag_edit"),
    path("ukm/innslag/<int:pk>/videresend/", views.innslag_forward, name="innslag_forward"),
]
