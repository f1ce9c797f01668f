"""Pages go through the stories' workflow, with the stories' roles: contributors draft and
submit their own, editors approve or return, publishers publish, schedule and unpublish."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from reversion.models import Version

from articles.models import Status
from pages import services
from pages.models import Page
from tests.factories import make_page

pytestmark = pytest.mark.django_db


def _new(user, **fields) -> Page:
    page = Page(title=fields.pop("title", "About us"), slug=fields.pop("slug", "about"),
                body=fields.pop("body", "<p>Who we are.</p>"), **fields)  # fmt: skip
    return services.save_page(page=page, user=user)


def test_a_page_goes_from_draft_to_live_through_each_role(client, contributor, editor, publisher):
    page = _new(contributor)
    assert page.status == Status.DRAFT and page.created_by == contributor
    assert client.get("/about/").status_code == 404
    services.submit_page(page=page, user=contributor)
    services.approve_page(page=page, user=editor)
    assert client.get("/about/").status_code == 404
    services.publish_page(page=page, user=publisher)
    assert page.status == Status.PUBLISHED and page.first_published_at
    response = client.get("/about/")
    assert response.status_code == 200 and "Who we are." in response.content.decode()


@pytest.mark.parametrize(
    "step", [services.approve_page, services.publish_page, services.unpublish_page]
)
def test_a_contributor_may_not_approve_publish_or_unpublish(contributor, step):
    page = make_page(status=Status.SUBMITTED, created_by=contributor)
    with pytest.raises(PermissionDenied):
        step(page=page, user=contributor)


def test_an_editor_may_approve_and_return_but_not_publish(editor):
    page = make_page(status=Status.SUBMITTED)
    with pytest.raises(ValidationError, match="Say what the writer should change"):
        services.return_page(page=page, user=editor)
    services.return_page(page=page, user=editor, comment="Name the owners.")
    assert page.status == Status.RETURNED
    page = make_page(status=Status.APPROVED)
    with pytest.raises(PermissionDenied):
        services.publish_page(page=page, user=editor)


def test_a_contributor_edits_only_their_own_draft(contributor, other_contributor):
    page = _new(contributor)
    page.title = "About this newsroom"
    services.save_page(page=page, user=contributor)
    with pytest.raises(PermissionDenied):
        services.save_page(page=Page.objects.get(pk=page.pk), user=other_contributor)
    services.submit_page(page=page, user=contributor)
    with pytest.raises(PermissionDenied):
        services.save_page(page=Page.objects.get(pk=page.pk), user=contributor)


def test_a_draft_cannot_be_published_without_the_edit(publisher):
    page = make_page(status=Status.DRAFT)
    with pytest.raises(PermissionDenied):
        services.publish_page(page=page, user=publisher)


def test_a_page_without_a_body_is_not_published(publisher):
    page = make_page(status=Status.APPROVED, body="<p> </p>")
    with pytest.raises(ValidationError, match="needs a body"):
        services.publish_page(page=page, user=publisher)


def test_a_scheduled_page_appears_at_its_time(client, publisher):
    page = make_page(status=Status.APPROVED, slug="ethics")
    at = timezone.now() + timedelta(hours=2)
    services.publish_page(page=page, user=publisher, at=at)
    assert page.is_scheduled and page.display_status == "Scheduled"
    assert client.get("/ethics/").status_code == 404
    Page.objects.filter(pk=page.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/ethics/").status_code == 200


def test_a_schedule_in_the_past_is_refused(publisher):
    page = make_page(status=Status.APPROVED)
    with pytest.raises(ValidationError, match="in the future"):
        services.publish_page(page=page, user=publisher, at=timezone.now() - timedelta(hours=1))


def test_unpublish_archive_and_restore(client, publisher, editor):
    page = make_page(status=Status.PUBLISHED, slug="support-us")
    assert client.get("/support-us/").status_code == 200
    services.unpublish_page(page=page, user=publisher)
    assert client.get("/support-us/").status_code == 404
    services.archive_page(page=page, user=editor)
    assert page.status == Status.ARCHIVED
    # It went out once: bringing it back is a publisher's call.
    with pytest.raises(PermissionDenied):
        services.restore_page(page=page, user=editor)
    services.restore_page(page=page, user=publisher)
    assert page.status == Status.DRAFT


def test_a_save_over_a_newer_version_is_refused_and_writes_nothing(editor, publisher):
    page = _new(editor)
    mine = Page.objects.get(pk=page.pk)
    theirs = Page.objects.get(pk=page.pk)
    theirs.title = "Theirs"
    services.save_page(page=theirs, user=publisher, started_from=theirs.version)
    mine.title = "Mine"
    with pytest.raises(services.StalePage, match="your text is still in the form"):
        services.save_page(page=mine, user=editor, started_from=1)
    assert Page.objects.get(pk=page.pk).title == "Theirs"


def test_every_save_and_step_is_a_revision_and_a_restore_brings_back_the_text(editor, publisher):
    page = _new(editor, title="First title")
    page.title = "Second title"
    page.body = "<p>New text</p>"
    services.save_page(page=page, user=editor)
    services.submit_page(page=page, user=editor)
    versions = Version.objects.get_for_object(page)
    assert versions.count() == 3
    assert "Submitted for edit" in versions.first().revision.comment
    first = versions.last()
    services.restore_revision(page=page, user=editor, version=first)
    page.refresh_from_db()
    assert page.title == "First title" and page.body == "<p>Who we are.</p>"
    assert page.status == Status.SUBMITTED  # the text comes back, the state stays


def test_the_body_is_sanitised(editor):
    page = _new(editor, body='<p onclick="x()">Hi<script>alert(1)</script></p>')
    assert "script" not in page.body and "onclick" not in page.body


def test_a_command_saving_a_page_as_it_is_writes_nothing(publisher):
    page = _new(services.SYSTEM)
    services.publish_page(page=page, user=services.SYSTEM)
    again = Page.objects.get(pk=page.pk)
    services.save_page(page=again, user=services.SYSTEM)
    services.publish_page(page=again, user=services.SYSTEM)
    assert again.version == 1
    assert Version.objects.get_for_object(page).count() == 2


def test_moving_a_parent_moves_its_children(client, publisher):
    policies = make_page(status=Status.PUBLISHED, slug="policies")
    make_page(status=Status.PUBLISHED, slug="corrections", parent=policies)
    policies.slug = "standards"
    services.save_page(page=policies, user=publisher)
    assert client.get("/standards/corrections/").status_code == 200
    assert client.get("/policies/corrections/").status_code == 404


def test_only_a_publisher_deletes_a_page_and_never_one_with_pages_under_it(
    client, editor, publisher
):
    parent = make_page(slug="policies")
    child = make_page(slug="ethics", parent=parent)
    with pytest.raises(PermissionDenied):
        services.delete_page(page=child, user=editor)
    with pytest.raises(ValidationError, match="pages under this page"):
        services.delete_page(page=parent, user=publisher)
    services.delete_page(page=child, user=publisher)
    assert list(Page.objects.values_list("slug", flat=True)) == ["policies"]
    client.force_login(editor)
    url = f"/admin/pages/page/{parent.pk}/delete/"
    assert client.get(url).status_code == 403
    client.force_login(publisher)
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Page.objects.exists()


def test_an_importer_publishes_with_the_old_date_and_a_parent_without_text(client):
    """What the WordPress import needs: a past publish date kept, a parent page that only
    holds pages under it."""
    when = timezone.now() - timedelta(days=400)
    parent = services.save_page(page=Page(title="Policies", slug="policies", body=""),
                                user=services.SYSTEM)  # fmt: skip
    services.publish_page(page=parent, user=services.SYSTEM, at=when)
    assert parent.publish_at == when and parent.first_published_at == when
    assert client.get("/policies/").status_code == 200
