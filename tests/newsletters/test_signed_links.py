"""Confirm, preferences and unsubscribe links: they act only when genuine, say so when not,
and unsubscribing takes one click (RFC 8058), at once."""

import re

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from newsletters import links
from newsletters.models import Issue, Subscriber, Subscription
from tests.newsletters.helpers import make_newsletter

pytestmark = pytest.mark.django_db
State = Subscription.State


@pytest.fixture
def csrf_client():
    """A client that checks CSRF tokens, as a real browser session is checked."""
    return Client(enforce_csrf_checks=True)


def pending(newsletter, email="reader@example.org", **fields) -> Subscriber:
    subscriber, _ = Subscriber.objects.get_or_create(email=email)
    Subscription.objects.create(subscriber=subscriber, newsletter=newsletter,
                                source="/europe/a-story/", **fields)  # fmt: skip
    return subscriber


def path_of(url: str) -> str:
    return url.removeprefix("http://localhost:8000")


def post_with_token(client, url, data=None):
    """Post a page's form the way a browser does: with the CSRF token the page gave it."""
    page = client.get(url)  # sets the CSRF cookie the client keeps
    field = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    return client.post(url, {**(data or {}), "csrfmiddlewaretoken": field.group(1)})


def test_links_are_absolute_on_the_site_url(settings, newsletter):
    settings.SITE_URL = "https://news.example"
    subscriber = pending(newsletter)
    for url in (links.confirm_url(subscriber), links.preferences_url(subscriber),
                links.unsubscribe_url(subscriber)):  # fmt: skip
        assert url.startswith("https://news.example/newsletters/")
        assert "reader" not in url  # the address is not readable in the link


def test_confirming_takes_a_click_on_the_page_and_records_consent(csrf_client, newsletter):
    subscriber = pending(newsletter)
    url = path_of(links.confirm_url(subscriber))
    page = csrf_client.get(url)
    assert page.status_code == 200 and "reader@example.org" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    subscription = Subscription.objects.get()
    assert subscription.state == State.PENDING  # a mail scanner opening it consents to nothing
    assert csrf_client.post(url).status_code == 403  # no token, no consent from elsewhere
    response = post_with_token(csrf_client, url)
    assert response.status_code == 200 and "You are subscribed" in response.content.decode()
    subscription.refresh_from_db()
    subscriber.refresh_from_db()
    assert subscription.state == State.ACTIVE and subscription.confirmed_at
    assert subscription.source == "/europe/a-story/" and subscription.requested_at
    assert subscriber.confirmed_at == subscription.confirmed_at


def test_an_old_confirmation_link_confirms_only_what_it_named(client, newsletter):
    subscriber = pending(newsletter)
    url = path_of(links.confirm_url(subscriber))
    later = make_newsletter()
    Subscription.objects.create(subscriber=subscriber, newsletter=later)  # asked by someone else
    client.post(url)
    states = dict(subscriber.subscriptions.values_list("newsletter__slug", "state"))
    assert states == {newsletter.slug: State.ACTIVE, later.slug: State.PENDING}


def test_a_confirmation_link_does_not_undo_an_unsubscribe(client, newsletter):
    subscriber = pending(newsletter)
    url = path_of(links.confirm_url(subscriber))
    client.post(url)
    client.post(path_of(links.unsubscribe_url(subscriber)))
    response = client.post(url)
    assert "nothing left to confirm" in response.content.decode()
    assert Subscription.objects.get().state == State.UNSUBSCRIBED


@pytest.mark.parametrize("kind", [links.CONFIRM, links.PREFERENCES, links.UNSUBSCRIBE])
def test_forged_links_do_nothing_and_say_so(client, newsletter, kind):
    subscriber = pending(newsletter)
    genuine = links.make_token(kind, subscriber, newsletter_ids=[newsletter.pk])
    other_kind = links.PREFERENCES if kind != links.PREFERENCES else links.CONFIRM
    forgeries = [
        genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB"),  # tampered signature
        signing.dumps({"s": subscriber.pk, "e": "0" * 16}, salt=f"newsletters.links.{kind}"),
        signing.dumps({"s": subscriber.pk}, salt="somewhere else"),
        links.make_token(other_kind, subscriber, newsletter_ids=[newsletter.pk]),
        "x", "%3Cscript%3E", "a" * 3000,
    ]  # fmt: skip
    for token in forgeries:
        for method in (client.get, client.post):
            response = method(f"/newsletters/{kind}/{token}/")
            assert response.status_code == 400, (token, method)
            assert "This link is not valid" in response.content.decode()
            assert "Nothing was changed" in response.content.decode()
    assert Subscription.objects.get().state == State.PENDING


