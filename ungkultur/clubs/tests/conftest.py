import datetime

import pytest
from django.utils import timezone

from ungkultur.clubs.services import club_evening_register


@pytest.fixture
def register_evening(personas):
    """Register an evening at Arendal's club through the service, as staff would."""

    def register(date, counts=None, first_time_visitors=0, unit=None, note=""):
        return club_evening_register(
            actor=personas.a.club_worker,
            unit=unit or personas.a.club,
            date=date,
            counts=counts or {},
            first_time_visitors=first_time_visitors,
            note=note,
            now=timezone.now(),
        )

    return register


@pytest.fixture
def yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)
