from django.urls import include, path

from bench.reference import reference

urlpatterns = [
    path("bench/reference/", reference),
    path("", include("ungkultur.urls")),
]
