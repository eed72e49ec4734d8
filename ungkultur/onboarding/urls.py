from django.urls import path

from ungkultur.onboarding import views

app_name = "onboarding"
urlpatterns = [
    path("kommuner/<str:code>/kom-i-gang/", views.checklist, name="checklist"),
    path("kommuner/<str:code>/enheter/", views.unit_list, name="unit_list"),
    path("kommuner/<str:code>/enheter/ny/", views.unit_create, name="unit_create"),
    path("enheter/<int:pk>/endre/", views.unit_update, name="unit_update"),
    path("enheter/<int:pk>/legg-ned/", views.unit_close, name="unit_close"),
    path("enheter/<int:pk>/gjenapne/", views.unit_reopen, name="unit_reopen"),
    path("kommuner/<str:code>/befolkning/", views.population, name="population"),
    path("nasjonalt/kom-i-gang/", views.overview, name="overview"),
]
