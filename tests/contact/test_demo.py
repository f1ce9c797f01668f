"""The demo newsroom has a contact page that mails somewhere, from `make run` on."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from articles.models import Article
from newsroom.models import SiteSettings

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_contact_address_and_every_story_a_report_link(client, tmp_path):
    call_command("load_demo", logins_file=str(tmp_path / "logins.json"), verbosity=0)
    assert SiteSettings.get_solo().contact_email == "letters@foreigndesk.example"
    story = Article.objects.live().first()
    page = client.get(story.get_absolute_url()).content.decode()
    assert f"/contact/?story={story.pk}" in page
    assert "Contact us" in client.get("/").content.decode()
    assert client.get(f"/contact/?story={story.pk}").status_code == 200

    # A demo loaded before the contact form existed gets the address on the next run.
    SiteSettings.objects.update(contact_email="")
    cache.clear()  # django-solo's copy of the row
    call_command("load_demo", logins_file=str(tmp_path / "logins.json"), verbosity=0)
    assert SiteSettings.objects.get().contact_email == "letters@foreigndesk.example"
