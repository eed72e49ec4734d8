from django.conf import settings
from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_prometheus.exports import ExportToDjangoView

from ungkultur.core import health
from ungkultur.lib.networks import address_in


def privacy(request):
    return render(
        request,
        "core/privacy.html",
        {
            "age_online": settings.UNGKULTUR_AGE_ONLINE_CONSENT,
            "age_guardian": settings.UNGKULTUR_AGE_GUARDIAN_DETAILS,
            "age_research": settings.UNGKULTUR_AGE_RESEARCH_CONSENT,
            "min_n": settings.UNGKULTUR_DISCLOSURE_MIN_N,
            "inactive_years": settings.UNGKULTUR_RETENTION_INACTIVE_YEARS,
            "unconfirmed_days": settings.UNGKULTUR_RETENTION_UNCONFIRMED_DAYS,
            "ukm_contact_months": round(settings.UNGKULTUR_RETENTION_UKM_CONTACT_DAYS / 30.5),
        },
    )


@never_cache
def healthz(request):
    """For the load balancer: 200 when this app server can reach its database, else 503."""
    if health.check_database() != health.OK:
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """For monitoring and deploys: the database, the shared cache and a polling task worker.

    503 names what failed. The proxy balances on /healthz: a stopped worker is an alarm,
    not a reason to take every app server out of service.
    """
    checks = health.readiness(
        now=timezone.now(), max_age=settings.UNGKULTUR_WORKER_HEARTBEAT_MAX_AGE
    )
    failed = sorted(name for name, state in checks.items() if state not in (health.OK, "not used"))
    body = {"status": "unavailable" if failed else "ok", "failed": failed, "checks": checks}
    return JsonResponse(body, status=503 if failed else 200)


@never_cache
@require_GET
def metrics(request):
    """Prometheus' scrape, for the internal network only.

    The proxy adds X-Forwarded-For and sits on the internal network itself, so a forwarded
    request is refused whatever address it comes from.
    """
    forwarded = "HTTP_X_FORWARDED_FOR" in request.META
    allowed = address_in(
        request.META.get("REMOTE_ADDR", ""), settings.UNGKULTUR_METRICS_ALLOWED_NETWORKS
    )
    if forwarded or not allowed:
        return HttpResponseForbidden()
    return ExportToDjangoView(request)
