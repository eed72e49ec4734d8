"""The site's URLs without the enrolment app, as before it provides its sign-up page."""

from ungkultur import urls

urlpatterns = [p for p in urls.urlpatterns if getattr(p, "namespace", None) != "enrolment"]
