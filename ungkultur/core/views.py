from django.conf import settings
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
        },
    )
