"""The desk's pages for pages: writing, the workflow buttons, what each role sees, a refused
save that keeps what was typed, History, compare and restore."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Status
from pages import services
from pages.models import Page
from tests.admin_forms import change_form_data
from tests.factories import make_page

pytestmark = pytest.mark.django_db
ADD = "/admin/pages/page/add/"


def _change(page) -> str:
    return reverse("admin:pages_page_change", args=[page.pk])


def test_a_publisher_writes_and_publishes_a_page_in_one_go(client, publisher):
    client.force_login(publisher)
    form = client.get(ADD)
    assert form.status_code == 200
    assert "django_ckeditor_5" in form.content.decode()  # the stories' editor
    response = client.post(ADD, {"title": "About us", "slug": "about",
                                 "body": "<p>We report on Europe.</p>"})  # fmt: skip
    page = Page.objects.get()
    assert response.status_code == 302 and page.status == Status.DRAFT
    assert page.created_by == publisher
    # Draft → submitted → approved → published, each a button on the form.
    for step in ("submit", "approve", "publish"):
        data = change_form_data(client.get(_change(page)))
        response = client.post(_change(page), {**data, "_step": step})
        assert response.status_code == 302, response.content.decode()[:2000]
    page.refresh_from_db()
    assert page.status == Status.PUBLISHED
    client.logout()
    assert "We report on Europe." in client.get("/about/").content.decode()


def test_a_step_refused_saves_nothing_and_keeps_the_form(client, editor):
    page = make_page(status=Status.APPROVED, title="Ethics")
    client.force_login(editor)
    data = change_form_data(client.get(_change(page)))
    data.update(title="Ethics policy", _step="return", _comment_return="")
    response = client.post(_change(page), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Say what the writer should change" in text
    assert "Nothing was saved; your changes are still in the form." in text
    assert 'value="Ethics policy"' in text
    page.refresh_from_db()
    assert page.title == "Ethics" and page.status == Status.APPROVED


def test_a_save_over_someone_elses_keeps_what_was_typed(client, editor, publisher):
    page = make_page(title="Masthead")
    client.force_login(editor)
    data = change_form_data(client.get(_change(page)))
    theirs = Page.objects.get(pk=page.pk)
    theirs.title = "Our masthead"
    services.save_page(page=theirs, user=publisher)
    data.update(title="The masthead", body="<p>Mine, typed for an hour.</p>")
    response = client.post(_change(page), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "saved this page a moment ago" in text
    assert "Mine, typed for an hour." in text
    assert Page.objects.get(pk=page.pk).title == "Our masthead"


def test_a_contributor_sees_their_own_pages_and_public_ones(client, contributor):
    mine = make_page(title="My draft", created_by=contributor)
    hidden = make_page(title="Someone else's draft")
    public = make_page(title="Live page", status=Status.PUBLISHED)
    client.force_login(contributor)
    listing = client.get("/admin/pages/page/").content.decode()
    assert "My draft" in listing and "Live page" in listing
    assert "Someone else" not in listing
    assert client.get(_change(hidden)).status_code == 302  # "no such page", as the admin says
    assert client.get(reverse("admin:pages_page_history", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("admin:pages_page_preview", args=[hidden.pk])).status_code == 404
    # The public page is read-only for them; their own draft has a Submit button.
    assert "Save and submit for edit" in client.get(_change(mine)).content.decode()
    assert "Save and" not in client.get(_change(public)).content.decode()


def test_a_contributor_cannot_set_times_or_publish(client, contributor):
    client.force_login(contributor)
    client.post(ADD, {"title": "Tips", "slug": "tips", "body": "<p>x</p>",
                      "publish_at": "2020-01-01T10:00"})  # fmt: skip
    page = Page.objects.get()
    assert page.publish_at is None
    data = change_form_data(client.get(_change(page)))
    response = client.post(_change(page), {**data, "_step": "publish"})
    assert response.status_code == 200 and "may not move this page" in response.content.decode()
    assert Page.objects.get().status == Status.DRAFT


def test_history_compare_and_restore(client, editor):
    page = make_page(title="Corrections policy", body="<p>First words.</p>")
    client.force_login(editor)
    for body in ("<p>Second words.</p>", "<p>Third words.</p>"):
        data = change_form_data(client.get(_change(page)))
        client.post(_change(page), {**data, "body": body, "_continue": "1"})
    versions = list(Version.objects.get_for_object(page))
    assert len(versions) == 2
    history = client.get(reverse("admin:pages_page_history", args=[page.pk]))
    assert history.status_code == 200
    compare = client.get(
        reverse("admin:pages_page_compare", args=[page.pk]),
        {"version_id1": versions[1].pk, "version_id2": versions[0].pk},
    )
    assert compare.status_code == 200
    assert "<ins>Third</ins>" in compare.content.decode()  # the words that changed, marked
    restore_url = reverse("admin:pages_page_revision", args=[page.pk, versions[1].pk])
    assert "Second words" in client.get(restore_url).content.decode()
    client.post(restore_url)
    page.refresh_from_db()
    assert page.body == "<p>Second words.</p>" and page.status == Status.DRAFT


def test_a_draft_page_can_be_previewed_by_staff_and_is_never_cached(client, editor):
    page = make_page(title="Support us", body="<p>Give.</p>")
    client.force_login(editor)
    response = client.get(reverse("admin:pages_page_preview", args=[page.pk]))
    assert response.status_code == 200 and "Give." in response.content.decode()
    assert "no-store" in response["Cache-Control"] and "noindex" in response["X-Robots-Tag"]


def test_a_publisher_schedules_a_page_from_the_form(client, publisher):
    page = make_page(status=Status.APPROVED, slug="support-us")
    client.force_login(publisher)
    data = change_form_data(client.get(_change(page)))
    at = timezone.localtime(timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    response = client.post(
        _change(page), {**data, "_step": "schedule", "_step_at": f"{at:%Y-%m-%dT%H:%M}"}
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.is_scheduled and page.publish_at == at
    history = client.get(reverse("admin:pages_page_history", args=[page.pk])).content.decode()
    assert f"Scheduled for {at:%Y-%m-%d %H:%M}" in history
