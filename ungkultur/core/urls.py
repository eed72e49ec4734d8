from django.urls import path

from ungkultur.core import views

app_name = "core"
urlpatterns = [
    path("personvern/", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics, name="metrics"),
]
