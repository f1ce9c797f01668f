"""The desk's side of newsletters: who may manage them, editing an issue's intro and order,
the previews (the email sandboxed), a test to oneself through real SMTP, send and schedule."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Status
from articles.roles import CONTRIBUTOR, EDITOR, PUBLISHER
from newsletters import tasks
from newsletters.issues import create_issue
from newsletters.models import Delivery, Issue
from tests.admin_forms import logged_in
from tests.factories import make_article, make_user

from .issue_factories import _issue_inbox, confirmed_subscriber, make_newsletter, make_series  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    series = make_series()
    letter = make_newsletter(series=series, name="Diplomacy Watch")
    stories = [
        make_article(status=Status.PUBLISHED, series=series, headline=f"Installment {n}")
        for n in range(2)
    ]
    confirmed_subscriber(letter, "reader@example.org")
    return create_issue(letter, stories, subject="This week")


def url(name, issue):
    return reverse(f"admin:newsletters_issue_{name}", args=[issue.pk])


def test_editors_and_publishers_manage_issues_contributors_do_not(issue):
    for role, allowed in ((EDITOR, True), (PUBLISHER, True), (CONTRIBUTOR, False)):
        client = logged_in(make_user(role, username=role.lower(), with_email=True))
        for page in (url("change", issue), url("preview_web", issue), url("preview_email", issue)):
            assert (client.get(page).status_code == 200) is allowed, (role, page)
    writer = logged_in(make_user(CONTRIBUTOR, username="writer", with_email=True))
    for step in ("send", "send_test", "schedule"):
        assert writer.post(url(step, issue)).status_code == 403, step
    assert writer.get(reverse("admin:newsletters_newsletter_changelist")).status_code == 403
    issue.refresh_from_db()
    assert issue.state == Issue.State.DRAFT and not DBTaskResult.objects.exists()


def test_an_editor_rewrites_the_intro_and_reorders_the_stories(issue):
    client = logged_in(make_user(EDITOR, username="editor", with_email=True))
    first, second = issue.items.order_by("position")
    data = {
        "subject": "This week, reordered",
        "intro": "Read the second one first.",
        "items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "2",
        "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000",
        "items-0-id": first.pk, "items-0-issue": issue.pk, "items-0-article": first.article_id,
        "items-0-position": "2",
        "items-1-id": second.pk, "items-1-issue": issue.pk, "items-1-article": second.article_id,
        "items-1-position": "1",
    }  # fmt: skip
    response = client.post(url("change", issue), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    issue.refresh_from_db()
    assert issue.intro == "Read the second one first."
    assert [i.article_id for i in issue.items.order_by("position")] == [
        second.article_id,
        first.article_id,
    ]
    html = client.get(url("preview_web", issue)).content.decode()
    assert html.index(second.article.headline) < html.index(first.article.headline)
    assert 'name="robots" content="noindex"' in html


def test_a_sent_issue_cannot_be_edited_or_deleted(issue):
    Issue.objects.filter(pk=issue.pk).update(state=Issue.State.SENT, sent_at=timezone.now())
    client = logged_in(make_user(EDITOR, username="editor", with_email=True))
    html = client.get(url("change", issue)).content.decode()
    assert 'name="intro"' not in html and 'name="items-0-position"' not in html
    assert client.post(url("delete", issue), {"post": "yes"}).status_code == 403
    assert client.post(url("send", issue)).status_code == 302
    assert issue.deliveries.count() == 0, "a sent issue is never sent again"


def test_the_email_preview_is_sandboxed_and_shows_headers_and_both_parts(issue, settings):
    settings.SITE_URL = "https://news.example.org"
    issue.intro = '<script>alert("intro")</script>'
    issue.save()
    editor = make_user(EDITOR, username="editor", with_email=True)
    response = logged_in(editor).get(url("preview_email", issue))
    html = response.content.decode()
    [frame] = re.findall(r"<iframe[^>]*>", html)
    assert re.search(r"\ssandbox(\s|>)", frame), "a sandbox with no permission at all"
    srcdoc = unescape(re.search(r'srcdoc="([^"]*)"', frame).group(1))
    assert "Installment 0" in srcdoc and "Installment 1" in srcdoc
    assert "<script>alert" not in html, "the email never reaches the desk's page raw"
    assert "&lt;script&gt;" in srcdoc, "escaped in the email itself too"
    assert "List-Unsubscribe=One-Click" in html and "Diplomacy Watch" in html
    img_src = re.search(r"img-src ([^;]*)", response["Content-Security-Policy"]).group(1)
    assert "https://news.example.org" in img_src.split(), "the email's pictures may load"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert re.search(r'<pre id="email-text">.*Installment 0', html, re.DOTALL)


def test_a_test_copy_reaches_the_editor_by_smtp_and_nobody_else(
    issue, issue_inbox, django_capture_on_commit_callbacks
):
    editor = make_user(EDITOR, username="editor", with_email=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(editor).post(url("send_test", issue))
    assert response.status_code == 302
    [task] = DBTaskResult.objects.filter(task_path="newsletters.tasks.mail_test_copy")
    assert task.args_kwargs["args"] == [issue.pk, "editor@example.org"]
    tasks.mail_test_copy.call(*task.args_kwargs["args"])  # what the worker runs
    [message] = issue_inbox.messages
    assert message["To"] == "editor@example.org" and message["Subject"] == "[Test] This week"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_body(("html",)) and message.get_body(("plain",))
    assert not Delivery.objects.exists(), "a test is no delivery"
    issue.refresh_from_db()
    assert issue.state == Issue.State.DRAFT


def test_an_editor_without_an_address_is_told_so(issue):
    editor = make_user(EDITOR)
    response = logged_in(editor).post(url("send_test", issue), follow=True)
    assert "Add an email address" in response.content.decode()
    assert not DBTaskResult.objects.exists()


def test_send_asks_first_then_queues_every_confirmed_subscriber(issue):
    client = logged_in(make_user(EDITOR, username="editor", with_email=True))
    page = client.get(url("send", issue)).content.decode()
    assert "1</strong> confirmed subscriber" in page
    assert issue.deliveries.count() == 0
    client.post(url("send", issue))
    issue.refresh_from_db()
    assert issue.state == Issue.State.SENDING and issue.deliveries.count() == 1
    assert DBTaskResult.objects.filter(task_path="newsletters.delivering.send_issue").count() == 1


def test_schedule_in_the_future_only_and_cancel(issue):
    client = logged_in(make_user(PUBLISHER, username="publisher", with_email=True))
    past = timezone.localtime() - timedelta(hours=1)
    page = client.post(url("schedule", issue), {"send_at": f"{past:%Y-%m-%dT%H:%M}"}, follow=True)
    assert "in the future" in page.content.decode()
    assert client.post(url("schedule", issue), {"send_at": "soon"}, follow=True).status_code == 200
    later = timezone.localtime() + timedelta(days=1)
    client.post(url("schedule", issue), {"send_at": f"{later:%Y-%m-%dT%H:%M}"})
    issue.refresh_from_db()
    assert issue.state == Issue.State.SCHEDULED
    assert timezone.localtime(issue.send_at).strftime("%Y-%m-%d %H:%M") == f"{later:%Y-%m-%d %H:%M}"
    client.post(url("schedule", issue), {"cancel": "1"})
    issue.refresh_from_db()
    assert issue.state == Issue.State.DRAFT and issue.send_at is None


def test_a_newsletter_fed_by_a_series_must_name_it():
    client = logged_in(make_user(EDITOR, username="editor", with_email=True))
    data = {
        "name": "Weekly", "slug": "weekly", "sender_name": "Desk",
        "sender_email": "desk@example.org", "source": "series", "cadence": "weekly",
        "is_active": "on",
    }  # fmt: skip
    html = client.post(reverse("admin:newsletters_newsletter_add"), data).content.decode()
    assert "Choose the series" in html and "needs the local time" in html


def test_a_newsletter_slug_cannot_take_the_address_of_another_page():
    client = logged_in(make_user(EDITOR, username="editor", with_email=True))
    data = {
        "name": "Subscribe", "slug": "subscribe", "sender_name": "Desk",
        "sender_email": "desk@example.org", "source": "site", "cadence": "each",
    }  # fmt: skip
    html = client.post(reverse("admin:newsletters_newsletter_add"), data).content.decode()
    assert "taken by another page" in html
    response = client.post(reverse("admin:newsletters_newsletter_add"), {**data, "slug": "weekly"})
    assert response.status_code == 302


def test_only_a_live_story_can_be_added_to_an_issue(issue):
    client = logged_in(make_user(EDITOR, username="editor", with_email=True))
    draft = make_article(status=Status.DRAFT, headline="Not yet")
    data = {
        "subject": "This week", "intro": "",
        "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000",
        "items-0-issue": issue.pk, "items-0-article": draft.pk, "items-0-position": "3",
    }  # fmt: skip
    html = client.post(url("change", issue), data).content.decode()
    assert "Only a story live on the site" in html
    assert not issue.items.filter(article=draft).exists()
