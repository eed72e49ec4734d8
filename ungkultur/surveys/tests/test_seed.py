import datetime

from ungkultur.demo.seed_surveys import RESPONSES_PER_PILOT, seed_surveys
from ungkultur.surveys.models import AccessCode, Questionnaire, QuestionnaireShare, Response, Wave

TODAY = datetime.date(2026, 11, 26)


def test_the_demo_has_a_bank_questionnaire_a_closed_wave_an_open_baseline_and_responses(
    personas,
):
    pilots = [personas.arendal, personas.sola]
    seed_surveys(municipalities=pilots, today=TODAY)
    seed_surveys(municipalities=pilots, today=TODAY)  # idempotent
    baseline = Wave.objects.get(identifier="baseline")
    assert baseline.is_open and baseline.survey.questionnaire.is_frozen
    assert Wave.objects.get(identifier="followup-1").status == Wave.Status.PLANNED
    assert Response.objects.filter(wave=baseline).count() == 2 * RESPONSES_PER_PILOT
    assert (
        Response.objects.filter(wave=baseline, municipality=personas.sola).count()
        == RESPONSES_PER_PILOT
    )
    # A closed wave from the pilot's start, so results and the final report have tables.
    start = Wave.objects.get(identifier="pilotstart")
    assert start.status == Wave.Status.CLOSED and start.closes_on < baseline.opens_on
    assert Response.objects.filter(wave=start).count() == 2 * RESPONSES_PER_PILOT
    # Two waves with codes: 64 used and 6 spare per pilot in each.
    assert AccessCode.objects.filter(used=True).count() == 2 * 2 * RESPONSES_PER_PILOT
    assert AccessCode.objects.filter(used=False).count() == 2 * 2 * 6
    assert set(baseline.survey.questionnaire.variables()) >= {"kjonn", "trinn", "fornoyd_tilbud"}
    assert Questionnaire.objects.filter(status="draft").count() == 1
    assert QuestionnaireShare.objects.count() == 2
