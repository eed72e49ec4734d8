from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

urlpatterns = [
    path("", include("ungkultur.organisations.urls")),
    path("", include("ungkultur.core.urls")),
    path("", include("ungkultur.catalogue.urls")),
    path("", include("ungkultur.enrolment.urls")),
    path("", include("ungkultur.clubs.urls")),
    path("", include("ungkultur.ukm.urls")),
    path("", include("ungkultur.participation.urls")),
    path("", include("ungkultur.planning.urls")),
    path("", include("ungkultur.meetings.urls")),
    path("", include("ungkultur.surveys.urls")),
    path("", include("ungkultur.indicators.urls")),
    path("", include("ungkultur.onboarding.urls")),
    path("", include("ungkultur.evaluations.urls")),
    path("konto/", include("ungkultur.accounts.urls")),
    # allauth's own login, sign-up and password pages lead to ours (one limiter, issue 19).
    path("konto/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("konto/signup/", RedirectView.as_view(pattern_name="accounts:register")),
    path(
        "konto/password/reset/",
        RedirectView.as_view(pattern_name="accounts:password_reset"),
    ),
    path("konto/", include("allauth.urls")),
    path("min-side/", include("ungkultur.mypage.urls")),
    path("api/v1/", include("ungkultur.api.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

handler403 = "ungkultur.errors.permission_denied"
handler404 = "ungkultur.errors.page_not_found"
handler500 = "ungkultur.errors.server_error"
