"""Plain functions that turn our objects into the JSON the API promises (see openapi.py)."""

from ungkultur.organisations.models import Membership


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
