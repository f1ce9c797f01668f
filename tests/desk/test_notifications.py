"""Workflow steps tell the people concerned, on the desk and by email through real SMTP."""

import logging

import pytest
from django.urls import reverse

from articles import services
from articles.changes import Relations
from articles.models import Status
from articles.roles import CONTRIBUTOR, EDITOR, PUBLISHER
from desk.models import DeskPreference, Notification, Verb
from tests import mail_server
from tests.factories import make_article, make_author, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    """A writer with a bylined colleague, an editor and a publisher, all with emails."""
    writer, colleague = (
        make_user(CONTRIBUTOR, username="writer", with_email=True),
        make_user(CONTRIBUTOR, username="colleague", with_email=True),
    )
    story = make_article(created_by=writer, author=make_author(user=colleague), headline="Flood")
    return {
        "writer": writer,
        "colleague": colleague,
        "editor": make_user(EDITOR, username="editor", with_email=True),
        "publisher": make_user(PUBLISHER, username="publisher", with_email=True),
        "story": story,
    }


def test_a_return_reaches_the_writer_by_smtp_with_the_comment(
    desk, inbox, django_capture_on_commit_callbacks
):
    services.submit(article=desk["story"], user=desk["writer"])
    with django_capture_on_commit_callbacks(execute=True):
        services.return_to_writer(
            article=desk["story"], user=desk["editor"], comment="Check the level\nand cite it."
        )
    [message] = inbox.to("writer@example.org")
    assert message["Subject"] == "Returned to the writer: Flood"
    body = message.get_content().replace("\r\n", "\n")
    assert "Check the level\nand cite it." in body
    assert f"/admin/articles/article/{desk['story'].pk}/change/" in body
    assert inbox.to("colleague@example.org"), "bylined staff hear of it too"
    assert not inbox.to("editor@example.org"), "the actor is not told of their own step"
    note = Notification.objects.get(recipient=desk["writer"])
    assert note.verb == Verb.RETURNED and note.actor == desk["editor"] and note.read_at is None


def test_submissions_reach_editors_and_approvals_reach_publishers(desk):
    services.submit(article=desk["story"], user=desk["writer"])
    assert Notification.objects.filter(recipient=desk["editor"], verb=Verb.SUBMITTED).exists()
    assert not Notification.objects.filter(recipient=desk["publisher"]).exists()
    services.approve(article=desk["story"], user=desk["editor"])
    assert Notification.objects.filter(recipient=desk["publisher"], verb=Verb.APPROVED).exists()
    assert Notification.objects.filter(recipient=desk["writer"], verb=Verb.APPROVED).exists()


def test_publishing_scheduling_and_unpublishing_tell_the_writer(desk):
    from datetime import timedelta

    from django.utils import timezone

    story = desk["story"]
    story.status = Status.APPROVED
    story.save()
    services.publish(article=story, user=desk["publisher"], at=timezone.now() + timedelta(hours=2))
    services.publish(article=story, user=desk["publisher"])
    services.unpublish(article=story, user=desk["publisher"])
    verbs = list(
        Notification.objects.filter(recipient=desk["writer"])
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == [Verb.SCHEDULED, Verb.PUBLISHED, Verb.UNPUBLISHED]


def test_pending_changes_submitted_and_published_are_notified(desk):
    story = make_article(status=Status.PUBLISHED, created_by=desk["writer"])
    changes = services.propose_changes(article=story, user=desk["writer"])
    services.submit(article=changes, user=desk["writer"])
    assert Notification.objects.filter(
        recipient=desk["editor"], verb=Verb.PENDING_SUBMITTED
    ).exists()
    services.publish_pending_changes(changes=changes, user=desk["publisher"])
    assert Notification.objects.filter(
        recipient=desk["writer"], article=story, verb=Verb.PUBLISHED
    ).exists()


def test_a_correction_added_in_the_desk_is_notified_once(desk, client):
    story = make_article(status=Status.PUBLISHED, created_by=desk["writer"])
    correction = {"kind": "correction", "text": "The bridge is 40 m long, not 400 m.",
                  "published_at": story.publish_at}  # fmt: skip

    services.save_article(
        article=story, user=desk["editor"], relations=Relations(corrections=[correction])
    )
    note = Notification.objects.get(recipient=desk["writer"], verb=Verb.CORRECTION)
    assert note.comment == "The bridge is 40 m long, not 400 m."
    kept = [{**correction, "id": story.corrections.get().pk}]
    services.save_article(article=story, user=desk["editor"], relations=Relations(corrections=kept))
    assert Notification.objects.filter(verb=Verb.CORRECTION).count() == 1


def test_with_the_mail_server_down_the_step_succeeds_and_a_warning_is_logged(
    desk, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", mail_server.free_port()  # closed
    with caplog.at_level(logging.WARNING, logger="desk.notifications"):
        with django_capture_on_commit_callbacks(execute=True):
            services.submit(article=desk["story"], user=desk["writer"])
    desk["story"].refresh_from_db()
    assert desk["story"].status == Status.SUBMITTED
    assert Notification.objects.filter(recipient=desk["editor"]).exists()
    assert "Could not send" in caplog.text


def test_a_person_who_turned_emails_off_gets_only_the_desk_notification(
    desk, inbox, client, django_capture_on_commit_callbacks
):
    client.force_login(desk["writer"])
    client.post(reverse("admin:desk_preferences"), {})  # the box unticked
    assert DeskPreference.objects.get(user=desk["writer"]).emails is False
    services.submit(article=desk["story"], user=desk["writer"])
    with django_capture_on_commit_callbacks(execute=True):
        services.return_to_writer(article=desk["story"], user=desk["editor"], comment="Shorter")
    assert not inbox.to("writer@example.org") and inbox.to("colleague@example.org")
    assert Notification.objects.filter(recipient=desk["writer"]).exists()


def test_notifications_are_marked_read_one_or_all_by_post(desk, client):
    services.submit(article=desk["story"], user=desk["writer"])
    services.return_to_writer(article=desk["story"], user=desk["editor"], comment="One")
    services.submit(article=desk["story"], user=desk["writer"])
    services.return_to_writer(article=desk["story"], user=desk["editor"], comment="Two")
    client.force_login(desk["writer"])
    page = client.get(reverse("admin:desk_notifications")).content.decode()
    assert 'Notifications (<span class="desk-unread">2</span>)' in page
    first, second = Notification.objects.filter(recipient=desk["writer"])
    assert client.get(reverse("admin:desk_notifications_read")).status_code == 405
    client.post(reverse("admin:desk_notifications_read"), {"notification": first.pk})
    assert Notification.objects.unread().filter(recipient=desk["writer"]).count() == 1
    client.post(reverse("admin:desk_notifications_read"))
    assert not Notification.objects.unread().filter(recipient=desk["writer"]).exists()


def test_nobody_marks_someone_elses_notifications_read(desk, client):
    services.submit(article=desk["story"], user=desk["writer"])
    note = Notification.objects.get(recipient=desk["editor"])
    client.force_login(desk["writer"])
    client.post(reverse("admin:desk_notifications_read"), {"notification": note.pk})
    note.refresh_from_db()
    assert note.read_at is None
