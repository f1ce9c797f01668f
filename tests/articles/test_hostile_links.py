"""Profile and site links are drawn as <a href>: the admin refuses any address that is not
a web link, so a javascript: or data: URL never reaches a page. (A web address that tries to
close its attribute is valid; tests/hostile_newsroom.py saves one and the pages escape it.)"""

import pytest
from django.urls import reverse

from articles.models import Author
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

NOT_WEB_LINKS = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
]


@pytest.mark.parametrize("address", NOT_WEB_LINKS)
def test_an_author_link_must_be_a_web_address(client, editor, address):
    client.force_login(editor)
    fields = ("x_url", "bluesky_url", "linkedin_url", "website")
    response = client.post(reverse("admin:articles_author_add"), {
        "name": "Guest", "slug": "guest", "job_title": "", "bio": "", "photo": "", "email": "",
        "user": "", **dict.fromkeys(fields, address),
    })  # fmt: skip
    assert response.status_code == 200  # the form again, with errors
    assert set(response.context["adminform"].form.errors) == set(fields)
    assert not Author.objects.exists()


@pytest.mark.parametrize("address", NOT_WEB_LINKS)
def test_the_sites_links_must_be_web_addresses(client, publisher, address):
    client.force_login(publisher)
    url = reverse("admin:newsroom_sitesettings_change")
    data = change_form_data(client.get(url))
    data |= {"facebook_url": address, "x_url": address, "youtube_url": address}
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"facebook_url", "x_url", "youtube_url"}
