from django.urls import path

from ungkultur.participation import views

app_name = "participation"
urlpatterns = [
    # Proposals (idébank) and "Hva skjedde med forslagene?"
    path("kommuner/<str:code>/forslag/", views.proposal_list, name="proposal_list"),
    path("kommuner/<str:code>/forslag/nytt/", views.proposal_new, name="proposal_new"),
    path("kommuner/<str:code>/forslag/oppfolging/", views.follow_up_list, name="follow_up_list"),
    path(
        "kommuner/<str:code>/forslag/svarfrist/",
        views.municipality_settings,
        name="municipality_settings",
    ),
    path("forslag/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("forslag/<int:pk>/stott/", views.proposal_support, name="proposal_support"),
    path("forslag/<int:pk>/trekk-stotte/", views.proposal_unsupport, name="proposal_unsupport"),
    path("forslag/<int:pk>/kommenter/", views.comment_new, name="comment_new"),
    path("forslag/<int:pk>/behandle/", views.proposal_consider, name="proposal_consider"),
    path("forslag/<int:pk>/svar/", views.proposal_answer, name="proposal_answer"),
    path("forslag/<int:pk>/oppfolging/", views.proposal_follow_up, name="proposal_follow_up"),
    path("kommentarer/<int:pk>/rapporter/", views.comment_report, name="comment_report"),
    path("kommentarer/<int:pk>/behold/", views.comment_keep, name="comment_keep"),
    path("kommentarer/<int:pk>/fjern/", views.comment_remove, name="comment_remove"),
    # Notifications and the youth's own settings
    path("varsler/", views.notifications, name="notifications"),
    path("varsler/lest/", views.notifications_read, name="notifications_read"),
    path("medvirkning/innstillinger/", views.profile, name="profile"),
    # Youth budget (ungdomsbudsjett)
    path("kommuner/<str:code>/ungdomsbudsjett/", views.budget_list, name="budget_list"),
    path("kommuner/<str:code>/ungdomsbudsjett/nytt/", views.budget_new, name="budget_new"),
    path("ungdomsbudsjett/<int:pk>/", views.budget_detail, name="budget_detail"),
    path(
        "ungdomsbudsjett/<int:pk>/prosjekt/nytt/",
        views.budget_project_new,
        name="budget_project_new",
    ),
    path("ungdomsbudsjett/<int:pk>/stem/", views.budget_vote, name="budget_vote"),
    path("ungdomsbudsjett/<int:pk>/publiser/", views.budget_publish, name="budget_publish"),
    path(
        "ungdomsbudsjett/prosjekt/<int:pk>/vurder/",
        views.budget_project_check,
        name="budget_project_check",
    ),
    path(
        "ungdomsbudsjett/prosjekt/<int:pk>/framdrift/",
        views.budget_project_progress,
        name="budget_project_progress",
    ),
    # Quick polls at an arena
    path("enheter/<int:unit_pk>/malinger/", views.poll_list, name="poll_list"),
    path("malinger/<int:pk>/", views.poll_detail, name="poll_detail"),
    path("malinger/<int:pk>/steng/", views.poll_close, name="poll_close"),
    path("m/<slug:slug>/", views.poll_answer, name="poll_answer"),
    path("m/<slug:slug>/qr.svg", views.poll_qr, name="poll_qr"),
]
