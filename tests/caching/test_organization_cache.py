"""The organisation's JSON-LD is on every cached page: a policy page that is published, taken
down or due names the pages (and the remembered value) that must change with it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Status
from newsroom.models import SiteSettings
from pages.models import Page
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_policy():
    site = SiteSettings.get_solo()
    site.corrections_policy_page = Page.objects.create(
        title="Corrections policy", slug="corrections-policy", status=Status.DRAFT
    )
    site.save()
    return site.corrections_policy_page


def test_publishing_a_policy_page_reaches_every_cached_page(
    client, page_cache, remembered_values, draft_policy, django_capture_on_commit_callbacks
):
    story = make_article(status=Status.PUBLISHED)
    urls = ["/", story.get_absolute_url(), story.section.get_absolute_url()]
    for url in urls:
        assert "correctionsPolicy" not in client.get(url).content.decode()
        assert client.get(url)["X-Cache"] == "hit", url
    with django_capture_on_commit_callbacks(execute=True):
        draft_policy.status = Status.PUBLISHED
        draft_policy.publish_at = timezone.now() - timedelta(minutes=1)
        draft_policy.save()
    for url in urls:
        body = client.get(url).content.decode()
        assert '"correctionsPolicy": "http://testserver/corrections-policy/"' in body, url
    with django_capture_on_commit_callbacks(execute=True):
        draft_policy.status = Status.UNPUBLISHED
        draft_policy.save()
    for url in urls:
        assert "correctionsPolicy" not in client.get(url).content.decode(), url


def test_a_scheduled_policy_page_bounds_the_life_of_cached_pages(
    client, page_cache, remembered_values, draft_policy
):
    at = timezone.now() + timedelta(minutes=2)  # sooner than the cache keeps pages
    Page.objects.filter(pk=draft_policy.pk).update(status=Status.PUBLISHED, publish_at=at)
    asked = timezone.now()
    response = client.get("/")
    assert "correctionsPolicy" not in response.content.decode()
    max_age = int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))
    assert asked + timedelta(seconds=max_age) <= at + timedelta(seconds=1)
