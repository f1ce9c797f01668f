"""Subscribing from the public site: double opt-in, no enumeration, rate limits, consent."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Status
from newsletters import links
from newsletters.models import Subscriber, Subscription
from tests.factories import make_article
from tests.newsletters.helpers import (
    make_newsletter,
    queued_confirmations,
    send_queued_confirmations,
)

pytestmark = pytest.mark.django_db
State = Subscription.State


def sign_up(client, capture, email, *newsletters, source="/somewhere/", ip="198.51.100.7"):
    """Post the sign-up form as a browser without JavaScript would, and run what the request
    left for after its commit (the enqueueing)."""
    with capture(execute=True):
        return client.post(
            "/newsletters/subscribe/",
            {"email": email, "newsletter": [n.slug for n in newsletters], "source": source},
            REMOTE_ADDR=ip,
        )


def page_text(response) -> str:
    """The page's main content, without the parts that differ per request (none expected)."""
    html = response.content.decode()
    return re.search(r"<main.*?</main>", html, re.S).group(0)


def test_a_sign_up_records_a_pending_request_and_mails_only_the_confirmation(
    client, django_capture_on_commit_callbacks, newsletter, inbox
):
    response = sign_up(client, django_capture_on_commit_callbacks, "Reader@Example.org",
                       newsletter, source="/europe/a-story/")  # fmt: skip
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.subscriber.email == "reader@example.org"
    assert subscription.state == State.PENDING and subscription.confirmed_at is None
    assert subscription.source == "/europe/a-story/"
    assert send_queued_confirmations() == 1
    [message] = inbox.messages
    assert message["To"] == "reader@example.org"
    assert message["From"] == "The Desk <desk@newsroom.example>"
    assert message["Reply-To"] == "letters@newsroom.example"
    assert message["Message-ID"]
    assert newsletter.name in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    url = re.search(r"http://\S+/newsletters/confirm/[^/\s]+/", text).group(0)
    assert f'href="{url}"' in html
    assert links.read_token(links.CONFIRM, url.split("/")[-2]).newsletter_ids == (newsletter.pk,)
    # Like every email: one-click unsubscribe in the headers, and a visible link.
    unsubscribe = re.search(r"<(\S+)>", message["List-Unsubscribe"]).group(1)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in text and f'href="{unsubscribe}"' in html


