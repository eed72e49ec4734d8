"""Demo data for planning: the seed's national goals and 2020/21 milestone plan, each pilot's
adopted goals, own measures, progress and action plans (with something late), an annual wheel
with a clash, competence orders in three states, collaborations over two terms and two shared
collaboration models. Everything is keyed on natural fields, so running it twice changes
nothing the second time. People and places beyond the seed's are fictional."""

import datetime

from django.utils import timezone

from ungkultur.catalogue.models import Offer
from ungkultur.lib.terms import Term
from ungkultur.meetings.models import Attendance, Event
from ungkultur.organisations.models import Group, Membership, NationalRole, Organisation, Unit
from ungkultur.planning.models import (
    Collaboration,
    CollaborationModel,
    CompetenceOrder,
    Goal,
    GoalAdoption,
    Measure,
    OrderEvaluation,
    Plan,
    PlanItem,
    WheelActivity,
)

D = datetime.date

# The seed: two effektmål; four delmål with their tiltak. The seed does not say which delmål
# serve which effektmål: the one on taking part in decisions goes under democracy, the rest
# under access to culture.
EFFECT_GOALS = [
    (
        "Et levende og inkluderende demokrati",
        "Bidra til et levende og inkluderende demokrati der alle er frie til å ytre seg, og der "
        "mangfold, skaperkraft og kreativitet inspirerer, samler og lærer oss om oss selv og "
        "omverden.",
        [
            (
                "Gi ungdom kompetanse og erfaring med å delta i utviklings- og "
                "beslutningsprosesser",
                [
                    "Utvikle gode arenaer for tverrfaglig samarbeid, erfaringsutveksling og "
                    "kompetansebygging for de ansatte",
                    "Aktivere møteplasser og felleskap hvor den enkelte motiveres til å oppleve "
                    "og delta",
                ],
            )
        ],
    ),
    (
        "Relevante kulturtilbud som ungdom selv skaper",
        "Gi alle ungdom tilgang på relevante kulturtilbud hvor ungdom selv deltar i å skape "
        "sine tilbud og sine kunstuttrykk.",
        [
            (
                "Bygge en solid felles kulturell grunnmur for ungdom i kommunen",
                [
                    "Engasjere flere barn og unge totalt sett",
                    "Forebygge frafall i kulturskolen og rekruttere flere til fritidsklubbene",
                    "Skape mer interessante arbeidsplasser for kommunens kulturarbeidere, "
                    "pedagoger og ungdomsarbeidere",
                ],
            ),
            (
                "Etablere samarbeid og helhetstenkning som mal for videre kommunal praksis",
                [
                    "Utvikle samarbeidsmodeller for de tre ordningene",
                    "Utvikle gode modeller for samarbeid med andre lokale aktører, bibliotek og "
                    "kunstforeninger",
                ],
            ),
            (
                "Øke deltakelse og minske frafall i de kommunale kultur- og opplæringstilbudene",
                [
                    "Skape mer interessante arbeidsplasser for kommunens kulturarbeidere, "
                    "pedagoger og ungdomsarbeidere",
                    "Jobbe for et kulturtilbud som er relevant og tilgjengelig",
                ],
            ),
        ],
    ),
]

# The seed's "Overordnet milepælsplan 2020/21".
MILESTONES = [
    (D(2020, 2, 1), D(2020, 4, 30), "Felles oppstartsamling og møter med fem kommuner"),
    (
        D(2020, 4, 1),
        D(2020, 6, 30),
        "Prosjektet er etablert i kommunene med prosjektgrupper, ressursgrupper-ungdom og "
        "lokale prosjektplaner",
    ),
    (
        D(2020, 6, 1),
        D(2020, 12, 31),
        "Utvikling av tiltaksplaner og utprøving av felles rutiner, aktiviteter og årshjul",
    ),
    (
        D(2021, 1, 1),
        D(2021, 5, 31),
        "Aktiviteter, samlinger, møtemodeller, prosesser og tiltak på lokalt og nasjonalt nivå",
    ),
    (
        D(2021, 8, 1),
        D(2021, 11, 30),
        "Forberedelser til nasjonal konferanse og skriving av sluttrapporten",
    ),
    (D(2021, 11, 1), D(2021, 11, 30), "Nasjonal konferanse med sterk ungdomsmedvirkningsdel"),
    (D(2021, 12, 1), D(2021, 12, 31), "Rapport med evalueringer ferdigstilles og distribueres"),
]

