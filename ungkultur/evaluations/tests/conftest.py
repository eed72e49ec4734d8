import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from ungkultur.evaluations import services

NOW = datetime.datetime(2021, 3, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture
def personas(personas):
    """National roles must have a second factor before they see anything (issue 19)."""
    for user in (personas.admin, personas.coordinator, personas.researcher):
        TOTP.activate(user, generate_totp_secret())
    return personas


@pytest.fixture
def round_(personas):
    return services.round_open(
        actor=personas.coordinator,
        kind="midway",
        title="Midtveisevaluering 2021",
        topics=["needs", "youth_change"],
        now=timezone.now(),
    )


@pytest.fixture
def questions(round_):
    return list(round_.questions.all())
