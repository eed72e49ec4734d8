"""Plain functions that turn our objects into the JSON the API promises (see openapi.py)."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse

from ungkultur.organisations.models import Membership

OSLO = ZoneInfo("Europe/Oslo")


def _date(value):
    return value.isoformat() if value else None


def county(county) -> dict:
    return {"code": county.code, "name": county.name}


def municipality(municipality) -> dict:
    """Expects ``county`` selected and ``codes`` prefetched (see municipalities_with_codes)."""
    return {
        "code": municipality.code,
        "name": municipality.name,
        "county": county(municipality.county),
        "kk_active": municipality.kk_active,
        "former_codes": [c.code for c in municipality.codes.all() if c.code != municipality.code],
    }


def unit(unit) -> dict:
    return {
        "kind": unit.kind,
        "name": unit.name,
        "organisation": unit.organisation.short_name if unit.organisation else None,
    }


def member(membership: Membership, *, full_name: bool) -> dict:
    """A youth is named by nickname or first name unless the caller may manage the group."""
    user = membership.user
    name = user.full_name if full_name or not membership.is_youth else user.public_name
    return {
        "name": name,
        "role": membership.role,
        "start": _date(membership.start),
        "end": _date(membership.end),
    }


def group(group, memberships: list[Membership], *, show_members: bool, full_names: bool) -> dict:
    """Counts for everyone; ``members`` only when the caller may see the group's members."""
    data = {
        "id": group.pk,
        "kind": group.kind,
        "name": group.name,
        "seats": group.seats,
        "member_count": len(memberships),
        "youth_count": sum(1 for m in memberships if m.is_youth),
    }
    if show_members:
        data["members"] = [member(m, full_name=full_names) for m in memberships]
    return data


def municipality_organisation(
    municipality, units, groups, memberships: dict, *, members_of: set, full_names_of: set
) -> dict:
    return {
        "municipality": {"code": municipality.code, "name": municipality.name},
        "units": [unit(u) for u in units],
        "groups": [
            group(
                g,
                memberships[g.pk],
                show_members=g.pk in members_of,
                full_names=g.pk in full_names_of,
            )
            for g in groups
        ],
    }


# --- The catalogue ------------------------------------------------------------------------------


def _oslo_time(value):
    return value.astimezone(OSLO).isoformat()


def venue(venue) -> dict | None:
    if venue is None:
        return None
    return {
        "id": venue.pk,
        "name": venue.name,
        "address": venue.address,
        "step_free": venue.step_free,
        "accessible_toilet": venue.accessible_toilet,
        "hearing_loop": venue.hearing_loop,
        "accessibility_notes": venue.accessibility_notes,
    }


def session(session) -> dict:
    """Expects ``venue`` selected; a null venue means the offer's own place."""
    return {
        "id": session.pk,
        "starts_at": _oslo_time(session.starts_at),
        "ends_at": _oslo_time(session.ends_at),
        "weekday": session.weekday,
        "venue": venue(session.venue),
        "cancelled": session.is_cancelled,
        "cancel_reason": session.cancel_reason or None,
    }


def offer(offer, *, sessions=None) -> dict:
    """Expects ``unit``, ``venue`` and ``municipality`` selected and ``next_session`` and
    ``weekdays`` set (see catalogue.selectors.with_next_session); ``sessions`` for one offer."""
    data = {
        "id": offer.pk,
        "title": offer.title,
        "description": offer.description,
        "url": settings.SITE_URL + reverse("catalogue:offer_detail", args=[offer.pk]),
        "municipality": {"code": offer.municipality.code, "name": offer.municipality.name},
        "unit": {"id": offer.unit_id, "kind": offer.unit.kind, "name": offer.unit.name},
        "category": offer.category,
        "age_min": offer.age_min,
        "age_max": offer.age_max,
        "price": offer.price,
        "reduced_price": offer.reduced_price,
        "price_note": offer.price_note,
        "free": offer.is_free,
        "join_mode": offer.join_mode,
        "capacity": offer.capacity,
        "application_deadline": _date(offer.application_deadline),
        "how_to_join": offer.how_to_join,
        "subject_area": offer.subject_area or None,
        "programme": offer.programme or None,
        "term_start": _date(offer.term_start),
        "term_end": _date(offer.term_end),
        "venue": venue(offer.venue),
        "weekdays": offer.weekdays,
        "next_session": session(offer.next_session) if offer.next_session else None,
    }
    if sessions is not None:
        data["sessions"] = [session(s) for s in sessions]
    return data
