from django.urls import path

from ungkultur.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.home, name="home"),
    path("kommuner/", views.municipality_list, name="municipality_list"),
    path("kommuner/<str:code>/", views.municipality_detail, name="municipality_detail"),
    path(
        "kommuner/<str:code>/kk/aktiver/",
        views.municipality_kk_activate,
        name="municipality_kk_activate",
    ),
    path(
        "kommuner/<str:code>/kk/deaktiver/",
        views.municipality_kk_deactivate,
        name="municipality_kk_deactivate",
    ),
    path("nasjonalt/", views.national, name="national"),
    path("grupper/<int:pk>/", views.group_detail, name="group_detail"),
    path("grupper/<int:pk>/medlemmer/ny/", views.membership_add, name="membership_add"),
    path("medlemskap/<int:pk>/avslutt/", views.membership_end, name="membership_end"),
]