def test_unsubscribing_from_the_confirmation_email_cancels_the_request_for_good(
    client, django_capture_on_commit_callbacks, newsletter, inbox
):
    """Someone else's address was signed up: its owner clicks Unsubscribe in the confirmation
    (or their mail client posts one-click); the request ends, and the confirmation link, if
    clicked later, subscribes nobody."""
    sign_up(client, django_capture_on_commit_callbacks, "victim@example.org", newsletter)
    send_queued_confirmations()
    [message] = inbox.messages
    unsubscribe = re.search(r"<(\S+)>", message["List-Unsubscribe"]).group(1)
    text = message.get_body(("plain",)).get_content()
    confirm = re.search(r"http://\S+/newsletters/confirm/[^/\s]+/", text).group(0)

    path = unsubscribe.split("://", 1)[1].partition("/")[2]
    response = client.post(
        "/" + path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Subscription.objects.get().state == State.UNSUBSCRIBED
    client.post("/" + confirm.split("://", 1)[1].partition("/")[2])
    client.get("/" + confirm.split("://", 1)[1].partition("/")[2])
    assert Subscription.objects.get().state == State.UNSUBSCRIBED
    assert Subscriber.objects.get().confirmed_at is None


def test_the_answer_is_the_same_whatever_the_address_already_is(
    client, django_capture_on_commit_callbacks, newsletter
):
    """No enumeration: new, pending, subscribed, unsubscribed and suppressed addresses all get
    the same page."""
    now = timezone.now()
    for email, state in [("pending@example.org", State.PENDING),
                         ("active@example.org", State.ACTIVE),
                         ("left@example.org", State.UNSUBSCRIBED)]:  # fmt: skip
        subscriber = Subscriber.objects.create(email=email, confirmed_at=now)
        Subscription.objects.create(subscriber=subscriber, newsletter=newsletter, state=state)
    Subscriber.objects.create(email="bounced@example.org", suppressed_at=now)
    answers = set()
    for email in ("new@example.org", "pending@example.org", "active@example.org",
                  "left@example.org", "bounced@example.org"):  # fmt: skip
        response = sign_up(client, django_capture_on_commit_callbacks, email, newsletter)
        answers.add((response.status_code, page_text(response), tuple(response.cookies)))
    assert len(answers) == 1
    assert answers.pop()[0] == 200
    # Only the addresses that have something to confirm are asked to.
    asked = {Subscriber.objects.get(pk=args[0]).email for args in queued_confirmations()}
    assert asked == {"new@example.org", "pending@example.org", "left@example.org"}


def test_someone_elses_address_gets_one_confirmation_an_hour_at_most(
    client, django_capture_on_commit_callbacks, newsletter, inbox
):
    other = make_newsletter()
    for n in range(6):  # from six IPs, to two newsletters: the address is what is limited
        sign_up(client, django_capture_on_commit_callbacks, "victim@example.org",
                newsletter if n % 2 else other, ip=f"203.0.113.{n}")  # fmt: skip
    assert send_queued_confirmations() == 1
    assert len(inbox.to("victim@example.org")) == 1
    # An hour later, one more (listing everything still pending), and nothing else, ever.
    Subscriber.objects.update(confirmation_sent_at=timezone.now() - timedelta(minutes=61))
    sign_up(client, django_capture_on_commit_callbacks, "victim@example.org", newsletter)
    sign_up(client, django_capture_on_commit_callbacks, "victim@example.org", newsletter)
    assert queued_confirmations() == [
        [Subscriber.objects.get().pk, sorted([newsletter.pk, other.pk]), "/somewhere/"]
    ]
    assert send_queued_confirmations() == 1
    assert len(inbox.to("victim@example.org")) == 2
    assert not Subscription.objects.filter(state=State.ACTIVE).exists()


def test_one_ip_is_limited_to_its_hourly_allowance(
    client, django_capture_on_commit_callbacks, newsletter, settings, any_cache
):
    settings.NEWSLETTER_SIGNUPS_PER_IP = 3
    for n in range(3):
        response = sign_up(client, django_capture_on_commit_callbacks, f"r{n}@example.org",
                           newsletter, ip="192.0.2.1")  # fmt: skip
        assert response.status_code == 200
    response = sign_up(client, django_capture_on_commit_callbacks, "r9@example.org",
                       newsletter, ip="192.0.2.1")  # fmt: skip
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    assert not Subscriber.objects.filter(email="r9@example.org").exists()
    response = sign_up(client, django_capture_on_commit_callbacks, "r9@example.org",
                       newsletter, ip="192.0.2.2")  # fmt: skip
    assert response.status_code == 200
    assert len(queued_confirmations()) == 4


def test_bad_input_gets_a_clear_answer_and_records_nothing(client, newsletter):
    cases = [
        {"email": "not-an-address", "newsletter": newsletter.slug},
        {"email": "a@example.org"},
        {"email": "a@example.org", "newsletter": "no-such-list"},
        {"email": "a@example.org" + "x" * 300, "newsletter": newsletter.slug},
        {},
    ]
    for data in cases:
        response = client.post("/newsletters/subscribe/", data)
        assert response.status_code == 400, data
        assert 'role="alert"' in response.content.decode()
    assert not Subscriber.objects.exists()
    assert client.get("/newsletters/subscribe/").status_code == 200
    assert client.put("/newsletters/subscribe/").status_code == 405


def test_a_filled_trap_field_is_answered_alike_and_ignored(
    client, django_capture_on_commit_callbacks, newsletter
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/newsletters/subscribe/", {
            "email": "bot@example.org", "newsletter": newsletter.slug, "website": "http://spam",
        })  # fmt: skip
    assert response.status_code == 200 and "Check your inbox" in response.content.decode()
    assert not Subscriber.objects.exists() and not queued_confirmations()


