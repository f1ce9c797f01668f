"""The desk speaks as a newsroom: lists and forms titled in staff's words, people by their
full names, and read-only things (a sent newsletter issue) without Save buttons."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from articles.roles import CONTRIBUTOR, EDITOR
from newsletters.models import Issue
from sections.models import Section
from tests.factories import make_author, make_section, make_user
from tests.newsletters.issue_factories import make_newsletter

pytestmark = pytest.mark.django_db


def named(role, first="Mara", last="Lindqvist"):
    user = make_user(role, username=f"{first.lower()}_login_name")
    user.first_name, user.last_name = first, last
    user.save()
    return user


def test_lists_are_titled_by_what_they_hold(client):
    client.force_login(named(EDITOR))
    page = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "<h1>Stories</h1>" in page
    assert "<title>Stories | Newsroom desk</title>" in page
    assert "Select story to change" not in page and "Django" not in page


def test_a_form_says_edit_and_a_read_only_one_says_so(client):
    author, section = make_author(name="Lyse Doucet"), make_section(name="Europe")
    client.force_login(named(EDITOR))
    page = client.get(reverse("admin:articles_author_change", args=[author.pk])).content.decode()
    assert "<h1>Edit author</h1>" in page and "Change author" not in page
    client.force_login(named(CONTRIBUTOR, "Priya", "Raman"))  # sections: view only
    page = client.get(reverse("admin:sections_section_change", args=[section.pk])).content.decode()
    assert "<h1>Section (read only)</h1>" in page and "View section" not in page


def test_libraries_are_named_for_staff_not_programmers(client):
    client.force_login(named(EDITOR))
    page = client.get(reverse("admin:taggit_tag_changelist")).content.decode()
    assert "<h1>Tags</h1>" in page and "Taggit" not in page and "TAGGIT" not in page


def test_authors_show_their_desk_account_by_full_name(client):
    writer = named(CONTRIBUTOR, "Priya", "Raman")
    make_author(name="Priya Raman", user=writer)
    client.force_login(named(EDITOR))
    page = client.get(reverse("admin:articles_author_changelist")).content.decode()
    assert "priya_login_name" not in page
    assert page.count("Priya Raman") >= 2  # the author and the account


def test_a_history_names_people_by_their_full_names(client):
    editor = named(EDITOR)
    section = make_section(name="Europe")
    LogEntry.objects.create(
        user=editor, content_type=ContentType.objects.get_for_model(Section),
        object_id=str(section.pk), object_repr="Europe", action_flag=CHANGE,
        change_message="Renamed", action_time=timezone.now(),
    )  # fmt: skip
    client.force_login(editor)
    page = client.get(reverse("admin:sections_section_history", args=[section.pk]))
    html = page.content.decode()
    assert "Mara Lindqvist" in html and "mara_login_name" not in html


def test_a_sent_issue_is_read_only_with_no_save_buttons(client):
    letter = make_newsletter(name="Diplomacy Watch")
    issue = Issue.objects.create(
        newsletter=letter, number=1, subject="Sent already", state=Issue.State.SENT,
        sent_at=timezone.now(),
    )  # fmt: skip
    client.force_login(named(EDITOR))
    change = reverse("admin:newsletters_issue_change", args=[issue.pk])
    page = client.get(change).content.decode()
    assert 'name="_save"' not in page and 'name="_continue"' not in page
    assert "(read only)" in page
    refused = client.post(change, {"subject": "Rewritten after sending"})
    assert refused.status_code == 403
    issue.refresh_from_db()
    assert issue.subject == "Sent already"


def test_a_draft_issue_still_saves(client):
    issue = Issue.objects.create(newsletter=make_newsletter(name="Weekly"), number=1, subject="Hi")
    client.force_login(named(EDITOR))
    page = client.get(reverse("admin:newsletters_issue_change", args=[issue.pk])).content.decode()
    assert 'name="_save"' in page


def test_saving_says_saved_in_plain_words(client):
    """The admin's "was added successfully. You may edit it again below." in newsroom words
    (desk/locale: the desk's catalogue over the admin's own)."""
    client.force_login(named(EDITOR))
    response = client.post(
        reverse("admin:sections_series_add"),
        {"name": "Diplomacy Watch", "slug": "diplomacy-watch", "cadence": "weekly"},
        follow=True,
    )
    said = [strip_tags(str(m)) for m in response.context["messages"]]
    assert said == ["Saved the new series “Diplomacy Watch”."]


def test_the_demo_staff_have_names_the_desk_can_show(tmp_path):
    """The desk shows full names; the demo's accounts are the authors they write as."""
    call_command("load_demo", logins_file=str(tmp_path / "logins.json"), verbosity=0)
    names = {u.username: u.get_full_name() for u in get_user_model().objects.all()}
    assert names["contributor"] == "Priya Raman"
    assert all(names.values()), names


def test_notifications_name_who_acted_by_full_name(client):
    from articles import services
    from tests.factories import make_article

    writer, editor = named(CONTRIBUTOR, "Priya", "Raman"), named(EDITOR)
    story = make_article(created_by=writer, headline="Grain talks")
    services.take_step(article=story, user=writer, step="submit")
    services.take_step(article=story, user=editor, step="return", comment="Tighten it")
    client.force_login(writer)
    for page in (reverse("admin:index"), reverse("admin:desk_notifications")):
        html = client.get(page).content.decode()
        assert "Mara Lindqvist" in html and "mara_login_name" not in html, page
