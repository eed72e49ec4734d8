import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from ungkultur.core.models import AuditEntry
from ungkultur.surveys import services
from ungkultur.surveys.models import AccessCode, OpenLink, PendingResponse, Response
from ungkultur.surveys.tests.factories import (
    GOOD_ANSWERS,
    NOW,
    TODAY,
    make_questionnaire,
    open_wave,
)


@pytest.fixture
def wave(personas):
    return open_wave(personas.researcher, make_questionnaire(personas.researcher))


@pytest.fixture
def codes(personas, wave):
    _batch, codes = services.code_batch_create(
        actor=personas.teacher_a,
        wave=wave,
        municipality=personas.arendal,
        count=3,
        school="Stintajuvet skole",
        class_label="9B",
        now=NOW,
    )
    return codes


def test_a_code_is_used_up_and_the_response_keeps_only_the_date(personas, wave, codes):
    stored = services.response_submit(wave=wave, answers=GOOD_ANSWERS, code=codes[0], today=TODAY)
    stored.refresh_from_db()
    assert stored.submitted_on == TODAY
    assert stored.municipality == personas.arendal
    assert stored.channel == Response.Channel.CODE
    assert stored.answers["aktiviteter"] == ["1", "3"]  # in choice order
    assert stored.answers["alder"] == 14
    assert AccessCode.objects.filter(used=True).count() == 1


def test_a_used_code_is_refused_and_nothing_is_stored(wave, codes):
    services.response_submit(wave=wave, answers=GOOD_ANSWERS, code=codes[0], today=TODAY)
    with pytest.raises(services.CodeRefused, match="allerede brukt") as refused:
        services.response_submit(wave=wave, answers=GOOD_ANSWERS, code=codes[0], today=TODAY)
    assert refused.value.code == "used"
    assert PendingResponse.objects.count() == 1


def test_codes_are_read_without_case_spaces_or_dashes(wave, codes):
    typed = " " + codes[1].replace("-", " ").lower() + " "
    services.response_submit(wave=wave, answers=GOOD_ANSWERS, code=typed, today=TODAY)
    assert PendingResponse.objects.count() == 1


def test_an_unknown_or_withdrawn_code_is_refused(personas, wave, codes):
    with pytest.raises(services.CodeRefused, match="finner ikke"):
        services.response_submit(wave=wave, answers=GOOD_ANSWERS, code="AAAAA-BBBBB", today=TODAY)
    batch = AccessCode.objects.first().batch
    services.code_batch_void(actor=personas.teacher_a, batch=batch, now=NOW)
    with pytest.raises(services.CodeRefused, match="finner ikke"):
        services.response_submit(wave=wave, answers=GOOD_ANSWERS, code=codes[0], today=TODAY)
    assert PendingResponse.objects.count() == 0


def test_a_code_of_another_wave_is_refused(personas, wave, codes):
    other = open_wave(personas.researcher, wave.survey.questionnaire, identifier="followup-1")
    with pytest.raises(services.CodeRefused):
        services.response_submit(wave=other, answers=GOOD_ANSWERS, code=codes[0], today=TODAY)


def test_a_closed_wave_takes_no_responses(personas, wave, codes):
    services.wave_close(actor=personas.researcher, wave=wave, now=NOW)
    wave.refresh_from_db()
    with pytest.raises(ValidationError, match="ikke åpen"):
        services.response_submit(wave=wave, answers=GOOD_ANSWERS, code=codes[0], today=TODAY)
    assert not AccessCode.objects.filter(used=True).exists()


def test_a_wave_past_its_closing_date_takes_no_responses(wave, codes):
    wave.closes_on = TODAY
    wave.save()
    services.response_submit(wave=wave, answers=GOOD_ANSWERS, code=codes[0], today=TODAY)
    later = TODAY + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="ikke åpen"):
        services.response_submit(wave=wave, answers=GOOD_ANSWERS, code=codes[1], today=later)
    assert PendingResponse.objects.count() == 1


def test_bad_answers_leave_the_code_unused(wave, codes):
    bad = {**GOOD_ANSWERS, "kjonn": "7", "alder": 40, "ukjent": "1"}
    with pytest.raises(ValidationError) as error:
        services.response_submit(wave=wave, answers=bad, code=codes[0], today=TODAY)
    assert error.value.message_dict == {
        "kjonn": ["Velg et av svaralternativene."],
        "alder": ["Alder må være mellom 10 og 25."],
        "ukjent": ["Ukjent variabel."],
    }
    assert not AccessCode.objects.filter(used=True).exists()
    assert PendingResponse.objects.count() == 0


