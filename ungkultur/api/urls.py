from django.urls import path

from ungkultur.api import evaluations, indicators, meetings, participation, planning, surveys, views

app_name = "api"
urlpatterns = [
    path("municipalities", views.municipality_list, name="municipality_list"),
    path("municipalities/<str:code>", views.municipality_detail, name="municipality_detail"),
    path(
        "municipalities/<str:code>/organisation",
        views.municipality_organisation,
        name="municipality_organisation",
    ),
    path("offers", views.offer_list, name="offer_list"),
    path("offers/<id:id>", views.offer_detail, name="offer_detail"),
    path("openapi.json", views.openapi, name="openapi"),
]
# Each domain's endpoints live in a module of their own beside views.py.
for _module in (participation, planning, meetings, surveys, indicators, evaluations):
    urlpatterns += _module.urlpatterns
