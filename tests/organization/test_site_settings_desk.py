"""Publishers name the newsroom's policy pages and its organisation in the desk's site
settings; the next page a reader opens says so to search engines."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Status
from newsroom.models import SiteSettings
from pages.models import Page
from tests.admin_forms import change_form_data, logged_in

pytestmark = pytest.mark.django_db
SETTINGS = reverse("admin:newsroom_sitesettings_change")


def test_the_settings_form_groups_the_organisation_and_the_policies(publisher):
    html = logged_in(publisher).get(SETTINGS).content.decode()
    assert "Policies (Trust Project)" in html and "Organisation" in html
    for label in ("Masthead", "Corrections policy", "Ownership and funding", "Founded", "Logo"):
        assert label in html, label
    assert "Search engines are told of it once the page is published." in html


def test_a_publisher_names_the_corrections_policy_and_readers_get_it(client, publisher):
    policy = Page.objects.create(
        title="Corrections",
        slug="corrections-policy",
        status=Status.PUBLISHED,
        publish_at=timezone.now() - timedelta(days=1),
    )
    staff = logged_in(publisher)
    data = change_form_data(staff.get(SETTINGS))
    data |= {"corrections_policy_page": str(policy.pk), "founding_date": "1998-04-01"}
    assert staff.post(SETTINGS, data).status_code == 302
    site = SiteSettings.get_solo()
    assert site.corrections_policy_page == policy and str(site.founding_date) == "1998-04-01"
    html = client.get("/").content.decode()
    assert '"correctionsPolicy": "http://testserver/corrections-policy/"' in html
    assert '"foundingDate": "1998-04-01"' in html


def test_a_bad_date_is_refused_with_a_message_not_an_error(publisher):
    staff = logged_in(publisher)
    data = change_form_data(staff.get(SETTINGS)) | {"founding_date": "the year dot"}
    response = staff.post(SETTINGS, data)
    assert response.status_code == 200 and "Enter a valid date." in response.content.decode()


def test_editors_cannot_change_the_site_settings(editor):
    assert logged_in(editor).get(SETTINGS).status_code == 403
