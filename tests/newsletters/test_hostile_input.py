"""Hostile input in every sign-up field, in newsletter names and in a (valid) address never
reaches a page or an email unescaped."""

import re

import pytest

from articles.models import Status
from newsletters import emails, links
from newsletters.models import Subscriber, Subscription
from tests.factories import make_article
from tests.newsletters.helpers import make_newsletter, send_queued_confirmations
from tests.xss_vectors import nastiest, problems_in, vectors

pytestmark = pytest.mark.django_db

# Valid by RFC 5322 (a quoted local part), so it is stored and shown back: escaped.
HOSTILE_ADDRESS = '"<svg/onload=alert(1)>"@example.org'


def main_of(html: str) -> str:
    return re.search(r"<main.*?</main>", html, re.S).group(0)


# Our own forms, which problems_in (written for rich text) reports as not allowed.
OURS = {"<form>", "<input>", "<button>", "<fieldset>", "<legend>", "<label>"}


def assert_inert(html: str, where, *, email: bool = False) -> None:
    """Nothing that could run; in an email, our own inline styles are expected."""
    found = [p for p in problems_in(html) if p not in OURS]
    if email:
        found = [p for p in found if "[style=" not in p]
    assert found == [], where
    assert "<script>alert" not in html and "<svg/onload" not in html, where


def test_every_form_field_with_every_vector(client, newsletter):
    for vector in vectors() + nastiest():
        data = {"email": vector.html, "newsletter": [newsletter.slug, vector.html[:200]],
                "source": vector.html, "website": vector.html}  # fmt: skip
        response = client.post("/newsletters/subscribe/", data)
        assert response.status_code == 400, vector.number
        assert_inert(main_of(response.content.decode()), vector.number)
    assert not Subscriber.objects.exists()


def test_a_hostile_source_is_not_recorded(client, django_capture_on_commit_callbacks, newsletter):
    for n, vector in enumerate(nastiest()):
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/newsletters/subscribe/", {"email": f"r{n}@example.org",
                        "newsletter": newsletter.slug, "source": vector.html})  # fmt: skip
    # Not a path on this site: the form's own address is recorded instead.
    assert set(Subscription.objects.values_list("source", flat=True)) == {"/newsletters/subscribe/"}


def test_a_hostile_but_valid_address_is_escaped_on_every_page_and_in_the_email(
    client, django_capture_on_commit_callbacks, newsletter, inbox
):
    with django_capture_on_commit_callbacks(execute=True):
        data = {"email": HOSTILE_ADDRESS, "newsletter": newsletter.slug}
        response = client.post("/newsletters/subscribe/", data)
    assert response.status_code == 200
    subscriber = Subscriber.objects.get()
    assert send_queued_confirmations() == 1
    html = inbox.messages[0].get_body(("html",)).get_content()
    assert_inert(html, "email", email=True)
    for url in (links.confirm_url(subscriber), links.preferences_url(subscriber),
                links.unsubscribe_url(subscriber)):  # fmt: skip
        page = client.get(url.removeprefix("http://localhost:8000"))
        assert page.status_code == 200
        assert "&lt;svg/onload=alert(1)&gt;" in page.content.decode()
        assert_inert(main_of(page.content.decode()), url)


def test_hostile_newsletter_names_and_descriptions_stay_text(client, inbox):
    story = make_article(status=Status.PUBLISHED)
    hostile = []
    for vector in nastiest():
        hostile.append(make_newsletter(source="section", section=story.section, series=None,
                       name=vector.html[:100], description=vector.html))  # fmt: skip
    subscriber = Subscriber.objects.create(email="reader@example.org")
    for newsletter in hostile:
        Subscription.objects.create(subscriber=subscriber, newsletter=newsletter)
    pages = [story.get_absolute_url(), story.section.get_absolute_url(), "/newsletters/",
             "/newsletters/subscribe/",
             links.confirm_url(subscriber).removeprefix("http://localhost:8000"),
             links.preferences_url(subscriber).removeprefix("http://localhost:8000")]  # fmt: skip
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(main_of(response.content.decode()), url)
    message = emails.confirmation_message(subscriber, hostile)
    assert_inert(message.alternatives[0][0], "confirmation email", email=True)
    message.send()
    assert inbox.messages[0]["Subject"].startswith("Confirm your subscription")
