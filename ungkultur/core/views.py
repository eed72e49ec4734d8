from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render


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


def healthz(request):
    """For the load balancer: 200 when this app server can reach its database, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