def test_an_expired_confirmation_link_does_nothing_and_says_so(client, settings, newsletter):
    subscriber = pending(newsletter)
    url = path_of(links.confirm_url(subscriber))
    settings.NEWSLETTER_CONFIRM_MAX_AGE = -1
    response = client.post(url)
    assert response.status_code == 410 and "This link has expired" in response.content.decode()
    assert Subscription.objects.get().state == State.PENDING


def test_links_die_with_an_erased_subscriber(client, newsletter):
    subscriber = pending(newsletter)
    urls = [path_of(links.preferences_url(subscriber)), path_of(links.unsubscribe_url(subscriber))]
    subscriber.delete()
    Subscriber.objects.create(email="someone-else@example.org")  # may reuse the id on SQLite
    for url in urls:
        assert client.get(url).status_code == 400


def test_one_click_unsubscribe_works_without_cookie_or_token_and_at_once(csrf_client, newsletter):
    other = make_newsletter()
    subscriber = pending(newsletter, state=State.ACTIVE)
    Subscription.objects.create(subscriber=subscriber, newsletter=other, state=State.ACTIVE)
    issue = Issue.objects.create(newsletter=newsletter, number=1, subject="One")
    url = path_of(links.unsubscribe_url(subscriber, issue))
    page = csrf_client.get(url)  # the visible link: a page with one button, nothing done yet
    assert page.status_code == 200 and newsletter.name in page.content.decode()
    assert not Subscription.objects.filter(state=State.UNSUBSCRIBED).exists()
    # What Gmail or Apple Mail post (RFC 8058): no cookie, no CSRF token.
    response = csrf_client.post(url, "List-Unsubscribe=One-Click",
                                content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert response.status_code == 200 and "You are unsubscribed" in response.content.decode()
    states = dict(subscriber.subscriptions.values_list("newsletter_id", "state"))
    assert states == {newsletter.pk: State.UNSUBSCRIBED, other.pk: State.ACTIVE}
    left = subscriber.subscriptions.get(newsletter=newsletter)
    assert left.unsubscribed_after == issue and left.unsubscribed_at <= timezone.now()
    # Again: harmless. Without an issue: every newsletter.
    assert csrf_client.post(url).status_code == 200
    csrf_client.post(path_of(links.unsubscribe_url(subscriber)))
    assert set(subscriber.subscriptions.values_list("state", flat=True)) == {State.UNSUBSCRIBED}


def test_preferences_change_newsletters_and_unsubscribe_from_all(csrf_client, newsletter):
    other, third = make_newsletter(), make_newsletter()
    subscriber = pending(newsletter, state=State.ACTIVE, confirmed_at=timezone.now())
    url = path_of(links.preferences_url(subscriber))
    page = csrf_client.get(url)
    html = page.content.decode()
    assert "no-store" in page["Cache-Control"]
    checked = [re.search(r'value="([^"]+)"', tag).group(1)
               for tag in re.findall(r"<input[^>]*checked[^>]*>", html)]  # fmt: skip
    assert checked == [newsletter.slug]
    assert csrf_client.post(url, {"newsletters": [other.slug]}).status_code == 403
    response = post_with_token(csrf_client, url, {"newsletters": [other.slug, third.slug]})
    assert response.status_code == 200 and "Saved" in response.content.decode()
    states = dict(subscriber.subscriptions.values_list("newsletter_id", "state"))
    assert states == {newsletter.pk: State.UNSUBSCRIBED, other.pk: State.ACTIVE,
                      third.pk: State.ACTIVE}  # fmt: skip
    added = subscriber.subscriptions.get(newsletter=other)
    assert added.confirmed_at and added.source == "preferences page"
    response = post_with_token(csrf_client, url, {"unsubscribe_all": "1"})
    assert "You will receive no more newsletters" in response.content.decode()
    assert set(subscriber.subscriptions.values_list("state", flat=True)) == {State.UNSUBSCRIBED}
    bad = post_with_token(csrf_client, url, {"newsletters": ["no-such-list"]})
    assert bad.status_code == 400 and 'role="alert"' in bad.content.decode()


def test_signed_link_pages_are_never_cached(client, settings, newsletter):
    settings.PAGE_CACHE = True
    subscriber = pending(newsletter)
    for url in (links.confirm_url(subscriber), links.preferences_url(subscriber),
                links.unsubscribe_url(subscriber)):  # fmt: skip
        for _ in range(2):
            response = client.get(path_of(url))
            assert response.status_code == 200
            assert "no-store" in response["Cache-Control"]
            assert response.get("X-Cache") != "hit"  # not a public page: never stored
