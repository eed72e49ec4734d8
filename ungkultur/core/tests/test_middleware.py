import pytest
from django.db import InterfaceError, OperationalError


@pytest.mark.django_db
@pytest.mark.parametrize(
    "error",
    [OperationalError("server closed the connection unexpectedly"), InterfaceError("closed")],
)
def test_a_lost_database_answers_503_with_retry_after(client, monkeypatch, error):
    def lost(*args, **kwargs):
        raise error

    monkeypatch.setattr("ungkultur.core.views.render", lost)
    response = client.get("/personvern/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Prøv igjen om litt" in response.content.decode()


@pytest.mark.django_db
def test_other_errors_are_not_turned_into_503(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("ungkultur.core.views.render", broken)
    with pytest.raises(ValueError):
        client.get("/personvern/")
