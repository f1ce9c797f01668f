"""The story editor finds library pictures to place in the body."""

import pytest
from django.urls import reverse

from tests.images import make_image

pytestmark = pytest.mark.django_db
URL = reverse("admin:articles_article_library_search")


def test_a_contributor_finds_pictures_by_caption_alt_text_or_credit(client, contributor):
    pool = make_image(caption="The old swimming pool", credit="Jo Bloggs/Agency")
    make_image(caption="A council meeting", alt_text="Councillors at a table")
    client.force_login(contributor)
    for query in ("swimming", "bloggs", "pool agency"):
        results = client.get(URL, {"q": query}).json()["results"]
        assert [r["id"] for r in results] == [pool.pk], query
    found = results[0]
    assert found["credit"] == "Jo Bloggs/Agency"
    assert found["src"] == pool.file.url
    assert len(client.get(URL).json()["results"]) == 2


def test_anonymous_visitors_cannot_search_the_library(client):
    make_image(caption="The old swimming pool")
    response = client.get(URL, {"q": "pool"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_without_the_library_permission_cannot_search_it(client):
    from tests.factories import make_user

    client.force_login(make_user())
    assert client.get(URL, {"q": "pool"}).status_code == 403
