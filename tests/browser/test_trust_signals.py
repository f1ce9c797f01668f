"""A reader finds how the newsroom corrects its mistakes from a story it corrected."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Correction, Status
from articles.roles import PUBLISHER
from newsroom.models import SiteSettings
from pages.models import Page
from tests.browser.staff import log_in
from tests.factories import make_article, make_user

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_a_reader_finds_the_corrections_policy_from_a_corrected_story(live_server, tab):
    policy = Page.objects.create(
        title="How we correct our mistakes",
        slug="corrections-policy",
        body="<p>We correct errors of fact promptly and say so on the story.</p>",
        status=Status.PUBLISHED,
        publish_at=timezone.now() - timedelta(days=1),
    )
    site = SiteSettings.get_solo()
    site.corrections_policy_page = policy
    site.save()
    story = make_article(status=Status.PUBLISHED, headline="Harbour dues to rise")
    Correction.objects.create(article=story, text="An earlier version misstated the dues.")

    tab.goto(live_server.url + story.get_absolute_url())
    corrections = tab.locator("section.corrections")
    expect(corrections).to_contain_text("An earlier version misstated the dues.")
    corrections.get_by_role("link", name="How we correct our mistakes").click()
    expect(tab).to_have_url(live_server.url + "/corrections-policy/")
    expect(tab.locator("h1")).to_have_text("How we correct our mistakes")
    expect(tab.locator("article.page")).to_contain_text("We correct errors of fact promptly")

    # The corrections page leads there too.
    tab.goto(live_server.url + "/corrections/")
    expect(tab.locator("ol.corrections-list")).to_contain_text("Harbour dues to rise")
    tab.get_by_role("link", name="How we correct our mistakes: our corrections policy").click()
    expect(tab).to_have_url(live_server.url + "/corrections-policy/")


def test_a_publisher_names_the_corrections_policy_in_the_site_settings(live_server, tab):
    Page.objects.create(
        title="Corrections policy",
        slug="corrections-policy",
        status=Status.PUBLISHED,
        publish_at=timezone.now() - timedelta(days=1),
    )
    log_in(tab, live_server.url, make_user(PUBLISHER))
    tab.goto(live_server.url + "/admin/newsroom/sitesettings/")
    expect(tab.get_by_role("heading", name="Policies (Trust Project)")).to_be_visible()
    tab.get_by_label("Corrections policy").select_option(label="Corrections policy")
    tab.get_by_label("Founded").fill("1998-04-01")
    with tab.expect_navigation():
        tab.locator("input[name=_save]").click()
    expect(tab.locator(".messagelist")).to_contain_text("changed successfully")
    assert SiteSettings.get_solo().corrections_policy_page.slug == "corrections-policy"
