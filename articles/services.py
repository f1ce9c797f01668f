"""Editorial work on stories: saving, the workflow steps, restoring revisions, share links.

Each function is one transaction and checks permissions itself, so the admin, management
commands and tests all go through the same rules.
"""

import uuid
from datetime import datetime

import reversion
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from reversion.models import Version

from media.body import adopt_alt_text, library_images_in
from newsroom import richtext

from . import roles
from .models import Article, Byline, RelatedArticle, SlugRedirect, Status, TaggedArticle, Transition


class WorkflowError(ValidationError):
    """A workflow step that is not possible for this story as it stands."""


# --- Saving -----------------------------------------------------------------------------------


def unique_slug(headline: str, *, exclude_pk: int | None = None) -> str:
    """A slug made from the headline that no other story (or old story URL) uses."""
    base = (slugify(headline) or "story")[:200].strip("-")
    candidate, n = base, 2
    while (
        Article.objects.filter(slug=candidate).exclude(pk=exclude_pk).exists()
        or SlugRedirect.objects.filter(old_slug=candidate).exclude(article_id=exclude_pk).exists()
    ):
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def prepare_article(*, article: Article, user, mark_updated: bool = False) -> Article:
    """Check and complete a story before it is written: the rules every save obeys.

    Sanitises rich text, fills the slug, stamps authorship and version, keeps an old URL
    redirecting when a published story's slug changes, and refuses what the user may not do.
    """
    is_new = article.pk is None
    if is_new:
        if not roles.can_create(user):
            raise PermissionDenied("You may not create stories.")
        article.created_by = user
    else:
        stored = Article.objects.select_for_update().get(pk=article.pk)
        if not roles.can_edit(user, stored):
            raise PermissionDenied("You may not edit this story in its current state.")
        article.version = stored.version + 1
        if article.slug != stored.slug and stored.first_published_at:
            if not roles.can_set_schedule(user):
                raise PermissionDenied("Only a publisher may change a published story's URL.")
            SlugRedirect.objects.filter(old_slug=article.slug).delete()
            SlugRedirect.objects.update_or_create(
                old_slug=stored.slug, defaults={"article_id": article.pk}
            )
    if not article.slug:
        article.slug = unique_slug(article.headline, exclude_pk=article.pk)
    adopt_alt_text(article.body)
    if mark_updated and article.first_published_at:
        article.updated_at = timezone.now()
    article.last_edited_by = user
    return article


@transaction.atomic
def save_article(
    *, article: Article, user, mark_updated: bool = False, comment: str = ""
) -> Article:
    """Save a story outside the admin (commands, imports) with a revision, like an admin save."""
    with reversion.create_revision():
        prepare_article(article=article, user=user, mark_updated=mark_updated)
        article.save()
        reversion.set_user(user)
        reversion.set_comment(comment or ("Created" if article.version == 1 else "Changed"))
    return article


# --- Workflow ---------------------------------------------------------------------------------


def _transition(*, article: Article, user, allowed, to_status: str, comment: str, **changes):
    """Lock the story, check the step against its current state, apply it and log it."""
    current = Article.objects.select_for_update().get(pk=article.pk)
    if not allowed(user, current):
        raise PermissionDenied(
            f"You may not move this story from “{current.display_status}” "
            f"to “{Status(to_status).label}”."
        )
    from_status = current.status
    current.status = to_status
    for name, value in changes.items():
        setattr(current, name, value)
    current.save(update_fields=["status", "modified_at", *changes])
    Transition.objects.create(
        article=current,
        user=user,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )
    article.refresh_from_db()
    return article


@transaction.atomic
def submit(*, article: Article, user, comment: str = "") -> Article:
    """Send a draft to the editors."""
    return _transition(
        article=article, user=user, allowed=roles.can_submit, to_status=Status.SUBMITTED,
        comment=comment,
    )  # fmt: skip


@transaction.atomic
def approve(*, article: Article, user, comment: str = "") -> Article:
    """An editor signs off a submitted story; a publisher can now publish it."""
    return _transition(
        article=article, user=user, allowed=roles.can_approve, to_status=Status.APPROVED,
        comment=comment,
    )  # fmt: skip


@transaction.atomic
def return_to_writer(*, article: Article, user, comment: str) -> Article:
    """Send a story back to its writer, saying what needs doing."""
    if not comment.strip():
        raise WorkflowError("Say what the writer should change when returning a story.")
    return _transition(
        article=article, user=user, allowed=roles.can_return, to_status=Status.RETURNED,
        comment=comment,
    )  # fmt: skip


