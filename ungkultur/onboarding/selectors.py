"""How far a municipality has come in getting started ("Kom i gang"), read from the database.

Each step asks one query for all the municipalities at once, so the national overview costs the
same dozen queries as one municipality's checklist.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungkultur.catalogue.models import Offer, Venue
from ungkultur.enrolment.models import Enrolment
from ungkultur.indicators.services import default_terms
from ungkultur.meetings.models import Event
from ungkultur.municipalities.models import Municipality, MunicipalityCode, PopulationCell
from ungkultur.organisations.models import Group, Membership, Unit, UnitStaff
from ungkultur.participation.models import MunicipalitySettings
from ungkultur.planning.models import GoalAdoption, WheelActivity

# (key, title): the order a municipality usually takes them in.
STEPS = [
    ("units", gettext_lazy("Enhetene: kulturskolen, fritidsklubbene, UKM og partnerne")),
    ("venues", gettext_lazy("Stedene, med tilgjengelighet")),
    ("staff", gettext_lazy("De ansatte i enhetene")),
    ("project_group", gettext_lazy("Den lokale prosjektgruppen")),
    ("resource_group", gettext_lazy("Ressursgruppen ungdom")),
    ("answer_deadline", gettext_lazy("Svarfristen for forslag fra ungdom")),
    ("population", gettext_lazy("Befolkningstall fra SSB")),
    ("offers", gettext_lazy("De første tilbudene, eller en import")),
    ("goals", gettext_lazy("De nasjonale målene vedtatt")),
    ("wheel", gettext_lazy("Årshjulet")),
    ("meeting", gettext_lazy("Det første møtet i prosjektgruppen")),
]


@dataclass
class Step:
    key: str
    title: str
    done: bool
    detail: str
    url: str | None
    action: str


def population_years_needed(now: datetime.datetime) -> list[int]:
    """The years whose 1 January population the indicators divide by (their terms' years)."""
    return sorted({term.year for term in default_terms(now)})


def population_years_present(municipality_ids, years=None) -> dict[int, set[int]]:
    """Per municipality, the years that have population figures under a number valid then."""
    codes = defaultdict(list)  # code -> [(municipality_id, valid_from, valid_until)]
    rows = MunicipalityCode.objects.filter(municipality_id__in=municipality_ids).values_list(
        "code", "municipality_id", "valid_from", "valid_until"
    )
    for code, municipality_id, valid_from, valid_until in rows:
        codes[code].append((municipality_id, valid_from, valid_until))
    for municipality_id, code in Municipality.objects.filter(pk__in=municipality_ids).values_list(
        "pk", "code"
    ):
        codes.setdefault(code, [(municipality_id, None, None)])
    cells = PopulationCell.objects.filter(code__in=list(codes))
    if years is not None:
        cells = cells.filter(year__in=years)
    present: dict[int, set[int]] = {pk: set() for pk in municipality_ids}
    for code, year in cells.values_list("code", "year").distinct():
        day = datetime.date(year, 1, 1)
        for municipality_id, valid_from, valid_until in codes[code]:
            if (valid_from is None or valid_from <= day) and (
                valid_until is None or valid_until > day
            ):
                present[municipality_id].add(year)
    return present


def _ids(queryset, path="municipality_id") -> set[int]:
    return set(queryset.values_list(path, flat=True).distinct())


def checklist_states(municipality_ids, *, now: datetime.datetime) -> dict[int, dict]:
    """Per municipality, each step's state: {key: done}, and "missing_years" for population."""
    ids = list(municipality_ids)
    today = timezone.localdate(now)
    open_units = Q(closed_on__isnull=True) | Q(closed_on__gt=today)
    active = Membership.objects.active_on(today)
    done = {
        "units": _ids(Unit.objects.filter(open_units, municipality_id__in=ids)),
        "venues": _ids(Venue.objects.filter(municipality_id__in=ids)),
        "staff": _ids(
            UnitStaff.objects.active_on(today).filter(unit__municipality_id__in=ids),
            "unit__municipality_id",
        ),
        # Someone besides the project leader: the group is more than its leader.
        "project_group": _ids(
            active.filter(
                group__kind=Group.Kind.LOCAL_PROJECT_GROUP, group__municipality_id__in=ids
            ).exclude(role=Membership.Role.PROJECT_LEADER),
            "group__municipality_id",
        ),
        "resource_group": _ids(
            active.filter(
                group__kind=Group.Kind.YOUTH_RESOURCE_GROUP,
                group__municipality_id__in=ids,
                role=Membership.Role.YOUTH_MEMBER,
            ),
            "group__municipality_id",
        ),
        "answer_deadline": _ids(MunicipalitySettings.objects.filter(municipality_id__in=ids)),
        "offers": _ids(Offer.objects.published().filter(municipality_id__in=ids))
        | _ids(
            Enrolment.objects.exclude(import_key="").filter(offer__municipality_id__in=ids),
            "offer__municipality_id",
        ),
        "goals": _ids(GoalAdoption.objects.filter(municipality_id__in=ids)),
        "wheel": _ids(WheelActivity.objects.filter(municipality_id__in=ids)),
        "meeting": _ids(
            Event.objects.filter(
                municipality_id__in=ids, kind=Event.Kind.PROJECT_GROUP_MEETING
            ).exclude(status=Event.Status.CANCELLED)
        ),
    }
    needed = population_years_needed(now)
    present = population_years_present(ids, needed)
    states = {}
    for pk in ids:
        state = {key: pk in municipalities for key, municipalities in done.items()}
        state["missing_years"] = [year for year in needed if year not in present[pk]]
        state["population"] = not state["missing_years"]
        states[pk] = state
    return states


def _url(name, *args, query=""):
    """The address of a step's page; None while that page does not exist."""
    try:
        return reverse(name, args=args) + query
    except NoReverseMatch:
        return None


def checklist(municipality: Municipality, *, now: datetime.datetime) -> list[Step]:
    """The steps of "Kom i gang" for one municipality, each with its state and its page."""
    state = checklist_states([municipality.pk], now=now)[municipality.pk]
    code = municipality.code
    first_unit = (
        Unit.objects.filter(municipality=municipality, closed_on__isnull=True)
        .order_by("kind", "name")
        .first()
    )
    unit_pk = first_unit.pk if first_unit else None
    needs_unit = _("Legg inn en enhet først.")
    missing = ", ".join(str(year) for year in state["missing_years"])
    pages = {
        "units": (_url("onboarding:unit_list", code), _("Legg inn og endre enheter"), ""),
        "venues": (
            _url("catalogue:venue_list", unit_pk) if unit_pk else None,
            _("Legg inn steder"),
            "" if unit_pk else needs_unit,
        ),
        "staff": (_url("organisations:staff_list", code), _("Inviter ansatte"), ""),
        "project_group": (
            _url("organisations:invitation_create", code, query="?group=local_project_group"),
            _("Inviter medlemmer"),
            "",
        ),
        "resource_group": (
            _url("organisations:invitation_create", code, query="?group=youth_resource_group"),
            _("Inviter ungdom"),
            _("Ungdommene er med når de har takket ja på Min side."),
        ),
        "answer_deadline": (
            _url("participation:municipality_settings", code),
            _("Sett svarfristen"),
            "",
        ),
        "population": (
            _url("onboarding:population", code),
            _("Last opp befolkningstall"),
            _("Mangler tall for %(years)s.") % {"years": missing} if missing else "",
        ),
        "offers": (
            _url("catalogue:unit_offers", unit_pk) if unit_pk else None,
            _("Lag et tilbud eller importer påmeldinger"),
            "" if unit_pk else needs_unit,
        ),
        "goals": (_url("planning:municipality_goals", code), _("Vedta målene"), ""),
        "wheel": (
            _url("planning:wheel", code),
            _("Legg kommunens aktiviteter inn i årshjulet"),
            _("De nasjonale aktivitetene står der allerede."),
        ),
        "meeting": (_url("meetings:event_create", code), _("Kall inn til møte"), ""),
    }
    return [
        Step(
            key=key,
            title=str(title),
            done=state[key],
            detail=pages[key][2],
            url=pages[key][0],
            action=pages[key][1],
        )
        for key, title in STEPS
    ]


def overview(*, now: datetime.datetime) -> list[tuple[Municipality, list[tuple[str, bool]], int]]:
    """Every municipality in KK with each step's state and how many are done."""
    municipalities = list(Municipality.objects.kk_active().select_related("county"))
    states = checklist_states([m.pk for m in municipalities], now=now)
    rows = []
    for municipality in municipalities:
        state = states[municipality.pk]
        steps = [(str(title), state[key]) for key, title in STEPS]
        rows.append((municipality, steps, sum(done for _title, done in steps)))
    return rows