# (service, unit kind or None, title, month, day, days, age_min, age_max)
WHEEL = [
    ("ukm", "ukm", "UKM lokalmønstring", 2, 8, 2, 10, 20),
    # The same day as UKM, for the same youth: the clash the wheel is there to catch.
    ("kulturskole", "kulturskole", "Vinterkonsert i kulturskolen", 2, 8, 1, 8, 19),
    ("kulturskole", "kulturskole", "Søknadsfrist kulturskolen (høst)", 6, 1, 1, 6, 19),
    ("kulturskole", "kulturskole", "Søknadsfrist kulturskolen (vår)", 12, 1, 1, 6, 19),
    ("youth_club", "youth_club", "Klubbsesongen starter", 8, 25, 1, 10, 18),
    ("partner", "library", "Skriveverksted i høstferien", 10, 6, 3, 12, 16),
]
NATIONAL_WHEEL = [
    ("Nasjonal ungdomssamling", 9, 18, 3, 13, 19),
    ("Nasjonal konferanse om koordinert kulturarbeid", 11, 12, 2, 15, 19),
]

MODELS = [
    (
        "Felles ungdomskoordinator for kulturskole, klubb og UKM",
        "Én person koordinerer tilbudene til ungdom i de tre tjenestene og følger opp "
        "ressursgruppa.",
        "Kulturskolen, fritidsklubbene, UKM-ansvarlig og ressursgruppa ungdom.",
        "Stillingen deles likt mellom kulturskolen og klubben; prosjektgruppa møtes hver "
        "måned med ungdommene som likeverdige medlemmer.",
        "Samarbeidsavtale mellom kultursjef, kulturskolerektor og leder for fritidsklubben, "
        "fornyes hvert år.",
        "Færre kollisjoner i årshjulet og flere ungdommer som er med i mer enn én tjeneste.",
    ),
    (
        "Bibliotekets verksted som felles arena",
        "Biblioteket låner ut rom og utstyr til skriveverksted og tegneserieverksted som "
        "kulturskolen og klubben driver sammen.",
        "Biblioteket, kulturskolen, fritidsklubben og kunstforeningen.",
        "Biblioteket har vertskapet, kulturskolen stiller lærer, klubben stiller "
        "ungdomsarbeider. Ungdom bestemmer tema.",
        "Enkel avtale om rom og åpningstider per halvår.",
        "Nye ungdommer finner veien til kulturskolen gjennom biblioteket.",
    ),
]


def _national_goals():
    effect_goals = []
    for position, (title, description, subs) in enumerate(EFFECT_GOALS, start=1):
        effect, _ = Goal.objects.get_or_create(
            level=Goal.Level.EFFECT,
            municipality=None,
            title=title,
            defaults={"description": description, "position": position},
        )
        effect_goals.append(effect)
        for sub_position, (sub_title, measures) in enumerate(subs, start=1):
            sub, _ = Goal.objects.get_or_create(
                level=Goal.Level.SUB,
                municipality=None,
                parent=effect,
                title=sub_title,
                defaults={"position": sub_position},
            )
            for measure_title in measures:
                Measure.objects.get_or_create(
                    goal=sub,
                    municipality=None,
                    title=measure_title,
                    defaults={"status": Measure.Status.ONGOING},
                )
    return effect_goals


def _milestone_plan():
    plan, _ = Plan.objects.get_or_create(
        kind=Plan.Kind.MILESTONE,
        municipality=None,
        defaults={
            "title": "Overordnet milepælsplan 2020/21",
            "description": "Pilotprosjektet Koordinert kommunalt kulturarbeid med fem kommuner.",
        },
    )
    for start, end, title in MILESTONES:
        PlanItem.objects.get_or_create(
            plan=plan,
            title=title,
            defaults={"start": start, "end": end, "status": PlanItem.Status.DONE},
        )