def publishing_problems(article: Article) -> list[str]:
    """What stops this story from going on the site, in words an editor can act on."""
    problems = []
    if not article.headline.strip():
        problems.append("It needs a headline.")
    if not richtext.plain_text(article.body):
        problems.append("It needs a body.")
    if not article.bylines.exists():
        problems.append("It needs at least one author in the byline.")
    pictures = [("Lead image", article.lead_image), ("Social image", article.social_image)]
    pictures += [("Body image", image) for image in library_images_in(article.body).values()]
    for label, image in pictures:
        for problem in image.problems_for_publishing() if image else []:
            problems.append(f"{label} “{image}” (#{image.pk}) {problem}.")
    return problems


@transaction.atomic
def publish(*, article: Article, user, at: datetime | None = None, comment: str = "") -> Article:
    """Publish now, or schedule for `at`: the story goes live by itself at that time."""
    now = timezone.now()
    if at is not None and at <= now:
        raise WorkflowError(
            "A schedule needs a time in the future; use “Publish now” to publish at once."
        )
    at = at or now
    problems = publishing_problems(article)
    if problems:
        raise WorkflowError(problems)
    if article.unpublish_at and article.unpublish_at <= at:
        raise WorkflowError("The unpublish time must come after the publish time.")
    changes = {"publish_at": at}
    if article.first_published_at is None or at < article.first_published_at:
        changes["first_published_at"] = at
    verb = "Scheduled" if at > now else "Published"
    return _transition(
        article=article,
        user=user,
        allowed=roles.can_publish,
        to_status=Status.PUBLISHED,
        comment=comment or f"{verb} for {timezone.localtime(at):%Y-%m-%d %H:%M}",
        **changes,
    )


@transaction.atomic
def unpublish(*, article: Article, user, comment: str = "") -> Article:
    """Take a published (or scheduled) story off the site."""
    return _transition(
        article=article, user=user, allowed=roles.can_unpublish, to_status=Status.UNPUBLISHED,
        comment=comment,
    )  # fmt: skip


@transaction.atomic
def archive(*, article: Article, user, comment: str = "") -> Article:
    """Put a story away for good; it leaves the site if it was on it."""
    return _transition(
        article=article, user=user, allowed=roles.can_archive, to_status=Status.ARCHIVED,
        comment=comment,
    )  # fmt: skip


# --- Revisions --------------------------------------------------------------------------------

# What a restore brings back. Workflow state (status, times, slug) stays as it is now:
# restoring yesterday's text must not unpublish, republish or move a story.
RESTORED_FIELDS = [
    "headline", "kicker", "article_type", "dek", "body", "teaser", "lead_image_id",
    "lead_image_caption", "section_id", "series_id", "seo_title", "seo_description",
    "social_image_id",
]  # fmt: skip
RESTORED_RELATIONS = [Byline, RelatedArticle, TaggedArticle]


@transaction.atomic
def restore_revision(*, article: Article, version: Version, user) -> Article:
    """Bring back a revision's text, byline, tags and related stories, as a new revision."""
    current = Article.objects.select_for_update().get(pk=article.pk)
    if not roles.can_edit(user, current):
        raise PermissionDenied("You may not edit this story in its current state.")
    if version.object_id != str(current.pk) or version.content_type.model_class() is not Article:
        raise WorkflowError("That revision belongs to another story.")
    old = version._object_version.object
    with reversion.create_revision():
        for name in RESTORED_FIELDS:
            setattr(current, name, getattr(old, name))
        for model in RESTORED_RELATIONS:
            field = "content_object" if model is TaggedArticle else "article"
            model.objects.filter(**{field: current}).delete()
        for related in version.revision.version_set.exclude(pk=version.pk):
            if related.content_type.model_class() in RESTORED_RELATIONS:
                related._object_version.save()
        prepare_article(article=current, user=user)
        current.save()
        reversion.set_user(user)
        when = timezone.localtime(version.revision.date_created)
        reversion.set_comment(f"Restored the revision of {when:%Y-%m-%d %H:%M}")
    return current


# --- Share links for reviewers without an account -----------------------------------------------

_SHARE_SALT = "articles.share-link"


def share_token(article: Article) -> str:
    """A signed token for a read-only preview; expires, and dies when links are revoked."""
    return signing.TimestampSigner(salt=_SHARE_SALT).sign_object(
        {"id": article.pk, "key": article.preview_key.hex}
    )


def article_for_share_token(token: str) -> Article | None:
    """The story a share token opens, or None when it is forged, expired or revoked."""
    try:
        data = signing.TimestampSigner(salt=_SHARE_SALT).unsign_object(
            token, max_age=settings.PREVIEW_LINK_MAX_AGE
        )
        article = Article.objects.get(pk=data["id"])
    except (signing.BadSignature, Article.DoesNotExist, KeyError, TypeError, ValueError):
        return None
    return article if article.preview_key.hex == data.get("key") else None


@transaction.atomic
def revoke_share_links(*, article: Article, user) -> None:
    """Invalidate every share link handed out for this story."""
    if not roles.can_edit(user, article):
        raise PermissionDenied("You may not manage this story's share links.")
    article.preview_key = uuid.uuid4()
    article.save(update_fields=["preview_key"])
