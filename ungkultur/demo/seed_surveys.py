"""Demo data for surveys: a questionnaire from the question bank, a closed wave from the
pilot's start (so the results pages and the final report have published tables: 64 responses
per pilot, far above the disclosure minimum), an open baseline wave with code batches per pilot
and a few hundred fictional responses sent through the real service, a planned follow-up wave,
and a draft shared with the youth resource groups."""

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
    # The wave at the pilot's start, answered and closed a year ago: the closed wave the
    # results pages and the final report publish (an open wave's results are not final).
    start_day = today - datetime.timedelta(days=400)
    start_now = now - datetime.timedelta(days=400)
    start = services.wave_create(
        actor=None,
        survey=survey,
        identifier="pilotstart",
        title="Ved pilotstart",
        opens_on=start_day,
        now=start_now,
    )
    start = services.wave_open(actor=None, wave=start, now=start_now)
    for municipality in municipalities:
        _answer(start, municipality, today=start_day + datetime.timedelta(days=10), now=start_now,
                lean_shift=-1)  # fmt: skip
    services.wave_close(actor=None, wave=start, now=start_now + datetime.timedelta(days=60))
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


def _answer(wave, municipality, *, today, now, lean_shift=0):
    # The baseline keeps the seed it always had, so its figures stay as they were.
    key = "" if wave.identifier == "baseline" else f"{wave.identifier}-"
    rng = random.Random(f"surveys-{key}{municipality.code}")
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
    # Some pilots are happier with their offer than others (and less so at the pilot's start).
    lean = max(0, rng.choice((0, 1, 1, 2)) + lean_shift)
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
