"""Every indicator of docs/indicators.md: key, Norwegian name, one-line definition, unit, age
band and breakdowns. The engines compute raw counts; ``value_of`` turns them into the
published figure the same way for every engine.

Keys read ``<topic>.<service>`` where a figure is per service. A breakdown is stored as
``dimension=value`` (``gender=female``, ``age=13-15``, ``subject_area=music``); the total has ''.
Ages are broken down in groups (AGE_GROUPS), cut to the indicator's age band: club 10–18 has
``age=16-18``.
"""

import math
from dataclasses import dataclass, field

from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _


def _formatted(template: str, values: dict) -> str:
    """gettext(template) % values, translated when shown, not when this module is imported
    (a name built at import time stays in the language of the first request: bokmål)."""
    return gettext(template) % {k: str(v) for k, v in values.items()}


formatted_lazy = lazy(_formatted, str)

# The three services of KK, from the kind of the unit that runs an offer.
SERVICES = ("kulturskole", "club", "ukm")
SERVICE_OF_UNIT_KIND = {"kulturskole": "kulturskole", "youth_club": "club", "ukm": "ukm"}
SERVICE_NAMES = {
    "kulturskole": _("kulturskolen"),
    "club": _("fritidsklubben"),
    "ukm": _("UKM"),
    "all": _("alle tre tilbud"),
}

# An enrolment the platform ended by itself (re-registration closed without an answer: reason
# ``unknown``, end on the deadline, never re-registered) is no one's decision to leave: the
# engines read its reason as this, which never counts as dropout.
ENDED_BY_PLATFORM = "ended_by_platform"
# Retention leaves out those whose latest enrolment ended for these reasons (docs/indicators.md).
NOT_DROPOUT_REASONS = ("completed", "aged_out", "moved", ENDED_BY_PLATFORM)
END_REASONS = (
    "completed",
    "aged_out",
    "moved",
    "dropped_out",
    "unknown",
    "none",
    ENDED_BY_PLATFORM,
)


def ended_by_platform(end_reason: str, end, start, deadline, reregistered_at) -> bool:
    """Whether an enrolment's end is the platform's own re-registration withdrawal
    (enrolment.services.close_reregistration): engine/duck.py says the same in SQL."""
    return (
        end_reason == "unknown"
        and reregistered_at is None
        and deadline is not None
        and end is not None
        and (end == deadline or (end == start and start > deadline))
    )


PERCENT, PER_1000, PER_EVENING, COUNT, DAYS = "percent", "per_1000", "per_evening", "count", "days"
UNIT_NAMES = {
    PERCENT: _("prosent"),
    PER_1000: _("per 1000 innbyggere"),
    PER_EVENING: _("per kveld"),
    COUNT: _("antall"),
    DAYS: _("dager"),
}

# Why a figure is missing (IndicatorValue.missing; '' = measured). No data is not zero: such a
# figure reads "ingen data" with the reason, and no change or trend is computed across it.
NO_RECORDS = "no_records"
NOT_MEASURED = "not_measured"
NO_POPULATION = "no_population"
PARTIAL_YEAR = "partial_year"
MISSING_REASONS = {
    NO_RECORDS: _("Ingenting registrert i kilden dette semesteret."),
    NOT_MEASURED: _("Ikke målt: kilden registrerer ikke dette, f.eks. klubber uten medlemmer."),
    NO_POPULATION: _("Mangler befolkningstall fra SSB for året."),
    PARTIAL_YEAR: _("Bare ett av årets to semestre er registrert."),
}


def missing_reason_label(code: str) -> str:
    """The Norwegian reason text of a missing-code; '' for a measured figure."""
    if not code:
        return ""
    return str(MISSING_REASONS.get(code, _("Ingen data.")))


AGE, GENDER, SUBJECT_AREA, PROGRAMME = "age", "gender", "subject_area", "programme"
END_REASON, SERVICE, ENTRY_TYPE, AGE_BAND = "end_reason", "service", "type", "age_band"
PERSON_BREAKDOWNS = (AGE, GENDER)
# Age groups of the breakdowns: school stages, then young adults.
AGE_GROUPS = ((6, 9), (10, 12), (13, 15), (16, 19), (20, 25))