def test_an_inactive_newsletter_takes_no_one(client, django_capture_on_commit_callbacks):
    closed = make_newsletter(is_active=False)
    response = sign_up(client, django_capture_on_commit_callbacks, "a@example.org", closed)
    assert response.status_code == 400  # not a choice on the form
    assert not Subscription.objects.exists()


def test_a_sign_up_costs_a_fixed_number_of_queries(
    client, django_capture_on_commit_callbacks, newsletter, settings
):
    from newsroom.models import SiteSettings

    settings.REMEMBER_VALUES = True  # as in production: the page's navigation is remembered
    SiteSettings.get_solo()  # and a running site has its settings row
    sign_up(client, django_capture_on_commit_callbacks, "warm@example.org", newsletter)
    with CaptureQueriesContext(connection) as captured:
        sign_up(client, django_capture_on_commit_callbacks, "reader@example.org", newsletter)
    # The form's choices, the subscriber, its subscription, the pending list, the claim of the
    # confirmation, the enqueued task, and the savepoints around get_or_create.
    assert len(captured) <= 14, [q["sql"] for q in captured]


def test_the_form_is_on_story_series_and_section_pages_and_keeps_them_cacheable(
    client, settings, any_cache
):
    settings.PAGE_CACHE = True
    story = make_article(status=Status.PUBLISHED)
    series_list = make_newsletter(series=story.series) if story.series else None
    if series_list is None:
        from sections.models import Series

        story.series = Series.objects.create(name="Watch", slug="watch")
        story.save()
        series_list = make_newsletter(series=story.series)
    section_list = make_newsletter(source="section", section=story.section, series=None)
    make_newsletter(name="Elsewhere")  # another series': not offered here
    pages = {
        story.get_absolute_url(): {series_list.slug, section_list.slug},
        story.series.get_absolute_url(): {series_list.slug},
        story.section.get_absolute_url(): {section_list.slug},
        "/newsletters/": {n.slug for n in (series_list, section_list)} | {"newsletter-3"},
    }
    for url, offered in pages.items():
        first, second = client.get(url), client.get(url)
        html = first.content.decode()
        form = re.search(r'<form class="newsletter-signup".*?</form>', html, re.S).group(0)
        assert 'action="/newsletters/subscribe/"' in form
        assert set(re.findall(r'name="newsletter" value="([^"]+)"', form)) == offered, url
        assert "csrfmiddlewaretoken" not in html and not first.cookies, url
        assert second["X-Cache"] == "hit", url


def test_behind_proxies_the_limit_counts_the_address_they_saw(
    client, django_capture_on_commit_callbacks, newsletter, settings
):
    """With Varnish in front, REMOTE_ADDR is Varnish for everyone: the reader's IP is the entry
    it appended; what the reader wrote before it does not buy a fresh allowance."""
    settings.TRUSTED_PROXY_COUNT, settings.NEWSLETTER_SIGNUPS_PER_IP = 1, 2
    answers = []
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/newsletters/subscribe/",
                {"email": f"r{n}@example.org", "newsletter": newsletter.slug},
                REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 198.51.100.20",
            )
        answers.append(response.status_code)
    assert answers == [200, 200, 429]
    data = {"email": "r5@example.org", "newsletter": newsletter.slug}
    response = client.post("/newsletters/subscribe/", data, REMOTE_ADDR="127.0.0.1",
                           HTTP_X_FORWARDED_FOR="198.51.100.21")  # fmt: skip
    assert response.status_code == 200  # another reader behind the same Varnish
