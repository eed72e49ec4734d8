from django.urls import path

from ungkultur.indicators import views

app_name = "indicators"
urlpatterns = [
    path("kommuner/<str:code>/indikatorer/", views.dashboard, name="dashboard"),
    path("kommuner/<str:code>/indikatorer/rapport/", views.report_html, name="report_html"),
    path("kommuner/<str:code>/indikatorer/rapport.pdf", views.report_pdf, name="report_pdf"),
    path("kommuner/<str:code>/indikatorer/mal/", views.targets, name="targets"),
    path(
        "kommuner/<str:code>/indikatorer/mal/<int:pk>/slett/",
        views.target_delete,
        name="target_delete",
    ),
    path("nasjonalt/indikatorer/", views.national, name="national"),
    path("nasjonalt/indikatorer/rapport/", views.project_report_html, name="project_report_html"),
    path("nasjonalt/indikatorer/rapport.pdf", views.project_report_pdf, name="project_report_pdf"),
    path("nasjonalt/indikatorer/data/", views.research_data, name="research_data"),
    path(
        "nasjonalt/indikatorer/data/indikatorer.<str:fmt>",
        views.research_download,
        name="research_download",
    ),
    path(
        "nasjonalt/indikatorer/data/kodebok.<str:fmt>",
        views.codebook_download,
        name="codebook_download",
    ),
]
