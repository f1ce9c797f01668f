"""The contact form: works without JavaScript, keeps every message and queues its mailing,
answers with a redirect to a thank-you page; a honeypot, a per-IP limit, CSRF; "Report an
error" names only a story readers may see."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Status
from contact.models import ContactMessage
from tests.factories import HIDDEN_STATES, make_article, make_author

pytestmark = pytest.mark.django_db
TASK = "contact.tasks.deliver_message"


def without_token(page) -> str:
    html = page if isinstance(page, str) else page.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def a_message(**fields) -> dict:
    return {"kind": "contact", "name": "Ann Reader", "email": "ann@example.org",
            "subject": "Your Black Sea piece", "message": "A question about the map.",
            "story": "", "author": "", "website": "", **fields}  # fmt: skip


def test_the_form_is_a_plain_html_form_that_is_never_cached(client):
    response = client.get("/contact/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<form class="contact-form" method="post" action="/contact/">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response.context["form"].initial == {"story": "", "author": "", "kind": "contact"}


def test_a_message_is_stored_its_mailing_queued_and_the_reader_thanked(client, newsroom_address):
    response = client.post("/contact/", a_message())
    assert response.status_code == 302 and response["Location"] == "/contact/thanks/"
    message = ContactMessage.objects.get()
    assert (message.kind, message.name, message.email, message.subject, message.message) == (
        "contact", "Ann Reader", "ann@example.org", "Your Black Sea piece",
        "A question about the map.",
    )  # fmt: skip
    assert message.status == "new" and message.delivery == "queued"
    [task] = DBTaskResult.objects.filter(task_path=TASK)
    assert task.args_kwargs["args"] == [message.pk] and task.status == "READY"
    thanks = client.get(response["Location"])
    assert "Thank you, we've got your message" in thanks.content.decode()


def test_a_tip_may_be_anonymous_but_a_message_needs_an_address_to_answer(client):
    response = client.post("/contact/", a_message(email=""))
    assert response.status_code == 400
    assert "Give an address we can answer to." in response.content.decode()
    assert client.post("/contact/", a_message(kind="tip", email="", name="")).status_code == 302
    assert ContactMessage.objects.get().kind == "tip"


def test_the_honeypot_keeps_nothing_and_answers_alike(client):
    response = client.post("/contact/", a_message(website="http://spam.example"))
    assert response.status_code == 302 and response["Location"] == "/contact/thanks/"
    assert not ContactMessage.objects.exists()
    assert not DBTaskResult.objects.filter(task_path=TASK).exists()


def test_each_ip_may_send_a_few_messages_an_hour(client, settings, any_cache):
    settings.CONTACT_MESSAGES_PER_IP = 2
    for n in range(2):
        assert client.post("/contact/", a_message(message=f"Note {n}")).status_code == 302
    refused = client.post("/contact/", a_message(message="The third one"))
    html = refused.content.decode()
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert "several messages in the last hour" in html
    assert "The third one" in html  # what they typed is still in the form
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post("/contact/", a_message(message="From elsewhere")).status_code == 302
    assert ContactMessage.objects.count() == 3


def test_a_cross_site_post_without_the_forms_token_is_refused():
    browser = Client(enforce_csrf_checks=True)
    assert browser.post("/contact/", a_message()).status_code == 403
    page = browser.get("/contact/")
    token = page.context["csrf_token"]
    sent = browser.post("/contact/", a_message(csrfmiddlewaretoken=str(token)))
    assert sent.status_code == 302 and ContactMessage.objects.count() == 1


def test_report_an_error_names_the_live_story(client):
    story = make_article(status=Status.PUBLISHED, headline="Talks resume in Geneva")
    page = client.get(story.get_absolute_url()).content.decode()
    assert f'href="/contact/?story={story.pk}"' in page and "Report an error" in page
    form = client.get(f"/contact/?story={story.pk}")
    html = form.content.decode()
    assert "Talks resume in Geneva" in html and "<h1>Report an error</h1>" in html
    assert form.context["form"].initial["kind"] == "error"
    client.post("/contact/", a_message(kind="error", story=str(story.pk), email=""))
    report = ContactMessage.objects.get()
    assert report.kind == "error" and report.story == story


@pytest.mark.parametrize("state", sorted(HIDDEN_STATES))
def test_a_story_readers_may_not_see_is_never_named(client, state):
    now = timezone.now()
    fields = {
        k: now + v if isinstance(v, timedelta) else v for k, v in HIDDEN_STATES[state].items()
    }
    story = make_article(headline="Secret embargoed scoop", **fields)
    html = client.get(f"/contact/?story={story.pk}").content.decode()
    assert "Secret embargoed scoop" not in html and f'value="{story.pk}"' not in html
    # The same page as for an id that names nothing: not even whether it exists.
    assert without_token(html) == without_token(client.get("/contact/?story=99999999"))
    client.post("/contact/", a_message(kind="error", story=str(story.pk)))
    assert ContactMessage.objects.get().story is None


def test_a_preview_of_a_story_has_no_report_link(client, editor):
    story = make_article(status=Status.DRAFT)
    client.force_login(editor)
    preview = client.get(f"/admin/articles/article/{story.pk}/preview/")
    assert preview.status_code == 200 and story.headline in preview.content.decode()
    assert "Report an error" not in preview.content.decode()


def test_a_message_to_an_author_names_them_never_their_address(client):
    author = make_author(name="Mara Lind", email="")
    author.contact_email = "mara.private@example.org"  # private: the form writes to it
    author.save()
    page = client.get(author.get_absolute_url()).content.decode()
    assert f'href="/contact/?author={author.slug}"' in page and "Write to Mara Lind" in page
    html = client.get(f"/contact/?author={author.slug}").content.decode()
    assert "Write to Mara Lind" in html
    client.post("/contact/", a_message(kind="author", author=author.slug))
    message = ContactMessage.objects.get()
    assert message.kind == "author" and message.author == author


def test_odd_query_strings_give_the_plain_form(client):
    for query in ["story=abc", "story=-1", "story=1e9", "story=" + "9" * 400, "author=%00",
                  "story=%F0%9F%92%A5", "author=" + "x" * 500, "story=1&story=2"]:  # fmt: skip
        assert client.get(f"/contact/?{query}").status_code == 200, query