def age_group(age: int | None, band: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """The age group of an age, cut to the band (a, b) if given; None outside every group."""
    if age is None:
        return None
    for low, high in AGE_GROUPS:
        if low <= age <= high:
            return (low, high) if band is None else (max(low, band[0]), min(high, band[1]))
    return None


KULTURSKOLE_BREAKDOWNS = (AGE, GENDER, SUBJECT_AREA, PROGRAMME)
DIMENSION_NAMES = {
    AGE: _("alder"),
    GENDER: _("kjønn"),
    SUBJECT_AREA: _("fagområde"),
    PROGRAMME: _("program"),
    END_REASON: _("grunn til at det ble slutt"),
    SERVICE: _("tilbud"),
    ENTRY_TYPE: _("type innslag"),
    AGE_BAND: _("aldersgruppe"),
}


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    definition: str
    unit: str
    age_from: int | None = None
    age_to: int | None = None
    breakdowns: tuple[str, ...] = field(default=())
    service: str = ""
    # Which count the figure rests on for disclosure control: the people in the numerator
    # (rates against the population, counts) or in the denominator (shares of a group).
    rests_on: str = "numerator"
    # Whether that count is of people. Only counts of people are suppressed under n: a share
    # of meetings or proposals tells nothing about a person (docs/privacy.md).
    counts_people: bool = True

    @property
    def age_band(self) -> str:
        if self.age_from is None:
            return ""
        return f"{self.age_from}–{self.age_to}"


def _participation(
    service: str, age_from: int, age_to: int, suffix: str = "", breakdowns=PERSON_BREAKDOWNS
) -> Indicator:
    band = f"{age_from}–{age_to}"
    if service == "all":
        name = formatted_lazy(
            gettext_noop("Deltakelse i minst ett av tilbudene, %(band)s år"), {"band": band}
        )
    else:
        name = formatted_lazy(
            gettext_noop("Deltakelse i %(service)s, %(band)s år"),
            {"service": SERVICE_NAMES[service], "band": band},
        )
    return Indicator(
        key=f"participation.{service}{suffix}",
        name=name,
        definition=formatted_lazy(
            gettext_noop(
                "Ulike deltakere %(band)s år med en påmelding som overlapper semesteret, delt på "
                "innbyggere %(band)s år 1. januar (SSB 07459). Alder = semesterets år − fødselsår."
            ),
            {"band": band},
        ),
        unit=PERCENT,
        age_from=age_from,
        age_to=age_to,
        breakdowns=breakdowns,
        service=service,
    )


def _retention(service: str) -> list[Indicator]:
    breakdowns = KULTURSKOLE_BREAKDOWNS if service == "kulturskole" else PERSON_BREAKDOWNS
    name = SERVICE_NAMES[service]
    return [
        Indicator(
            key=f"retention.{service}",
            name=formatted_lazy(gettext_noop("Fortsatte i %(service)s"), {"service": name}),
            definition=_(
                "Av de aktive forrige semester: andelen som også er aktive dette semesteret. De "
                "som sluttet som fullført, for gamle eller flyttet, telles ikke med."
            ),
            unit=PERCENT,
            breakdowns=breakdowns,
            service=service,
            rests_on="denominator",
        ),
        Indicator(
            key=f"dropout.{service}",
            name=formatted_lazy(gettext_noop("Frafall fra %(service)s"), {"service": name}),
            definition=_(
                "100 − andelen som fortsatte: de som sluttet uten grunn, med ukjent grunn eller "
                "som sluttet selv, blant de aktive forrige semester. Påmeldinger plattformen "
                "avsluttet selv (ikke meldt på igjen innen fristen) er ikke frafall."
            ),
            unit=PERCENT,
            breakdowns=breakdowns,
            service=service,
            rests_on="denominator",
        ),
        Indicator(
            key=f"leavers.{service}",
            name=formatted_lazy(
                gettext_noop("Sluttet i %(service)s, etter grunn"), {"service": name}
            ),
            definition=_(
                "Aktive forrige semester som ikke er aktive dette semesteret, etter grunnen på "
                "den påmeldingen som sluttet sist."
            ),
            unit=COUNT,
            breakdowns=(END_REASON,),
            service=service,
        ),
    ]


INDICATORS: list[Indicator] = [
    # By age only in the wider band: the narrower one's ages would repeat the same cells.
    _participation("kulturskole", 6, 15, breakdowns=(GENDER,)),
    _participation("kulturskole", 6, 19, suffix="_6_19"),
    # Clubs are drop-in: most record headcounts, not members. Where a club keeps no member
    # records in a term, this is "not measured" (the club.* figures say what clubs can).
    _participation("club", 10, 18),
    Indicator(
        key="participation.ukm",
        name=_("Deltakelse i UKM, 10–20 år"),
        definition=_(
            "Ulike personer 10–20 år i innslag på semesterets UKM-arrangementer, delt på "
            "innbyggere 10–20 år 1. januar. Påmeldinger til UKM-verksteder telles for seg."
        ),
        unit=PERCENT,
        age_from=10,
        age_to=20,
        service="ukm",
    ),
    _participation("ukm", 10, 20, suffix="_workshops"),
    _participation("all", 13, 19, breakdowns=(GENDER,)),
    Indicator(
        key="reach",
        name=_("Rekkevidde, 6–20 år"),
        definition=_(
            "Ulike deltakere 6–20 år med en påmelding i minst ett av de tre tilbudene, delt på "
            "innbyggere 6–20 år. Klubbesøk uten medlemsliste og UKM-innslag er ikke med."
        ),
        unit=PERCENT,
        age_from=6,
        age_to=20,
        breakdowns=PERSON_BREAKDOWNS,
        service="all",
    ),
    Indicator(
        key="cross_service",
        name=_("Aktive i to eller flere tilbud"),
        definition=_(
            "Andelen av de aktive deltakerne som er aktive i minst to av de tre tilbudene."
        ),
        unit=PERCENT,
        breakdowns=(GENDER,),
        service="all",
        rests_on="denominator",
    ),
    *_retention("kulturskole"),
    *_retention("club"),
    *_retention("ukm"),
    Indicator(
        key="waiting",
        name=_("På venteliste ved semesterstart"),
        definition=_(
            "Ulike personer som stod på venteliste eller hadde søkt og ennå ikke fått plass "
            "ved midnatt da semesteret begynte."
        ),
        unit=COUNT,
        breakdowns=(SERVICE,),
        service="all",
    ),
    Indicator(
        key="waiting_days",
        name=_("Ventetid til tilbud om plass (median)"),
        definition=_(
            "Median antall hele dager fra påmelding til tilbud om plass, for tilbud om plass "
            "gitt i semesteret."
        ),
        unit=DAYS,
        breakdowns=(SERVICE,),
        service="all",
    ),
    Indicator(
        key="club.visits",
        name=_("Klubbesøk"),
        definition=_(
            "Opptalte besøk på klubbkveldene i semesteret (samme person telles hver gang)."
        ),
        unit=COUNT,
        service="club",
    ),
    Indicator(
        key="club.first_time_visitors",
        name=_("Førstegangsbesøkende i klubbene"),
        definition=_("Besøkende som kom for første gang, slik klubbene registrerte dem per kveld."),
        unit=COUNT,
        service="club",
    ),
    Indicator(
        key="club.visits_per_evening",
        name=_("Besøk per klubbkveld"),
        definition=_("Opptalte besøk på klubbkveldene i semesteret delt på antall klubbkvelder."),
        unit=PER_EVENING,
        breakdowns=(GENDER, AGE_BAND),
        service="club",
    ),
    Indicator(
        key="club.visits_per_1000",
        name=_("Klubbesøk per år per 1000 innbyggere 6–20 år"),
        definition=_(
            "Opptalte besøk i semesteret og semesteret før (ett år) per 1000 innbyggere 6–20 år "
            "1. januar i semesterets år (som KOSTRA)."
        ),
        unit=PER_1000,
        age_from=6,
        age_to=20,
        service="club",
    ),
    Indicator(
        key="ukm.participants_per_1000",
        name=_("UKM-deltakere per 1000 innbyggere 10–20 år"),
        definition=_(
            "Ulike personer 10–20 år i innslag på UKM-arrangementer i semesteret per 1000 "
            "innbyggere 10–20 år."
        ),
        unit=PER_1000,
        age_from=10,
        age_to=20,
        service="ukm",
    ),
    Indicator(
        key="ukm.entries",
        name=_("UKM-innslag etter type"),
        definition=_("Innslag meldt på UKM-arrangementer i semesteret, etter type."),
        unit=COUNT,
        breakdowns=(ENTRY_TYPE,),
        service="ukm",
    ),
    Indicator(
        key="ukm.working_with",
        name=_("Andel som jobber med UKM"),
        definition=_(
            "Andelen av personene i innslag som jobber bak scenen (arrangør, media, konferansier, "
            "datakultur) framfor å vise fram."
        ),
        unit=PERCENT,
        service="ukm",
        rests_on="denominator",
    ),
    Indicator(
        key="influence.answered_on_time",
        name=_("Forslag besvart innen fristen"),
        definition=_(
            "Andelen av forslagene sendt inn i semesteret som fikk svar senest på svarfristen. "
            "Ubesvarte forslag med fristen ennå foran seg telles ikke."
        ),
        unit=PERCENT,
        rests_on="denominator",
        counts_people=False,
    ),
    Indicator(
        key="influence.accepted",
        name=_("Forslag vedtatt"),
        definition=_(
            "Andelen av de besvarte forslagene fra semesteret som ble vedtatt helt eller delvis."
        ),
        unit=PERCENT,
        rests_on="denominator",
        counts_people=False,
    ),
    Indicator(
        key="influence.implemented",
        name=_("Vedtatte forslag gjennomført"),
        definition=_("Andelen av de vedtatte forslagene fra semesteret som er gjennomført."),
        unit=PERCENT,
        rests_on="denominator",
        counts_people=False,
    ),
    Indicator(
        key="influence.days_to_answer",
        name=_("Dager til svar på forslag (median)"),
        definition=_("Median antall dager fra et forslag ble sendt inn til det ble besvart."),
        unit=DAYS,
        counts_people=False,
    ),
    Indicator(
        key="governance.meetings_with_youth",
        name=_("Prosjektgruppemøter med ungdom til stede"),
        definition=_(
            "Andelen av prosjektgruppens holdte møter i semesteret (ikke avlyste, startet før "
            "beregningen) der minst ett ungdomsmedlem var til stede."
        ),
        unit=PERCENT,
        rests_on="denominator",
        counts_people=False,
    ),
    Indicator(
        key="governance.youth_share",
        name=_("Ungdommens andel av deltakerne på prosjektgruppemøter"),
        definition=_(
            "Ungdom blant alle som var til stede på prosjektgruppens holdte møter i semesteret."
        ),
        unit=PERCENT,
        rests_on="denominator",
    ),
]

BY_KEY: dict[str, Indicator] = {indicator.key: indicator for indicator in INDICATORS}

# Participation counted from enrolments in an age band (both engines); participation.ukm is
# counted from the persons in UKM entries instead.
UKM_PARTICIPATION = "participation.ukm"
BAND_INDICATORS = [
    i
    for i in INDICATORS
    if i.age_from is not None
    and i.key.startswith(("participation.", "reach"))
    and i.key != UKM_PARTICIPATION
]


# Rates: the numerator per this many of the denominator. Counts and medians are as they are.
SCALES = {PERCENT: 100, PER_1000: 1000, PER_EVENING: 1}


def round1(value: float) -> float:
    """One decimal, halves up: the same arithmetic as the SQL floor(x * 10 + 0.5) / 10 of the
    national engine, so both publish the same digits (Python's round() takes halves to even)."""
    return math.floor(value * 10 + 0.5) / 10


def value_of(indicator: Indicator, numerator, denominator):
    """The published figure from raw counts, rounded the same way by every engine."""
    scale = SCALES.get(indicator.unit)
    if scale is None:
        return None if numerator is None else round1(float(numerator))
    return round1(scale * numerator / denominator) if denominator else None
