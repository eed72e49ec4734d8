from django.urls import path

from ungkultur.mypage import views, views_family, views_front_door

app_name = "mypage"
urlpatterns = [
    path("", views.index, name="index"),
    path("tilbud/", views_front_door.offers, name="offers"),
    path("si-din-mening/", views_front_door.say, name="say"),
    path("ukm/", views_front_door.ukm, name="ukm"),
    path("barn/nytt/", views_family.child_add, name="child_add"),
    path("barn/<int:pk>/innlogging/", views_family.child_login, name="child_login"),
    path("samtykker/gi/", views.consent_give, name="consent_give"),
    path("samtykker/<int:pk>/trekk-tilbake/", views.consent_withdraw, name="consent_withdraw"),
    path("api-nokler/ny/", views.api_token_create, name="api_token_create"),
    path("api-nokler/<int:pk>/trekk-tilbake/", views.api_token_revoke, name="api_token_revoke"),
]
