from django.urls import path

from ungkultur.planning.views import collaboration, goals, orders, overview, plans, wheel

app_name = "planning"
urlpatterns = [
    # The national level
    path("mal/", goals.national_goals, name="national_goals"),
    path("mal/<int:pk>/", goals.goal_detail, name="goal_detail"),
    path("mal/<int:pk>/endre/", goals.subgoal_update, name="subgoal_update"),
    path("mal/<int:pk>/slett/", goals.subgoal_delete, name="subgoal_delete"),
    path("milepaelsplan/", plans.milestone_plan, name="milestone_plan"),
    path(
        "milepaelsplan/periode/<int:pk>/", plans.milestone_plan_period, name="milestone_plan_period"
    ),
    path("prosjektperioder/ny/", plans.period_create, name="period_create"),
    path("nasjonalt/planer/", overview.overview, name="overview"),
    path("kompetanse/innboks/", orders.order_inbox, name="order_inbox"),
    path("arshjul/nasjonalt/ny/", wheel.national_activity_create, name="national_activity_create"),
    path("samarbeidsmodeller/", collaboration.model_list, name="model_list"),
    path("samarbeidsmodeller/<int:pk>/", collaboration.model_detail, name="model_detail"),
    # One municipality
    path("kommuner/<str:code>/planlegging/", overview.municipality_home, name="municipality_home"),
    path("kommuner/<str:code>/mal/", goals.municipality_goals, name="municipality_goals"),
    path("kommuner/<str:code>/mal/vedta/", goals.goal_adopt, name="goal_adopt"),
    path("kommuner/<str:code>/mal/delmal/ny/", goals.subgoal_create, name="subgoal_create"),
    path("kommuner/<str:code>/tiltak/ny/", goals.measure_create, name="measure_create"),
    path("kommuner/<str:code>/planer/", plans.plan_list, name="plan_list"),
    path("kommuner/<str:code>/planer/ny/", plans.plan_create, name="plan_create"),
    path("kommuner/<str:code>/planer/viderefor/", plans.plans_roll_over, name="plans_roll_over"),
    path("kommuner/<str:code>/arshjul/", wheel.wheel, name="wheel"),
    path("kommuner/<str:code>/arshjul/maned/", wheel.wheel_month, name="wheel_month"),
    path(
        "kommuner/<str:code>/arshjul/ny/", wheel.wheel_activity_create, name="wheel_activity_create"
    ),
    path("kalender/<str:code>/arshjul.ics", wheel.wheel_calendar, name="wheel_calendar"),
    path("kommuner/<str:code>/kompetanse/", orders.order_list, name="order_list"),
    path("kommuner/<str:code>/kompetanse/ny/", orders.order_create, name="order_create"),
    path("kommuner/<str:code>/samarbeid/", collaboration.collaboration, name="collaboration"),
    path(
        "kommuner/<str:code>/samarbeid/ny/",
        collaboration.collaboration_create,
        name="collaboration_create",
    ),
    path(
        "kommuner/<str:code>/samarbeidsmodeller/ny/",
        collaboration.model_create,
        name="model_create",
    ),
    # Objects
    path("tiltak/<int:pk>/", goals.measure_detail, name="measure_detail"),
    path("tiltak/<int:pk>/endre/", goals.measure_update, name="measure_update"),
    path("arshjul/<int:pk>/endre/", wheel.wheel_activity_update, name="wheel_activity_update"),
    path("arshjul/<int:pk>/slett/", wheel.wheel_activity_delete, name="wheel_activity_delete"),
    path("planer/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("planer/<int:pk>/punkter/ny/", plans.plan_item_create, name="plan_item_create"),
    path("planpunkter/<int:pk>/status/", plans.plan_item_status, name="plan_item_status"),
    path("planpunkter/<int:pk>/endre/", plans.plan_item_update, name="plan_item_update"),
    path("kompetanse/<int:pk>/", orders.order_detail, name="order_detail"),
    path("kompetanse/<int:pk>/aksepter/", orders.order_accept, name="order_accept"),
    path("kompetanse/<int:pk>/avsla/", orders.order_decline, name="order_decline"),
    path("kompetanse/<int:pk>/planlegg/", orders.order_schedule, name="order_schedule"),
    path("kompetanse/<int:pk>/gjennomfort/", orders.order_deliver, name="order_deliver"),
    path("kompetanse/<int:pk>/vurder/", orders.order_evaluate, name="order_evaluate"),
]
