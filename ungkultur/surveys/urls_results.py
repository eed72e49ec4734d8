"""Results, comparison between waves, research exports and imports of responses (included by
urls.py under the app's namespace)."""

from django.urls import path

from ungkultur.surveys import views_results

urlpatterns = [
    path("undersokelser/resultater/", views_results.results_index, name="results_index"),
    path(
        "undersokelser/runder/<int:pk>/resultater/",
        views_results.wave_results,
        name="wave_results",
    ),
    path(
        "undersokelser/runder/<int:pk>/resultater.csv",
        views_results.wave_results_csv,
        name="wave_results_csv",
    ),
    path("undersokelser/<int:pk>/sammenlign/", views_results.survey_compare, name="survey_compare"),
    path(
        "undersokelser/runder/<int:pk>/forskningsdata/",
        views_results.research_exports,
        name="research_exports",
    ),
    path(
        "undersokelser/forskningsdata/<int:pk>/status/",
        views_results.research_export_status,
        name="research_export_status",
    ),
    path(
        "undersokelser/forskningsdata/<int:pk>/last-ned/",
        views_results.research_export_download,
        name="research_export_download",
    ),
    path(
        "undersokelser/runder/<int:pk>/importer-svar/",
        views_results.response_import,
        name="response_import",
    ),
]
