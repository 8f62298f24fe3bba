"""The curators' page of possible duplicates: pairs of officials ranked with their evidence, merge, and "not the same
person", remembered."""

import datetime

import pytest
from django.contrib.auth.models import User

from statements.models import NotSamePerson, Official
from tests.factories import make_official, make_position, make_statement

pytestmark = pytest.mark.django_db

URL = "/admin/statements/official/duplicates/"


@pytest.fixture
def aliyevs():
    ilham = make_official(name="Ilham Aliyev", country="AZ")
    again = make_official(name="Ilham Heydar oglu Aliyev", country="AZ")
    make_statement(official=ilham, text="Azerbaijan in 2021.", date=datetime.date(2021, 9, 1))
    make_statement(official=again, text="Azerbaijan in 2003.", date=datetime.date(2003, 9, 1))
    make_position(official=again, role="President", attested_on=[datetime.date(2003, 9, 1)])
    make_official(name="Emmanuel Macron", country="FR")
    return ilham, again


def test_the_page_lists_likely_pairs_with_their_evidence(curator_client, aliyevs):
    ilham, again = aliyevs
    response = curator_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "one name holds the other&#x27;s words, the same country" in page
    assert "Ilham Heydar oglu Aliyev" in page and "attested in September 2003" in page
    assert "Macron" not in page
    [row] = response.context["rows"]
    assert {item["official"] for item in row["officials"]} == {ilham, again}
    assert [item["years"] for item in row["officials"]] in ([[2021], [2003]], [[2003], [2021]])
    assert "Possible duplicates" in curator_client.get("/admin/statements/official/").content.decode()


def test_merge_opens_the_existing_merge_page_for_the_pair(curator_client, aliyevs):
    ilham, again = aliyevs
    data = {"action": "merge", "_selected_action": [ilham.pk, again.pk]}
    response = curator_client.post("/admin/statements/official/", data)
    assert response.status_code == 200 and "Merge into the chosen record" in response.content.decode()
    response = curator_client.post("/admin/statements/official/", data | {"keep": ilham.pk})
    assert response.status_code == 302
    again.refresh_from_db()
    assert again.merged_into == ilham
    assert curator_client.get(URL).context["rows"] == []  # A merged record is no one's duplicate.


def test_not_the_same_person_is_remembered_and_never_offered_again(curator_client, curator, aliyevs):
    ilham, again = aliyevs
    for _ in range(2):  # Said twice (a double click): remembered once.
        response = curator_client.post(f"{URL}not-same/", {"official": again.pk, "other": ilham.pk})
        assert response.status_code == 302 and response.url == URL
    remembered = NotSamePerson.objects.get()
    assert (remembered.official, remembered.other, remembered.decided_by) == (
        min(ilham, again, key=lambda o: o.pk),
        max(ilham, again, key=lambda o: o.pk),
        curator,
    )
    assert curator_client.get(URL).context["rows"] == []
    assert Official.objects.current().count() == 3  # Nothing merged.


@pytest.mark.parametrize(
    "data", [{}, {"official": "x", "other": "1"}, {"official": "999999", "other": "1"}, {"official": "1"}]
)
def test_bad_input_to_not_the_same_person_is_a_message_not_an_error(curator_client, aliyevs, data):
    response = curator_client.post(f"{URL}not-same/", data, follow=True)
    assert response.status_code == 200 and "Choose two officials that exist." in response.content.decode()
    assert not NotSamePerson.objects.exists()


def test_one_official_twice_is_refused(curator_client, aliyevs):
    ilham, _ = aliyevs
    response = curator_client.post(f"{URL}not-same/", {"official": ilham.pk, "other": ilham.pk}, follow=True)
    assert "the same person as themself" in response.content.decode()
    assert not NotSamePerson.objects.exists()


def test_only_who_may_change_officials_sees_the_page(client, aliyevs):
    assert client.get(URL).status_code == 302  # To the login page.
    staff = User.objects.create_user("reader", password="a-long-reader-password", is_staff=True)
    client.force_login(staff)
    assert client.get(URL).status_code == 403
    assert client.post(f"{URL}not-same/", {"official": 1, "other": 2}).status_code == 403
    assert client.get(f"{URL}not-same/").status_code in (403, 405)


def test_a_curator_may_undo_not_the_same_person_and_the_pair_comes_back(curator_client, aliyevs):
    ilham, again = aliyevs
    curator_client.post(f"{URL}not-same/", {"official": ilham.pk, "other": again.pk})
    remembered = NotSamePerson.objects.get()
    listing = curator_client.get("/admin/statements/notsameperson/")
    assert listing.status_code == 200 and "Ilham Aliyev" in listing.content.decode()
    delete = f"/admin/statements/notsameperson/{remembered.pk}/delete/"
    assert curator_client.post(delete, {"post": "yes"}).status_code == 302
    assert len(curator_client.get(URL).context["rows"]) == 1