def _leader(municipality):
    membership = (
        Membership.objects.filter(
            group__municipality=municipality,
            group__kind=Group.Kind.LOCAL_PROJECT_GROUP,
            role=Membership.Role.PROJECT_LEADER,
        )
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _units(municipality):
    units = {}
    for unit in Unit.objects.filter(municipality=municipality).order_by("pk"):
        units.setdefault(unit.kind, unit)
    return units


def _municipality_goals(municipality, effect_goals, leader, units, now, today):
    for goal in effect_goals:
        GoalAdoption.objects.get_or_create(
            municipality=municipality,
            goal=goal,
            defaults={"adopted_at": now, "adopted_by": leader},
        )
    own, _ = Goal.objects.get_or_create(
        level=Goal.Level.SUB,
        municipality=municipality,
        parent=effect_goals[1],
        title=f"Et felles årshjul for ungdomskulturen i {municipality.name}",
        defaults={"position": 10},
    )
    subs = list(Goal.objects.filter(level=Goal.Level.SUB, municipality=None).order_by("pk"))
    specs = [
        (subs[0], "Ressursgruppa planlegger to ungdomsarrangementer", Measure.Status.ONGOING,
         ["youth_club", "ukm"]),
        (subs[2], "Felles verksted med biblioteket", Measure.Status.PLANNED,
         ["kulturskole", "library"]),
        (own, "Felles årshjul for kulturskole, klubb og UKM", Measure.Status.DONE,
         ["kulturskole", "youth_club", "ukm"]),
    ]  # fmt: skip
    measures = []
    for goal, title, status, kinds in specs:
        measure, created = Measure.objects.get_or_create(
            goal=goal,
            municipality=municipality,
            title=title,
            defaults={
                "status": status,
                "owner": leader,
                "start": today.replace(month=8, day=1)
                if today.month >= 8
                else D(today.year - 1, 8, 1),
                "end": D(today.year + 1, 6, 30),
            },
        )
        if created:
            measure.units.set([units[k] for k in kinds if k in units])
            measure.offers.set(
                Offer.objects.filter(municipality=municipality, unit__kind__in=kinds)[:2]
            )
        measures.append(measure)
    return measures


def _plans(municipality, measures, today):
    progress, _ = Plan.objects.get_or_create(
        kind=Plan.Kind.PROGRESS,
        municipality=municipality,
        defaults={"title": f"Fremdriftsplan for {municipality.name}"},
    )
    action, _ = Plan.objects.get_or_create(
        kind=Plan.Kind.ACTION,
        municipality=municipality,
        defaults={"title": f"Tiltaksplan for {municipality.name}"},
    )
    day = datetime.timedelta(days=1)
    rows = [
        (progress, "Prosjektgrupper etablert", -200, -150, PlanItem.Status.DONE, None),
        (progress, "Lokal prosjektplan vedtatt", -150, -100, PlanItem.Status.DONE, None),
        (progress, "Midtveisevaluering med ressursgruppa", -40, -10, PlanItem.Status.ONGOING, None),
        (progress, "Sluttevaluering og rapport", 60, 150, PlanItem.Status.PLANNED, None),
        (action, "Kartlegge hva ungdom ønsker", -120, -60, PlanItem.Status.DONE, 0),
        (action, "Felles verksted med biblioteket", -60, -5, PlanItem.Status.PLANNED, 1),
        (action, "Felles årshjul publisert", -90, -30, PlanItem.Status.DONE, 2),
        (action, "Ungdomsarrangement på klubben", 10, 40, PlanItem.Status.PLANNED, 0),
    ]  # fmt: skip
    for plan, title, start, end, status, measure in rows:
        PlanItem.objects.get_or_create(
            plan=plan,
            title=title,
            defaults={
                "start": today + start * day,
                "end": today + end * day,
                "status": status,
                "measure": measures[measure] if measure is not None else None,
            },
        )


def _wheel(municipality, units):
    for service, kind, title, month, day, days, age_min, age_max in WHEEL:
        WheelActivity.objects.get_or_create(
            municipality=municipality,
            title=title,
            defaults={
                "service": service,
                "unit": units.get(kind),
                "month": month,
                "day": day,
                "days": days,
                "age_min": age_min,
                "age_max": age_max,
            },
        )


def _national_wheel():
    for title, month, day, days, age_min, age_max in NATIONAL_WHEEL:
        WheelActivity.objects.get_or_create(
            municipality=None,
            title=title,
            defaults={
                "service": WheelActivity.Service.NATIONAL,
                "month": month,
                "day": day,
                "days": days,
                "age_min": age_min,
                "age_max": age_max,
            },
        )


def _orders(municipalities, now):
    """Arendal's course is delivered and evaluated, Kongsberg's webinar accepted, Sola's
    lecture waiting for an answer."""
    orgs = {o.short_name: o for o in Organisation.objects.all()}
    by_code = {m.code: m for m in municipalities}
    if not {"NKR", "UoF", "UKM"} <= set(orgs):
        return
    coordinator = {
        short: NationalRole.objects.filter(
            role=NationalRole.Role.COORDINATOR, organisation=orgs[short]
        )
        .select_related("user")
        .first()
        for short in orgs
    }
    specs = [
        ("4203", "UoF", CompetenceOrder.Kind.COURSE, "Kurs i ungdomsledelse",
         "Ungdomsarbeidere og ressursgruppa", 12, CompetenceOrder.Status.DELIVERED, -60),
        ("3303", "UKM", CompetenceOrder.Kind.WEBINAR, "UKM-nettverket som ressurs",
         "Prosjektgruppa", 8, CompetenceOrder.Status.ACCEPTED, 40),
        ("1124", "NKR", CompetenceOrder.Kind.LECTURE, "Helhet og sammenheng i kulturtilbudet",
         "Kulturskolelærere og klubbledere", 25, CompetenceOrder.Status.ORDERED, 70),
    ]  # fmt: skip
    day = datetime.timedelta(days=1)
    for code, short, kind, topic, target, count, status, offset in specs:
        municipality = by_code.get(code)
        if municipality is None:
            continue
        leader = _leader(municipality)
        handler = coordinator[short].user if coordinator[short] else None
        wanted = (now + offset * day).date()
        order, created = CompetenceOrder.objects.get_or_create(
            municipality=municipality,
            organisation=orgs[short],
            topic=topic,
            defaults={
                "kind": kind,
                "target_group": target,
                "wanted_from": wanted - 14 * day,
                "wanted_to": wanted + 14 * day,
                "expected_participants": count,
                "ordered_by": leader,
                "ordered_at": now + (offset - 90) * day,
                "status": status,
                "answered_by": handler if status != CompetenceOrder.Status.ORDERED else None,
                "answered_at": now + (offset - 80) * day
                if status != CompetenceOrder.Status.ORDERED
                else None,
            },
        )
        if created and status == CompetenceOrder.Status.DELIVERED:
            starts = (now + offset * day).replace(hour=17, minute=0, second=0, microsecond=0)
            event = Event.objects.create(
                kind=Event.Kind.COURSE,
                municipality=municipality,
                title=topic,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=3),
                status=Event.Status.HELD,
            )
            order.event, order.delivered_at = event, starts + datetime.timedelta(hours=3)
            order.save(update_fields=["event", "delivered_at"])
            attendees = [leader] + [
                m.user
                for m in Membership.objects.filter(
                    group__municipality=municipality, role=Membership.Role.YOUTH_MEMBER
                ).select_related("user")[:3]
            ]
            for n, user in enumerate(u for u in attendees if u is not None):
                Attendance.objects.get_or_create(
                    event=event, user=user, defaults={"is_youth": n > 0}
                )
                OrderEvaluation.objects.get_or_create(
                    order=order,
                    user=user,
                    defaults={
                        "score": 4 + n % 2,
                        "text": "Nyttig og konkret." if n == 0 else "",
                        "created_at": order.delivered_at + day,
                    },
                )


