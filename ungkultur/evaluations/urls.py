from django.urls import path

from ungkultur.evaluations import views

app_name = "evaluations"
urlpatterns = [
    path("evaluering/", views.round_list, name="round_list"),
    path("evaluering/ny/", views.round_open, name="round_open"),
    path("evaluering/<int:pk>/", views.round_detail, name="round_detail"),
    path("evaluering/<int:pk>/lukk/", views.round_close, name="round_close"),
    path("evaluering/svar/<int:pk>/apne/", views.answer_reopen, name="answer_reopen"),
    path("evaluering/svar/<int:pk>/kommentar/", views.comment_add, name="comment_add"),
    path("evaluering/svartekst/<int:pk>/tema/", views.themes_mark, name="themes_mark"),
    path("kommuner/<str:code>/evaluering/", views.municipality_rounds, name="municipality_rounds"),
    path(
        "kommuner/<str:code>/evaluering/<int:pk>/youth/navn/",
        views.answer_name,
        name="answer_name",
    ),
    path("evaluering/navn-for-barn/", views.guardian_names, name="guardian_names"),
    path(
        "kommuner/<str:code>/evaluering/<int:pk>/<str:part>/",
        views.answer_edit,
        name="answer_edit",
    ),
    path(
        "kommuner/<str:code>/evaluering/<int:pk>/<str:part>/send/",
        views.answer_submit,
        name="answer_submit",
    ),
    path(
        "kommuner/<str:code>/evaluering/<int:pk>/<str:part>/be-om-apning/",
        views.answer_request_reopen,
        name="answer_request_reopen",
    ),
]
urlpatterns += [
    path("okonomi/", views.budget, name="budget"),
    path("okonomi/ramme/", views.frame_set, name="frame_set"),
    path("okonomi/tildeling/", views.allocation_set, name="allocation_set"),
    path("okonomi/utbetaling/", views.payment_record, name="payment_record"),
    path("okonomi/stilling/", views.position_set, name="position_set"),
    path("kommuner/<str:code>/okonomi/", views.municipality_money, name="municipality_money"),
]
urlpatterns += [
    path("sluttrapport/", views.report_page, name="report"),
    path("sluttrapport/pdf/", views.report_pdf, name="report_pdf"),
    path("sluttrapport/endre/", views.report_edit, name="report_edit"),
    path("sluttrapport/distribuer/", views.report_distribute, name="report_distribute"),
]
urlpatterns += [
    path("suksesshistorier/", views.story_list, name="story_list"),
    path("suksesshistorier/<int:pk>/", views.story_detail, name="story_detail"),
    path("suksesshistorier/<int:pk>/trekk/", views.story_withdraw, name="story_withdraw"),
    path("suksesshistorier/<int:pk>/bilde/", views.story_picture, name="story_picture"),
    path("kommuner/<str:code>/suksesshistorier/ny/", views.story_create, name="story_create"),
]
