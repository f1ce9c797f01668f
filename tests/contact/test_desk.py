"""Reader reports in the desk: a queue on the editors' home, filters by kind and status, and
from an error report the story and a correction linked back to it. Contributors see none of
them (a tip may carry its sender's address)."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Status
from contact import services
from contact.models import ContactMessage
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def report_on(story, **fields) -> ContactMessage:
    data = {"kind": "error", "message": "The second paragraph gets the date wrong: it was 1994.",
            "email": "ann@example.org", "name": "Ann Reader", "story": story, **fields}  # fmt: skip
    return services.receive_message(**data)


def change_url(message) -> str:
    return reverse("admin:contact_contactmessage_change", args=[message.pk])


def test_new_reports_wait_in_the_editors_and_publishers_queue_with_a_count(
    client, editor, publisher
):
    story = make_article(status=Status.PUBLISHED, headline="Talks resume in Geneva")
    report = report_on(story)
    handled = report_on(story, message="An old one")
    services.set_status(message=handled, status="handled", user=editor)
    for person in (editor, publisher):
        client.force_login(person)
        html = client.get("/admin/").content.decode()
        queue = html.split('id="queue-reports"')[1].split("</section>")[0]
        assert "Reader reports (1)" in queue and change_url(report) in queue
        assert "Talks resume in Geneva" in queue and "An error in a story" in queue
        assert change_url(handled) not in queue
        assert 'class="desk-count-reports">Reader reports (1)</a>' in html


def test_contributors_see_no_reports_anywhere(client, contributor):
    story = make_article(status=Status.PUBLISHED, created_by=contributor)
    report = report_on(story)
    client.force_login(contributor)
    html = client.get("/admin/").content.decode()
    assert 'id="queue-reports"' not in html and "desk-count-reports" not in html
    assert "ann@example.org" not in html
    assert client.get("/admin/contact/contactmessage/").status_code == 403
    assert client.get(change_url(report)).status_code == 403
    correct = reverse("admin:contact_contactmessage_correct", args=[report.pk])
    assert client.post(correct, {"kind": "correction", "text": "Fixed."}).status_code == 403
    assert not story.corrections.exists()


def test_the_list_filters_by_kind_and_status(client, editor):
    story = make_article(status=Status.PUBLISHED)
    report_on(story)
    services.receive_message(kind="tip", message="Look at the port of Odesa.")
    client.force_login(editor)
    tips = client.get("/admin/contact/contactmessage/?kind__exact=tip").content.decode()
    assert "Look at the port of Odesa." in tips and "gets the date wrong" not in tips
    new = client.get("/admin/contact/contactmessage/?status__exact=new").content.decode()
    assert "Look at the port of Odesa." in new and "gets the date wrong" in new


def test_an_editor_opens_a_report_and_its_story(client, editor):
    story = make_article(status=Status.PUBLISHED, headline="Talks resume in Geneva")
    report = report_on(story)
    client.force_login(editor)
    html = client.get(change_url(report)).content.decode()
    assert "The second paragraph gets the date wrong" in html and "ann@example.org" in html
    assert reverse("admin:articles_article_change", args=[story.pk]) in html
    assert story.get_absolute_url() in html
    assert reverse("admin:contact_contactmessage_correct", args=[report.pk]) in html


def test_a_correction_from_a_report_is_on_the_story_and_linked_to_the_report(client, editor):
    story = make_article(status=Status.PUBLISHED, headline="Talks resume in Geneva")
    report = report_on(story)
    client.force_login(editor)
    correct = reverse("admin:contact_contactmessage_correct", args=[report.pk])
    assert "Add the correction" in client.get(correct).content.decode()
    response = client.post(
        correct, {"kind": "correction", "text": "An earlier version gave the year as 1995."}
    )
    assert response.status_code == 302 and response["Location"] == change_url(report)
    report.refresh_from_db()
    correction = story.corrections.get()
    assert report.correction == correction and correction.text.startswith("An earlier version")
    assert report.status == "handled" and report.handled_by == editor
    # Saved as any correction is: a revision of the story, and readers see it.
    assert Version.objects.get_for_object(Article.objects.get(pk=story.pk)).exists()
    page = client.get(story.get_absolute_url()).content.decode()
    assert "An earlier version gave the year as 1995." in page
    html = client.get(change_url(report)).content.decode()
    assert "An earlier version gave the year as 1995." in html and correct not in html
    # A second correction from the same report is refused.
    again = client.post(correct, {"kind": "correction", "text": "Again"})
    assert again.status_code == 200 and story.corrections.count() == 1


def test_an_empty_correction_is_refused_with_a_message(client, editor):
    story = make_article(status=Status.PUBLISHED)
    report = report_on(story)
    client.force_login(editor)
    correct = reverse("admin:contact_contactmessage_correct", args=[report.pk])
    response = client.post(correct, {"kind": "correction", "text": "   "})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not story.corrections.exists()


def test_marking_a_report_handled_records_who(client, editor):
    report = report_on(make_article(status=Status.PUBLISHED))
    client.force_login(editor)
    response = client.post(change_url(report), {"status": "handled"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "handled" and report.handled_by == editor and report.handled_at
    # Saved again as it is: who handled it stays.
    client.force_login(make_user("Publisher"))
    client.post(change_url(report), {"status": "handled"})
    report.refresh_from_db()
    assert report.handled_by == editor
    client.force_login(editor)
    # The reader's words are not editable here.
    client.post(change_url(report), {"status": "spam", "message": "changed"})
    report.refresh_from_db()
    assert report.status == "spam" and report.message.startswith("The second paragraph")


def test_mark_spam_from_the_list(client, editor):
    tip = services.receive_message(kind="tip", message="Buy cheap watches")
    client.force_login(editor)
    client.post("/admin/contact/contactmessage/",
                {"action": "mark_spam", "_selected_action": [tip.pk]})  # fmt: skip
    tip.refresh_from_db()
    assert tip.status == "spam" and tip.handled_by == editor