def _collaborations(municipality, units, measures, today):
    term = str(Term.containing(today))
    before = str(Term.parse(term).previous())
    rows = [
        (before, "Skriveverksted på biblioteket", ["kulturskole", "library"]),
        (before, "UKM-visning på klubben", ["youth_club", "ukm"]),
        (term, "Skriveverksted på biblioteket", ["kulturskole", "library"]),
        (term, "Felles årshjul", ["kulturskole", "youth_club", "ukm"]),
        (term, "Utstilling med kunstforeningen", ["art_association", "youth_club"]),
    ]
    for row_term, title, kinds in rows:
        chosen = [units[k] for k in kinds if k in units]
        if len(chosen) < 2:
            continue
        collaboration, created = Collaboration.objects.get_or_create(
            municipality=municipality,
            term=row_term,
            title=title,
            defaults={"measure": measures[2] if title == "Felles årshjul" else None},
        )
        if created:
            collaboration.units.set(chosen)


def _models(municipalities, now):
    for (title, what, who, how, agreements, experiences), municipality in zip(
        MODELS, municipalities, strict=False
    ):
        CollaborationModel.objects.get_or_create(
            title=title,
            defaults={
                "municipality": municipality,
                "what": what,
                "who": who,
                "how": how,
                "agreements": agreements,
                "experiences": experiences,
                "created_at": now,
            },
        )


def seed_planning(*, municipalities: list, today: datetime.date) -> None:
    """Seed planning for the pilot municipalities (idempotent)."""
    now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    effect_goals = _national_goals()
    _milestone_plan()
    _national_wheel()
    for municipality in municipalities:
        leader = _leader(municipality)
        units = _units(municipality)
        measures = _municipality_goals(municipality, effect_goals, leader, units, now, today)
        _plans(municipality, measures, today)
        _wheel(municipality, units)
        _collaborations(municipality, units, measures, today)
    _orders(municipalities, now)
    by_code = {m.code: m for m in municipalities}
    _models([m for m in (by_code.get("4203"), by_code.get("1124")) if m], now)
