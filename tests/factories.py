"""Small builders for test data: plain functions, no fixtures files."""

from datetime import timedelta
from itertools import count

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, Author, Byline, Status
from articles.roles import sync_role_groups
from sections.models import Section

_n = count(1)


def make_user(
    role: str | None = None,
    *,
    superuser: bool = False,
    username: str | None = None,
    with_email: bool = False,
):
    """A staff account in `role`'s group; `with_email` gives it <username>@example.org, for
    tests of mail sent to staff (notifications, newsletter test copies)."""
    username = username or f"{(role or 'user').lower()}{next(_n)}"
    user = get_user_model().objects.create_user(
        username=username,
        email=f"{username}@example.org" if with_email else "",
        password="pw",
        is_staff=True,
        is_superuser=superuser,
    )
    if role:
        if not Group.objects.filter(name=role).exists():  # flushed by a transactional test
            sync_role_groups()
        user.groups.add(Group.objects.get(name=role))
    return user


def make_section(**fields) -> Section:
    n = next(_n)
    return Section.objects.create(**{"name": f"Section {n}", "slug": f"section-{n}", **fields})


def make_author(**fields) -> Author:
    n = next(_n)
    return Author.objects.create(**{"name": f"Author {n}", "slug": f"author-{n}", **fields})


def make_article(*, status=Status.DRAFT, author: Author | None = None, **fields) -> Article:
    """A story with a byline; `status=PUBLISHED` makes it live unless times say otherwise."""
    n = next(_n)
    defaults = {
        "headline": f"Story number {n}",
        "slug": f"story-{n}",
        "body": "<p>First paragraph.</p><p>Second paragraph.</p><p>Third.</p>",
        "status": status,
    }
    if "section" not in fields:
        defaults["section"] = make_section()
    if status == Status.PUBLISHED and "publish_at" not in fields:
        defaults["publish_at"] = timezone.now() - timedelta(hours=1)
    article = Article.objects.create(**{**defaults, **fields})
    if article.publish_at and article.status == Status.PUBLISHED:
        article.first_published_at = article.publish_at
        article.save(update_fields=["first_published_at"])
    Byline.objects.create(article=article, author=author or make_author())
    return article


# Every way a story can be off the site, as fields for make_article (times relative to now).
HIDDEN_STATES = {
    "planned": {"status": Status.PLANNED},
    "draft": {"status": Status.DRAFT},
    "submitted": {"status": Status.SUBMITTED},
    "returned": {"status": Status.RETURNED},
    "approved": {"status": Status.APPROVED},
    "unpublished": {"status": Status.UNPUBLISHED},
    "archived": {"status": Status.ARCHIVED},
    "scheduled": {"status": Status.PUBLISHED, "publish_at": timedelta(days=2)},
    "expired": {"status": Status.PUBLISHED, "unpublish_at": timedelta(minutes=-1)},
}


def make_page(*, status=Status.DRAFT, parent=None, **fields):
    """A page of the newsroom's own; `status=PUBLISHED` makes it live unless times say
    otherwise. Written directly, as make_article does: tests of the services call them."""
    from pages.models import Page

    n = next(_n)
    defaults = {"title": f"Page {n}", "slug": f"page-{n}", "body": "<p>What we do.</p>"}
    if status == Status.PUBLISHED and "publish_at" not in fields:
        defaults["publish_at"] = timezone.now() - timedelta(hours=1)
    page = Page.objects.create(**{**defaults, **fields}, status=status, parent=parent)
    if page.status == Status.PUBLISHED and page.publish_at:
        page.first_published_at = page.publish_at
        page.save(update_fields=["first_published_at"])
    return page
