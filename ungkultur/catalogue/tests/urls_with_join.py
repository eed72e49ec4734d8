"""The site's URLs with a stand-in for the enrolment app's sign-up page (or without any)."""

from django.http import HttpResponse
from django.urls import include, path

from ungkultur import urls


def _stand_in(request, pk):
    return HttpResponse("join")


_without_enrolment = [p for p in urls.urlpatterns if getattr(p, "namespace", None) != "enrolment"]

urlpatterns = [
    *_without_enrolment,
    path(
        "",
        include(([path("tilbud/<int:pk>/bli-med/", _stand_in, name="join")], "enrolment")),
    ),
]
