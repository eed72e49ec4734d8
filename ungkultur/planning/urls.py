from django.urls import path

from ungkultur.planning import views

app_name = "planning"
urlpatterns = [
    # The national level
    path("mal/", views.national_goals, name="national_goals"),
    path("mal/<int:pk>/", views.goal_detail, name="goal_detail"),
    path("milepaelsplan/", views.milestone_plan, name="milestone_plan"),
    path("nasjonalt/planer/", views.overview, name="overview"),
    path("kompetanse/innboks/", views.order_inbox, name="order_inbox"),
    path("samarbeidsmodeller/", views.model_list, name="model_list"),
    path("samarbeidsmodeller/<int:pk>/", views.model_detail, name="model_detail"),
    # One municipality
    path("kommuner/<str:code>/planlegging/", views.municipality_home, name="municipality_home"),
    path("kommuner/<str:code>/mal/", views.municipality_goals, name="municipality_goals"),
    path("kommuner/<str:code>/mal/vedta/", views.goal_adopt, name="goal_adopt"),
    path("kommuner/<str:code>/mal/delmal/ny/", views.subgoal_create, name="subgoal_create"),
    path("kommuner/<str:code>/tiltak/ny/", views.measure_create, name="measure_create"),
    path("kommuner/<str:code>/planer/", views.plan_list, name="plan_list"),
    path("kommuner/<str:code>/planer/ny/", views.plan_create, name="plan_create"),
    path("kommuner/<str:code>/arshjul/", views.wheel, name="wheel"),
    path("kommuner/<str:code>/arshjul/maned/", views.wheel_month, name="wheel_month"),
    path(
        "kommuner/<str:code>/arshjul/ny/", views.wheel_activity_create, name="wheel_activity_create"
    ),
    path("kalender/<str:code>/arshjul.ics", views.wheel_calendar, name="wheel_calendar"),
    path("kommuner/<str:code>/kompetanse/", views.order_list, name="order_list"),
    path("kommuner/<str:code>/kompetanse/ny/", views.order_create, name="order_create"),
    path("kommuner/<str:code>/samarbeid/", views.collaboration, name="collaboration"),
    path(
        "kommuner/<str:code>/samarbeid/ny/",
        views.collaboration_create,
        name="collaboration_create",
    ),
    path("kommuner/<str:code>/samarbeidsmodeller/ny/", views.model_create, name="model_create"),
    # Objects
    path("tiltak/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("tiltak/<int:pk>/endre/", views.measure_update, name="measure_update"),
    path("planer/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("planer/<int:pk>/punkter/ny/", views.plan_item_create, name="plan_item_create"),
    path("planpunkter/<int:pk>/status/", views.plan_item_status, name="plan_item_status"),
    path("kompetanse/<int:pk>/", views.order_detail, name="order_detail"),
    path("kompetanse/<int:pk>/aksepter/", views.order_accept, name="order_accept"),
    path("kompetanse/<int:pk>/avsla/", views.order_decline, name="order_decline"),
    path("kompetanse/<int:pk>/planlegg/", views.order_schedule, name="order_schedule"),
    path("kompetanse/<int:pk>/gjennomfort/", views.order_deliver, name="order_deliver"),
    path("kompetanse/<int:pk>/vurder/", views.order_evaluate, name="order_evaluate"),
]
