import pytest
from django.urls import reverse

from ungkultur.municipalities.models import Municipality

pytestmark = pytest.mark.django_db


def test_home_lists_kk_municipalities_only(client, personas):
    response = client.get(reverse("organisations:home"))
    assert response.status_code == 200
    assert "Ung kultur i Arendal" in response.text
    assert "Ung kultur i Sola" in response.text
    assert "Ung kultur i Melhus" not in response.text


def test_municipality_list_has_all_357(client, django_assert_max_num_queries):
    # The county choices (a count and the rows), the count of municipalities, one page of them.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("organisations:municipality_list"))
    assert response.status_code == 200
    assert "357 kommuner" in response.text
    assert "Side 1 av 8" in response.text
    assert response.text.count("<tr>") == 51  # the header and 50 municipalities


def test_municipality_list_pages_keep_the_filters(client):
    response = client.get(reverse("organisations:municipality_list"), {"q": "a", "page": 2})
    assert "Side 2 av" in response.text
    assert "?q=a&amp;page=1" in response.text
    assert "?q=a&amp;page=3" in response.text


def test_municipality_list_rejects_a_bad_page(client):
    response = client.get(reverse("organisations:municipality_list"), {"page": "x"})
    assert response.status_code == 400
    assert "Oppgi et heltall" in response.text


def test_municipality_list_filters_by_name_and_kk(client, personas):
    response = client.get(reverse("organisations:municipality_list"), {"q": "aren", "kk": "on"})
    assert "1 kommune" in response.text
    assert "Arendal" in response.text


def test_municipality_list_rejects_unknown_county(client):
    response = client.get(reverse("organisations:municipality_list"), {"county": "99"})
    assert response.status_code == 400
    assert "Velg et gyldig valg" in response.text


def test_municipality_list_htmx_returns_only_results(client):
    response = client.get(
        reverse("organisations:municipality_list"), {"q": "Sola"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="results"' in response.text


def test_municipality_page_shows_organisation_without_youth_names(client, personas):
    response = client.get(reverse("organisations:municipality_detail", args=["4203"]))
    assert response.status_code == 200
    assert "Ung kultur i Arendal" in response.text
    assert "Arendal kulturskole" in response.text
    assert "Arendal bibliotek" in response.text
    assert personas.leader_a.full_name in response.text
    assert "1 ungdom" in response.text
    assert personas.youth_member_a.first_name not in response.text


def test_old_municipality_number_redirects_to_current(client):
    response = client.get(reverse("organisations:municipality_detail", args=["3006"]))
    assert response.status_code == 301
    assert response["Location"] == reverse("organisations:municipality_detail", args=["3303"])


def test_unknown_municipality_is_404(client):
    response = client.get(reverse("organisations:municipality_detail", args=["9999"]))
    assert response.status_code == 404


def test_footer_links_the_municipalitys_accessibility_statement(client, personas):
    Municipality.objects.filter(code="4203").update(
        accessibility_statement_url="https://uustatus.no/nb/erklaringer/publisert/arendal"
    )
    response = client.get(reverse("organisations:municipality_detail", args=["4203"]))
    assert "https://uustatus.no/nb/erklaringer/publisert/arendal" in response.text


# Switching KK on and off: test_kk_switch.py.


def test_municipality_page_query_count_does_not_grow_with_members(
    client, personas, django_assert_max_num_queries
):
    # The municipality (with county) by number; its units; its groups; their memberships with
    # users;
    # its former numbers; the youth budget vote running now and the UKM sign-up open now (the
    # "Stem nå" and "Meld på UKM" banners).
    with django_assert_max_num_queries(7):
        client.get(reverse("organisations:municipality_detail", args=["4203"]))


def test_the_page_links_to_the_work_and_the_dashboard_only_for_its_staff(client, personas):
    url = reverse("organisations:municipality_detail", args=["4203"])
    dashboard = reverse("indicators:dashboard", args=["4203"])
    anonymous = client.get(url).text
    assert reverse("participation:proposal_list", args=["4203"]) in anonymous
    assert reverse("meetings:municipality_events", args=["4203"]) in anonymous
    assert reverse("planning:municipality_home", args=["4203"]) in anonymous
    assert dashboard not in anonymous
    client.force_login(personas.youth_a)
    assert dashboard not in client.get(url).text
    client.force_login(personas.leader_a)
    assert dashboard in client.get(url).text
