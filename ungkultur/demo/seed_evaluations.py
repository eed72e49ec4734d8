"""Demo data for evaluations: the spring 2021 midway round answered by the five pilots (project
group and youth resource group), two success stories, and the 2020 and 2021 budgets with
allocations, payments and reported use. Idempotent: nothing is added a second time."""

import datetime

from django.utils import timezone

from ungkultur.evaluations import services
from ungkultur.evaluations.models import Frame, Round, Story
from ungkultur.organisations.models import Group, Membership, NationalRole, Organisation
from ungkultur.planning.models import CollaborationModel

FRAME = 650_000  # the pilot's yearly frame, half earmarked to the municipalities
# Two owner organisations share the other half as 50 % positions for project management
# (fictional: the demo says nothing about real salaries).
POSITION_YEARLY_COST = (FRAME - FRAME // 2) // 2

PROJECT_ANSWERS = {
    "needs": "Mer tid til koordinering mellom kulturskolen, klubben og UKM.",
    "good_examples": "Ungdommene planla og drev sommerens åpne scene selv.",
    "focus_areas": "Medvirkning i fritidsklubben og felles årshjul for de tre tjenestene.",
    "owner_support": "Kurs i ungdomsmedvirkning for de ansatte, og hjelp til å lage avtaler.",
    "obstacles": "Pandemien stengte tilbud, og det er få stillinger å dele arbeidet på.",
    "youth_change": "Tilbudene er flyttet til tider ungdommene selv har valgt.",
}
YOUTH_ANSWERS = {
    "needs": "Flere steder å øve og være uten å måtte betale.",
    "good_examples": "Vi fikk bestemme programmet på UKM-kvelden.",
    "youth_change": "De voksne spør oss før de bestemmer, ikke etterpå.",
}
STORIES = (
    (
        "Ungdommene drev den åpne scenen",
        "Klubben og kulturskolen lot ressursgruppa planlegge en åpen scene hver fredag i juni.",
        "Fritidsklubben, kulturskolen, UKM og ressursgruppe ungdom.",
        "Tre nye band meldte seg på UKM, og klubben har flere besøkende.",
        ["scene", "ungdomsmedvirkning"],
    ),
    (
        "Felles årshjul for tre tjenester",
        "Kulturskolen, klubben og UKM la alle aktiviteter inn i ett årshjul.",
        "Rektor, klubbleder og UKM-kontakt i prosjektgruppen.",
        "Ingen kollisjoner mellom konserter og klubbkvelder resten av året.",
        ["samarbeid", "årshjul"],
    ),
)


def _member(municipality, role):
    membership = (
        Membership.objects.filter(group__municipality=municipality, role=role)
        .exclude(group__kind=Group.Kind.PROJECT_LEADER_FORUM)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _round(coordinator, municipalities, now):
    if Round.objects.filter(kind=Round.Kind.MIDWAY).exists():
        return
    opened = now.replace(year=2021, month=3, day=1)
    round_ = services.round_open(
        actor=coordinator, kind=Round.Kind.MIDWAY, title="Midtveisevaluering våren 2021",
        intro="Midtveisstatus til kommunemøtene: behov, gode eksempler og videre støtte.",
        deadline=datetime.date(2021, 4, 30), topics=list(PROJECT_ANSWERS), now=opened,
    )  # fmt: skip
    questions = {q.topic: q.pk for q in round_.questions.all()}
    for municipality in municipalities:
        for part, role, answers in (
            ("project_group", Membership.Role.PROJECT_LEADER, PROJECT_ANSWERS),
            ("youth", Membership.Role.YOUTH_MEMBER, YOUTH_ANSWERS),
        ):
            actor = _member(municipality, role)
            answer = services.answer_save(
                actor=actor, round=round_, municipality=municipality, part=part,
                texts={questions[t]: text for t, text in answers.items()}, published=True,
                now=opened,
            )  # fmt: skip
            services.answer_submit(actor=actor, answer=answer, now=opened)


def _stories(municipalities, now):
    models = list(CollaborationModel.objects.order_by("pk")[:2])
    for (title, what, who, outcome, tags), municipality, model in zip(
        STORIES, municipalities, models + [None] * 2, strict=False
    ):
        if Story.objects.filter(title=title).exists():
            continue
        services.story_publish(
            actor=_member(municipality, Membership.Role.PROJECT_LEADER),
            municipality=municipality,
            title=title,
            what=what,
            who=who,
            outcome=outcome,
            collaboration_model=model,
            tags=tags,
            shows_people=False,
            now=now,
        )


def _budgets(coordinator, municipalities, now):
    owners = list(Organisation.objects.order_by("pk")[:2])
    for year in (2020, 2021):
        if Frame.objects.filter(year=year).exists():
            continue
        frame = services.frame_set(actor=coordinator, year=year, amount=FRAME, now=now)
        share = frame.earmarked // len(municipalities)
        for municipality in municipalities:
            allocation = services.allocation_set(
                actor=coordinator, frame=frame, municipality=municipality, amount=share, now=now
            )
            services.payment_record(
                actor=coordinator, allocation=allocation, paid_on=datetime.date(year, 3, 1),
                amount=share, now=now,
            )  # fmt: skip
            leader = _member(municipality, Membership.Role.PROJECT_LEADER)
            services.use_report(
                actor=leader, allocation=allocation, now=now, amount=share * 3 // 5,
                description="Ungdomsarrangementer og honorar til ungdom i ressursgruppa",
            )  # fmt: skip
            if year == 2020:
                services.use_report(
                    actor=leader, allocation=allocation, now=now, amount=share // 5,
                    description="Kurs i ungdomsmedvirkning for de ansatte",
                )  # fmt: skip
        for organisation in owners:
            services.position_set(
                actor=coordinator, frame=frame, organisation=organisation, percent=50,
                yearly_cost=POSITION_YEARLY_COST, now=now,
            )  # fmt: skip


def seed_evaluations(*, municipalities: list, today: datetime.date) -> None:
    now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    role = NationalRole.objects.filter(role=NationalRole.Role.COORDINATOR).first()
    coordinator = role.user if role else None
    _round(coordinator, municipalities, now)
    _stories(municipalities, now)
    _budgets(coordinator, municipalities, now)
