"""The open JSON API, version 1. Read-only; a Bearer token adds what its owner may see.

The API never looks at the session: a browser that is logged in is still anonymous here.
"""

from django.core.paginator import EmptyPage, Paginator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ungkultur.api import serializers
from ungkultur.api.forms import MunicipalityListQuery
from ungkultur.api.http import (
    api_view,
    json_error,
    json_response,
    municipality_not_found,
    next_page_url,
)
from ungkultur.api.openapi import OPENAPI
from ungkultur.catalogue import selectors as catalogue_selectors
from ungkultur.catalogue.forms import OfferApiQuery
from ungkultur.catalogue.models import Offer
from ungkultur.municipalities.selectors import municipality_by_any_code
from ungkultur.organisations import selectors

OFFERS_PER_PAGE = 50


@api_view
def municipality_list(request):
    query = MunicipalityListQuery(request.GET)
    if not query.is_valid():
        return json_error(next(iter(query.errors.values()))[0], status=400)
    municipalities = selectors.municipalities_with_codes(kk_active=query.kk_active())
    results = [serializers.municipality(m) for m in municipalities]
    return json_response({"count": len(results), "results": results})


@api_view
def municipality_detail(request, code):
    found = municipality_by_any_code(code)
    if found is None:
        return municipality_not_found(code)
    # An old number (Kongsberg's 3006) answers with the municipality under its current one.
    municipality = selectors.municipalities_with_codes().get(pk=found.pk)
    return json_response(serializers.municipality(municipality))


@api_view
def municipality_organisation(request, code):
    municipality = municipality_by_any_code(code)
    if municipality is None:
        return municipality_not_found(code)
    units, groups, memberships = selectors.municipality_organisation(
        municipality, day=timezone.localdate()
    )
    caller = request.api_user
    return json_response(
        serializers.municipality_organisation(
            municipality,
            units,
            groups,
            memberships,
            members_of={
                g.pk for g in groups if caller.has_perm("organisations.view_group_members", g)
            },
            full_names_of={
                g.pk for g in groups if caller.has_perm("organisations.manage_group", g)
            },
        )
    )


@api_view
def offer_list(request):
    query = OfferApiQuery(request.GET)
    if not query.is_valid():
        return json_error(next(iter(query.errors.values()))[0], status=400)
    municipality = None
    code = query.cleaned_data["municipality"]
    if code:
        # An old number (Kongsberg's 3006) gives the offers of the municipality it belongs to.
        municipality = municipality_by_any_code(code)
        if municipality is None:
            # Four digits are a well-formed number (the schema allows them): not found, not bad.
            return municipality_not_found(code)
    now = timezone.now()
    offers = catalogue_selectors.catalogue_offers(
        municipality=municipality, now=now, **query.filters()
    ).select_related("municipality")
    paginator = Paginator(offers, OFFERS_PER_PAGE)
    try:
        page = paginator.page(query.cleaned_data["page"] or 1)
    except EmptyPage:
        # A page after the last is a well-formed request for something that is not there.
        return json_error(
            ngettext(
                "Side %(page)s finnes ikke. Det er %(pages)s side.",
                "Side %(page)s finnes ikke. Det er %(pages)s sider.",
                paginator.num_pages,
            )
            % {"page": query.cleaned_data["page"], "pages": paginator.num_pages},
            status=404,
        )
    offers = catalogue_selectors.with_next_session(page.object_list, now=now)
    return json_response(
        {
            "count": paginator.count,
            "next": next_page_url(request, page),
            "results": [serializers.offer(offer) for offer in offers],
        }
    )


@api_view
def offer_detail(request, id):
    offer = (
        Offer.objects.published()
        .select_related("unit", "venue", "municipality")
        .filter(pk=id)
        .first()
    )
    if offer is None:
        return json_error(
            _("Fant ikke noe publisert tilbud med id %(id)s.") % {"id": id}, status=404
        )
    now = timezone.now()
    catalogue_selectors.with_next_session([offer], now=now)
    sessions = catalogue_selectors.offer_feed_sessions(offer, now=now)
    return json_response(serializers.offer(offer, sessions=sessions))


@api_view
def openapi(request):
    return json_response(OPENAPI)
