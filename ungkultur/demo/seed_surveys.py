"""Demo data for surveys: a questionnaire from the question bank, a baseline wave with code
batches per pilot and a few hundred fictional responses sent through the real service, a
planned follow-up wave, and a draft shared with the youth resource groups."""

import datetime
import random

from django.utils import timezone

from ungkultur.organisations.models import Group
from ungkultur.surveys import services
from ungkultur.surveys.models import Questionnaire, Section

FORM_ID = "ungkultur_demo_kultur"
PAGES = (
    ("om_deg", "Om deg", "Om deg", "About you", ("gender", "grade", "age")),
    (
        "fritid",
        "Fritida di",
        "Fritida di",
        "Your free time",
        ("activities", "kulturskole", "club_use", "band_choir"),
    ),
    (
        "der_du_bor",
        "Der du bor",
        "Der du bur",
        "Where you live",
        ("offer_satisfaction", "places_to_meet", "wish"),
    ),
)
RESPONSES_PER_PILOT = 64
WISHES = (
    "Et sted å øve med bandet på kveldstid",
    "Flere kurs i dans og film",
    "Åpen klubb også i helgene",
    "Gratis sted å være etter skolen",
    "",
)


def seed_surveys(*, municipalities: list, today: datetime.date) -> None:
    """Seed surveys for the pilot municipalities (idempotent)."""
    if Questionnaire.objects.filter(form_id=FORM_ID).exists():
        return
    now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(9)))
    questionnaire = _questionnaire(now, title="Kultur og fritid blant unge (demo)")
    questionnaire.form_id, questionnaire.version = FORM_ID, "1"
    questionnaire.save(update_fields=["form_id", "version"])
    survey = services.survey_create(
        actor=None,
        title="Følgeforskning KK: ungdom og kultur (demo)",
        questionnaire=questionnaire,
        description="Fiktive svar for å vise hvordan undersøkelsen virker.",
        now=now,
    )
    baseline = services.wave_create(
        actor=None,
        survey=survey,
        identifier="baseline",
        title="Baseline",
        opens_on=today - datetime.timedelta(days=30),
        now=now,
    )
    baseline = services.wave_open(actor=None, wave=baseline, now=now)
    services.wave_create(
        actor=None,
        survey=survey,
        identifier="followup-1",
        title="Oppfølging 1",
        opens_on=today + datetime.timedelta(days=365),
        now=now,
    )
    for municipality in municipalities:
        _answer(baseline, municipality, today=today, now=now)
    draft = _questionnaire(now, title="Oppfølging: møteplasser for unge (utkast)")
    for group in Group.objects.filter(
        kind=Group.Kind.YOUTH_RESOURCE_GROUP, municipality__in=municipalities
    ):
        services.questionnaire_share(actor=None, questionnaire=draft, group=group, now=now)


def _questionnaire(now, *, title):
    questionnaire = services.questionnaire_create(actor=None, title=title, now=now)
    first = questionnaire.sections.get()
    for position, (name, nb, nn, en, keys) in enumerate(PAGES, start=1):
        if position == 1:
            section = first
            section.name, section.label_nb, section.label_nn, section.label_en = name, nb, nn, en
            section.save()
        else:
            section = services.section_save(
                actor=None,
                section=Section(
                    questionnaire=questionnaire, name=name, label_nb=nb, label_nn=nn, label_en=en
                ),
                now=now,
            )
        for key in keys:
            services.question_add_from_bank(actor=None, section=section, key=key, now=now)
    return questionnaire


def _answer(wave, municipality, *, today, now):
    rng = random.Random(f"surveys-{municipality.code}")
    batch, codes = services.code_batch_create(
        actor=None,
        wave=wave,
        municipality=municipality,
        count=RESPONSES_PER_PILOT + 6,
        school=f"{municipality.name} ungdomsskole",
        class_label="9. trinn",
        now=now,
    )
    services.information_letter_record(
        actor=None,
        wave=wave,
        municipality=municipality,
        batch=batch,
        version="2026-1",
        sent_on=today - datetime.timedelta(days=40),
        now=now,
    )
    lean = rng.choice((0, 1, 1, 2))  # some pilots are happier with their offer than others
    for code in codes[:RESPONSES_PER_PILOT]:
        services.response_submit(wave=wave, answers=_fictional(rng, lean), code=code, today=today)
    # The demo shows results at once, also of the last few sent (PendingResponse).
    services.pending_responses_move(wave_id=wave.pk, leftovers=True)


def _fictional(rng, lean):
    grade = rng.choice(("8", "9", "9", "10", "10", "11"))
    answers = {
        "kjonn": rng.choices(("1", "2", "3", "9"), weights=(47, 47, 3, 3))[0],
        "trinn": grade,
        "alder": int(grade) + 5,
        "aktiviteter": rng.sample(("1", "2", "3", "4", "5", "6"), k=rng.randint(0, 3)),
        "kulturskole": rng.choices(("1", "2"), weights=(25, 75))[0],
        "klubb_bruk": rng.choice(("1", "1", "2", "3", "4")),
        "band_kor": rng.choice(("1", "1", "1", "2", "4")),
        "fornoyd_tilbud": str(min(5, rng.randint(1, 4) + lean)),
        "moteplass_inne": str(rng.randint(1, 5)),
        "moteplass_trygg": str(min(5, rng.randint(2, 4) + lean)),
        "moteplass_medvirke": str(rng.randint(1, 5)),
        "onske": rng.choice(WISHES),
    }
    # Some skip questions, as real respondents do.
    for name in rng.sample(sorted(answers), k=rng.choice((0, 0, 1, 2))):
        if name != "kjonn":
            answers.pop(name)
    return answers
