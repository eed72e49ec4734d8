from django.conf import settings


def site(request):
    """What every page needs: the accessibility statement of the municipality in view."""
    municipality = getattr(request, "municipality", None)
    statement = (
        municipality.accessibility_statement_url
        if municipality is not None and municipality.accessibility_statement_url
        else settings.UNGKULTUR_ACCESSIBILITY_STATEMENT_URL
    )
    return {"accessibility_statement_url": statement, "site_municipality": municipality}