def test_required_questions_must_be_answered_and_optional_ones_may_be_skipped(wave, codes):
    with pytest.raises(ValidationError) as error:
        services.response_submit(wave=wave, answers={"alder": 15}, code=codes[0], today=TODAY)
    assert error.value.message_dict == {"kjonn": ["Du må svare på dette spørsmålet."]}
    stored = services.response_submit(wave=wave, answers={"kjonn": "2"}, code=codes[0], today=TODAY)
    assert stored.answers == {"kjonn": "2"}


def test_answers_to_questions_that_do_not_apply_are_dropped(wave, codes):
    answers = {**GOOD_ANSWERS, "kulturskole": "2", "kulturskole_ar": 3}
    stored = services.response_submit(wave=wave, answers=answers, code=codes[0], today=TODAY)
    assert "kulturskole_ar" not in stored.answers


def test_an_open_link_takes_responses_without_a_code(personas, wave):
    link = services.open_link_create(
        actor=personas.ukm_contact if hasattr(personas, "ukm_contact") else personas.teacher_a,
        wave=wave,
        municipality=personas.arendal,
        label="UKM Arendal",
        now=NOW,
    )
    services.response_submit(wave=wave, answers=GOOD_ANSWERS, open_link=link, today=TODAY)
    services.response_submit(wave=wave, answers=GOOD_ANSWERS, open_link=link, today=TODAY)
    assert PendingResponse.objects.filter(channel=Response.Channel.OPEN_LINK).count() == 2
    OpenLink.objects.filter(pk=link.pk).update(active=False)
    link.refresh_from_db()
    with pytest.raises(services.CodeRefused):
        services.response_submit(wave=wave, answers=GOOD_ANSWERS, open_link=link, today=TODAY)


def test_no_response_can_be_linked_to_a_person(wave, codes):
    """No user, IP, time or code on a response; nothing on a code but its batch and state."""
    response_fields = {f.name for f in Response._meta.get_fields()}
    # How it came in and the language answered in: shared by many, never a person's.
    assert response_fields == {
        "id",
        "wave",
        "municipality",
        "submitted_on",
        "channel",
        "language",
        "answers",
    }
    pending_fields = {f.name for f in PendingResponse._meta.get_fields()}
    assert pending_fields == response_fields
    assert Response._meta.get_field("submitted_on").get_internal_type() == "DateField"
    assert {f.name for f in AccessCode._meta.get_fields()} == {"id", "batch", "code_hash", "used"}
    audit_before = AuditEntry.objects.count()
    services.response_submit(wave=wave, answers=GOOD_ANSWERS, code=codes[0], today=TODAY)
    # Submitting writes no audit row (its time would link the code's use to the response),
    # and the code itself is not in the database.
    assert AuditEntry.objects.count() == audit_before
    code_rows = list(AccessCode.objects.values_list("code_hash", flat=True))
    assert all(services.code_normalise(c) not in h for c in codes for h in code_rows)
    assert len(code_rows[0]) == 64


def test_response_ids_say_nothing_about_the_order_of_submission(personas, wave):
    _batch, codes = services.code_batch_create(
        actor=personas.teacher_a, wave=wave, municipality=personas.arendal, count=10, now=NOW
    )
    ids = [
        services.response_submit(wave=wave, answers=GOOD_ANSWERS, code=c, today=TODAY).pk
        for c in codes
    ]
    low, high = services.RESPONSE_ID_RANGE
    assert all(low <= i < high for i in ids)
    assert ids != sorted(ids)  # ten in submission order by chance: one in 3.6 million


@pytest.mark.django_db(transaction=True)
def test_two_submissions_of_one_code_at_the_same_time_store_one_response(personas):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the row lock is tested on PostgreSQL")
    wave = open_wave(personas.researcher, make_questionnaire(personas.researcher))
    _batch, (code,) = services.code_batch_create(
        actor=personas.teacher_a, wave=wave, municipality=personas.arendal, count=1, now=NOW
    )
    barrier, outcomes = threading.Barrier(4), []

    def submit():
        try:
            barrier.wait()
            services.response_submit(wave=wave, answers=GOOD_ANSWERS, code=code, today=TODAY)
            outcomes.append("stored")
        except services.CodeRefused as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["stored", "used", "used", "used"]
    assert PendingResponse.objects.filter(wave=wave).count() == 1
