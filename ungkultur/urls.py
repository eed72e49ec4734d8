from django.contrib import admin
from django.urls import include, path
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
    path("konto/", include("ungkultur.accounts.urls")),
    path("min-side/", include("ungkultur.mypage.urls")),
    path("api/v1/", include("ungkultur.api.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

handler403 = "ungkultur.errors.permission_denied"
handler404 = "ungkultur.errors.page_not_found"
handler500 = "ungkultur.errors.server_error"
