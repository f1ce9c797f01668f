"""Pages wait in the same desk queues as stories, are counted in the header with them, and
each step of a page tells the people concerned, on the desk and by email."""

import pytest
from django.urls import reverse

from articles.models import Status
from articles.roles import CONTRIBUTOR, EDITOR, PUBLISHER
from desk import queues
from desk.models import Notification, Verb
from pages import services
from tests.factories import make_page, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    return {
        "writer": make_user(CONTRIBUTOR, username="writer", with_email=True),
        "editor": make_user(EDITOR, username="editor", with_email=True),
        "publisher": make_user(PUBLISHER, username="publisher", with_email=True),
    }


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def queue(html: str, key: str) -> str:
    return html.split(f'id="queue-{key}"')[1].split("</section>")[0]


def page_link(page) -> str:
    return f'href="{reverse("admin:pages_page_change", args=[page.pk])}"'


def test_a_submitted_page_waits_for_the_editors_and_they_are_told(desk, client):
    page = make_page(created_by=desk["writer"], title="Ethics policy")
    services.submit_page(page=page, user=desk["writer"])
    html = home(client, desk["editor"])
    assert page_link(page) in queue(html, "review")
    assert "Awaiting review (1)" in html
    note = Notification.objects.get(recipient=desk["editor"])
    assert (note.verb, note.page, note.actor) == (Verb.SUBMITTED, page, desk["writer"])
    assert note.desk_url == reverse("admin:pages_page_change", args=[page.pk])
    assert not Notification.objects.filter(recipient=desk["writer"]).exists()
    assert not Notification.objects.filter(recipient=desk["publisher"]).exists()
    writer_home = home(client, desk["writer"])
    assert page_link(page) in queue(writer_home, "submitted")


def test_an_approved_page_waits_for_the_publishers_and_they_are_told(desk, client):
    page = make_page(created_by=desk["writer"], status=Status.SUBMITTED, title="Masthead")
    services.approve_page(page=page, user=desk["editor"])
    html = home(client, desk["publisher"])
    assert page_link(page) in queue(html, "approved")
    assert "Approved and ready (1)" in html
    assert Notification.objects.filter(
        recipient=desk["publisher"], page=page, verb=Verb.APPROVED
    ).exists()
    assert Notification.objects.filter(recipient=desk["writer"], verb=Verb.APPROVED).exists()
    assert "Approved (1)" in home(client, desk["editor"])


def test_a_returned_page_is_back_with_its_writer_with_the_full_comment(desk, client):
    page = make_page(created_by=desk["writer"], status=Status.SUBMITTED, title="About us")
    comment = "Two things:\n1. name the owners; 2. date the funding figures."
    services.return_page(page=page, user=desk["editor"], comment=comment)
    make_page(status=Status.RETURNED, title="Somebody else's page")
    html = home(client, desk["writer"])
    returned = queue(html, "returned")
    assert page_link(page) in returned and comment in returned
    assert "Somebody else" not in html
    assert "Returned to me (1)" in html
    note = Notification.objects.get(recipient=desk["writer"])
    assert note.verb == Verb.RETURNED and note.comment == comment
    assert "About us" in html.split('id="queue-notifications"')[1]


def test_publishing_and_unpublishing_a_page_tell_its_writer_by_smtp(
    desk, inbox, django_capture_on_commit_callbacks
):
    page = make_page(created_by=desk["writer"], status=Status.APPROVED, title="Corrections")
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_page(page=page, user=desk["publisher"])
    [message] = inbox.to("writer@example.org")
    assert message["Subject"] == "Published: Corrections"
    body = message.get_content().replace("\r\n", "\n")
    assert "Open the page" in body and f"/admin/pages/page/{page.pk}/change/" in body
    services.unpublish_page(page=page, user=desk["publisher"])
    services.archive_page(page=page, user=desk["publisher"])
    verbs = Notification.objects.filter(recipient=desk["writer"]).order_by("pk")
    assert list(verbs.values_list("verb", flat=True)) == [Verb.PUBLISHED, Verb.UNPUBLISHED]


def test_the_counts_add_pages_to_stories_in_a_fixed_number_of_queries(
    desk, django_assert_num_queries
):
    for _ in range(3):
        make_page(created_by=desk["writer"], status=Status.DRAFT)
        make_page(status=Status.SUBMITTED)
    queues.role_of(desk["writer"])  # loads the person's permissions once per request
    with django_assert_num_queries(3):
        counted = queues.counts(desk["writer"])
    assert ("drafts", "My drafts", 3) in counted
    editor_counts = dict((key, n) for key, _, n in queues.counts(desk["editor"]))
    assert editor_counts["review"] == 3


def test_the_notifications_list_links_a_page_to_its_form(desk, client):
    page = make_page(created_by=desk["writer"], title="Ownership and funding")
    services.submit_page(page=page, user=desk["writer"])
    client.force_login(desk["editor"])
    response = client.get(reverse("admin:desk_notifications"))
    html = response.content.decode()
    assert response.status_code == 200
    assert page_link(page) in html and "Ownership and funding" in html
