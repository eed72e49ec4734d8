"""UKM events around the real clock: the views read timezone.now(), so an open event's window
surrounds now, and a closed one ended yesterday. Ages are counted from the event's year."""

import datetime

import pytest
from django.utils import timezone

from ungkultur.ukm.models import UkmEvent
from ungkultur.ukm.services import event_year

DAY = datetime.timedelta(days=1)


def make_event(personas, *, opens, closes, starts, name="UKM Arendal"):
    return UkmEvent.objects.create(
        unit=personas.a.ukm,
        name=name,
        description="Lokalmønstring i Kulturhuset.",
        starts_at=starts,
        venue=personas.a.venue,
        signup_opens=opens,
        signup_closes=closes,
    )


@pytest.fixture
def open_event(personas):
    now = timezone.now()
    return make_event(personas, opens=now - DAY, closes=now + 7 * DAY, starts=now + 14 * DAY)


@pytest.fixture
def closed_event(personas):
    now = timezone.now()
    return make_event(
        personas, opens=now - 30 * DAY, closes=now - DAY, starts=now + DAY, name="UKM i fjor"
    )


@pytest.fixture
def future_event(personas):
    now = timezone.now()
    return make_event(
        personas, opens=now + DAY, closes=now + 8 * DAY, starts=now + 14 * DAY, name="UKM neste"
    )


@pytest.fixture
def year(open_event):
    return event_year(open_event)


@pytest.fixture
def youth(personas, year):
    """Arendal's youth, 16 in the event's year (no guardian needed)."""
    personas.youth_a.birth_year = year - 16
    personas.youth_a.save()
    return personas.youth_a


def person(first_name, birth_year, **fields):
    return {"first_name": first_name, "last_name": "Testesen", "birth_year": birth_year, **fields}


def innslag_data(
    *,
    type="music",
    name="Bandet",
    persons=(),
    titles=(),
    person_rows=5,
    title_rows=3,
    initial_persons=0,
    initial_titles=0,
    description="",
):
    """The POST of the entry form: the entry, then person and title rows (empty rows stay)."""
    data = {
        "type": type,
        "name": name,
        "description": description,
        "persons-TOTAL_FORMS": str(max(person_rows, len(persons))),
        "persons-INITIAL_FORMS": str(initial_persons),
        "persons-MIN_NUM_FORMS": "1",
        "persons-MAX_NUM_FORMS": "50",
        "titles-TOTAL_FORMS": str(max(title_rows, len(titles))),
        "titles-INITIAL_FORMS": str(initial_titles),
        "titles-MIN_NUM_FORMS": "0",
        "titles-MAX_NUM_FORMS": "20",
    }
    for index, row in enumerate(persons):
        for key, value in row.items():
            data[f"persons-{index}-{key}"] = "on" if value is True else str(value)
    for index, row in enumerate(titles):
        for key, value in row.items():
            if value is not False:
                data[f"titles-{index}-{key}"] = "on" if value is True else str(value)
    return data
