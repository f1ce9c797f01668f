"""Every desk page, as each role, at a laptop's width and a phone's: no JavaScript error and
no Content-Security-Policy violation. The pages are found from the admin's own registry, so
a desk page added later is walked too."""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from reversion.models import Version

from articles import services
from articles.models import Article, Status
from articles.roles import CONTRIBUTOR, EDITOR, PUBLISHER
from tests.browser.staff import log_in, record_errors
from tests.factories import make_article, make_user

pytestmark = [pytest.mark.django_db(transaction=True)]

WIDTHS = {"laptop": 1366, "phone": 390}


def desk_pages(user, story: Article) -> list[str]:
    """The desk's pages this user may open: every model's list, add form and first object,
    the desk home, notifications and preferences, and a story's history, compare, preview,
    calendar and archive confirmation."""
    pages = ["/admin/", reverse("admin:desk_notifications"), reverse("admin:desk_preferences")]
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        fake = type("Request", (), {"user": user})()
        if not model_admin.has_view_or_change_permission(fake):
            continue
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(fake):
            pages.append(reverse("admin:{}_{}_add".format(*info)))
        first = story if model is Article else model._default_manager.order_by("pk").first()
        if first is not None:
            try:
                pages.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            except NoReverseMatch:
                pass
    versions = list(Version.objects.get_for_object(story).values_list("pk", flat=True)[:2])
    pages += [
        reverse("admin:articles_article_history", args=[story.pk]),
        reverse("admin:articles_article_preview", args=[story.pk]),
        reverse("admin:articles_calendar"),
        reverse("admin:audience"),
        reverse("admin:audience-story", args=[story.pk]),
    ]
    if user.has_perm("articles.archive_article"):
        pages.append(reverse("admin:articles_article_confirm_step", args=[story.pk, "archive"]))
    if len(versions) == 2:
        compare = reverse("admin:articles_article_compare", args=[story.pk])
        pages.append(f"{compare}?version_id1={versions[1]}&version_id2={versions[0]}")
    return pages


@pytest.mark.parametrize("role", [CONTRIBUTOR, EDITOR, PUBLISHER])
def test_every_desk_page_runs_clean_for_each_role_at_each_width(demo_site, browser, role):
    user = make_user(role)
    story = make_article(status=Status.DRAFT, created_by=user, headline="A story of my own")
    services.save_article(article=story, user=user)
    story.dek = "Revised once"
    services.save_article(article=story, user=user)
    pages = desk_pages(user, story)
    assert len(pages) > 8
    for name, width in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        errors = record_errors(page)
        log_in(page, demo_site, user)
        for path in pages:
            response = page.goto(demo_site + path)  # deferred scripts have run by "load"
            assert response.status == 200, f"{path} as {role}"
            assert errors == [], f"{path} as {role} at {name} ({width}px)"
        context.close()
