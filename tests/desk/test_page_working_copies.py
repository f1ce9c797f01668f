"""A page's working copies on the server, as a story's: each tab's form is kept by autosave,
only for someone who may edit the page, never mixed with stories' copies, and gone once
that tab saves the page."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from articles.roles import CONTRIBUTOR
from desk import working_copies
from desk.models import WorkingCopy
from pages import services
from tests.factories import make_article, make_page, make_user

pytestmark = pytest.mark.django_db


def autosave(client, page, **fields):
    url = reverse("admin:pages_page_autosave", args=[page.pk])
    return client.post(url, {"_desk_tab": "tab-1", **fields})


def test_autosave_keeps_the_tabs_copy_of_the_page_and_saving_ends_it(client):
    writer = make_user(CONTRIBUTOR)
    page = make_page(created_by=writer, title="About")
    client.force_login(writer)
    assert autosave(client, page, title="About us", body="<p>Half a sen</p>").status_code == 200
    assert autosave(client, page, title="About us", body="<p>Half a sentence.</p>").json()
    [copy] = WorkingCopy.objects.filter(page=page)
    assert (copy.user, copy.tab, copy.data["body"]) == (
        writer,
        "tab-1",
        ["<p>Half a sentence.</p>"],
    )
    assert working_copies.working_copies_for(user=writer, article=None) == [], "not a new story"
    page.title = "About us"
    services.save_page(page=page, user=writer, tab="tab-1")
    assert not WorkingCopy.objects.filter(page=page).exists()


def test_nobody_autosaves_a_page_they_may_not_edit(client):
    page = make_page(created_by=make_user(CONTRIBUTOR), title="Not yours")
    client.force_login(make_user(CONTRIBUTOR))
    response = autosave(client, page, title="Mine now")
    assert response.status_code == 404 and "error" in response.json()
    assert not WorkingCopy.objects.exists()


def test_the_form_carries_the_persons_copies_and_the_autosave_address(client):
    writer = make_user(CONTRIBUTOR)
    page = make_page(created_by=writer)
    client.force_login(writer)
    autosave(client, page, title="Left in a closed tab")
    html = client.get(reverse("admin:pages_page_change", args=[page.pk])).content.decode()
    assert 'id="page-desk-copies"' in html and "Left in a closed tab" in html
    assert reverse("admin:pages_page_autosave", args=[page.pk]) in html


def test_a_copy_is_of_a_story_or_a_page_never_both():
    writer = make_user(CONTRIBUTOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkingCopy.objects.create(
            user=writer, article=make_article(), page=make_page(), data={}, tab="t"
        )
