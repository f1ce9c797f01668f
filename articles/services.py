"""Editorial work on stories: saving, the workflow steps, restoring revisions, pending
changes, share links.

The services are the only writers of a story and its parts: the admin (its save, inlines and
workflow buttons), autosave, the WordPress import, the demo loader and the corpus generator
all call them. Each function is one transaction, checks permissions itself, and says once,
when it commits, what the change means for readers (`articles.changes.reader_impact`).
Commands act as `SYSTEM`, an explicit actor that may do anything and is logged as "system".
"""

import uuid
from contextlib import contextmanager
from datetime import datetime

import reversion
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from reversion.models import Version

from caching import invalidation
from desk import notifications
from desk.models import Verb
from media.body import adopt_alt_text, library_images_in
from newsletters import issues as newsletter_issues
from newsroom import richtext

from . import roles, working_copies
from .changes import CONTENT_FIELDS, ReaderState, Relations, pages_changed, reader_impact
from .models import Article, LiveRevision, SlugRedirect, Status, Transition, WorkingCopy


class SystemActor:
    """Who a management command acts as: allowed everything, recorded as "system"."""

    pk = id = None
    is_authenticated = is_active = is_staff = True
    username = "system"

    def has_perm(self, perm, obj=None) -> bool:
        return True

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()


def _person(user):
    """The user to record (None for the system actor)."""
    return None if isinstance(user, SystemActor) else user


class WorkflowError(ValidationError):
    """A workflow step that is not possible for this story as it stands."""


# --- Saving -----------------------------------------------------------------------------------


@contextmanager
def _writing(article: Article | None):
    """Write one story, then announce once what the write meant for readers.

    The state before is read from the database (the object in hand may already carry the
    form's changes); the state after from the object as written."""
    pk = article.pk if article is not None else None
    before = ReaderState.read(pk) if pk is not None else None
    with invalidation.announced_by_service():
        yield
        after = ReaderState.read(article.pk) if article.pk else None
        pk = pk or article.pk  # a deleted story has lost its pk; a new one has just got it
        # Our cache and the CDN drop the pages that show the story or draw a listing it
        # joined or left, and only those (articles.changes.pages_changed).
        invalidation.announce(reader_impact(before, after), keys=pages_changed(pk, before, after))


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
        article.created_by = article.created_by if isinstance(user, SystemActor) else user
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
    if not isinstance(user, SystemActor) or article.last_edited_by_id is None:
        article.last_edited_by = _person(user) or article.created_by
    return article


@transaction.atomic
def save_article(
    *,
    article: Article,
    user,
    relations: Relations | None = None,
    save_related=None,
    mark_updated: bool = False,
    comment: str = "",
    created_at: datetime | None = None,
    working_copy_tab: str | None = None,
) -> Article:
    """Save a story and its relations as one revision: the one write path.

    `relations` gives rows to replace (commands, imports, restore); `save_related`, a
    callable taking the saved story, writes the admin form's inlines. `created_at` backdates
    a story whose life began elsewhere (an imported post keeps its WordPress date). The
    working copy of the tab that saved (`working_copy_tab`) is done with and is deleted."""
    with _writing(article), reversion.create_revision():
        is_new = article.pk is None
        prepare_article(article=article, user=user, mark_updated=mark_updated)
        article.save()
        if created_at is not None:  # auto_now_add ignores a value given on insert
            Article.objects.filter(pk=article.pk).update(created_at=created_at)
            article.created_at = created_at
        if relations is not None:
            relations.write(article)
        if save_related is not None:
            known = set() if is_new else set(article.corrections.values_list("pk", flat=True))
            save_related(article)
            _notify_new_corrections(article=article, user=user, known=known)
        # Bulk-written relations send no signal: record the story again, following its
        # byline, tags and links as they are now, so this revision can be restored whole.
        reversion.add_to_revision(article)
        reversion.set_user(_person(user))
        reversion.set_comment(comment or ("Created" if is_new else "Changed"))
        if article.pk and article.is_live():
            reversion.add_meta(LiveRevision)
        person = _person(user)
        if person is not None:
            working_copies.saved_working_copy(
                user=person, article=article, was_new=is_new, tab=working_copy_tab
            )
    return article


def _notify_new_corrections(*, article: Article, user, known: set) -> None:
    """Corrections arrive through the admin's inline: tell the story's people of new ones."""
    for correction in article.corrections.exclude(pk__in=known):
        notifications.notify(
            article=article, verb=Verb.CORRECTION, actor=_person(user), comment=correction.text
        )


@transaction.atomic
def save_and_step(
    *, article: Article, user, step: str, comment: str = "", at: datetime | None = None, **save
) -> Article:
    """The desk's "Save and submit" (approve, publish, schedule…): the form's changes and the
    step in one transaction, or neither, announced to readers once."""
    with invalidation.announced_by_service():
        save_article(article=article, user=user, **save)
        return take_step(article=article, user=user, step=step, comment=comment, at=at)


# --- Workflow ---------------------------------------------------------------------------------


def _transition(*, article: Article, user, allowed, to_status: str, comment: str, **changes):
    """Lock the story, check the step against its current state, apply it and log it."""
    current = Article.objects.select_for_update().get(pk=article.pk)
    if not allowed(user, current):
        raise PermissionDenied(
            f"You may not move this story from “{current.display_status}” "
            f"to “{Status(to_status).label}”."
        )
    with _writing(current):
        from_status = current.status
        current.status = to_status
        for name, value in changes.items():
            setattr(current, name, value)
        current.save(update_fields=["status", "modified_at", *changes])
        Transition.objects.create(
            article=current,
            user=_person(user),
            from_status=from_status,
            to_status=to_status,
            comment=comment,
        )
    verb = notifications.verb_for_step(current, to_status)
    if verb is not None:
        notifications.notify(article=current, verb=verb, actor=_person(user), comment=comment)
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
    if article.pending_for_id:
        if at is not None:
            raise WorkflowError("Pending changes are published at once, not scheduled.")
        return publish_pending_changes(changes=article, user=user, comment=comment)
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
    published = _transition(
        article=article,
        user=user,
        allowed=roles.can_publish,
        to_status=Status.PUBLISHED,
        comment=comment or f"{verb} for {timezone.localtime(at):%Y-%m-%d %H:%M}",
        **changes,
    )
    # Newsletters fed by the story get their issue now, or at its scheduled time; a failure
    # there is logged and never undoes the publication.
    newsletter_issues.story_published(published)
    return published


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


@transaction.atomic
def restore_from_archive(*, article: Article, user, comment: str = "") -> Article:
    """Undo an archive: the story comes back as a draft, to be worked on and published again."""
    return _transition(
        article=article, user=user, allowed=roles.can_restore_from_archive,
        to_status=Status.DRAFT, comment=comment or "Restored from archive",
    )  # fmt: skip


@transaction.atomic
def publish_again(*, article: Article, user, comment: str = "") -> Article:
    """Undo an unpublish: the story goes back on the site now, at its old address."""
    current = Article.objects.select_for_update().get(pk=article.pk)
    if not roles.can_publish_again(user, current):
        raise PermissionDenied("Only a publisher may publish an unpublished story again.")
    return publish(article=article, user=user, comment=comment or "Published again")


STEPS = {
    "submit": submit,
    "approve": approve,
    "return": return_to_writer,
    "publish": publish,
    "schedule": publish,
    "unpublish": unpublish,
    "archive": archive,
    "restore": restore_from_archive,
    "republish": publish_again,
}


def take_step(
    *, article: Article, user, step: str, comment: str = "", at: datetime | None = None
) -> Article:
    """One workflow step by name (the admin's buttons); "schedule" needs `at`."""
    if step not in STEPS:
        raise WorkflowError(f"No such workflow step: {step}.")
    if step == "schedule":
        if at is None:
            raise WorkflowError("Give a date and time to schedule the story.")
        return publish(article=article, user=user, at=at, comment=comment)
    return STEPS[step](article=article, user=user, comment=comment)


@transaction.atomic
def delete_article(*, article: Article, user) -> None:
    """Delete a story for good (a publisher's call); it leaves every page at once."""
    if not roles.can_delete(user, article):
        raise PermissionDenied("You may not delete stories.")
    with _writing(article):
        article.delete()


@transaction.atomic
def add_tag(*, article: Article, user, name: str) -> Article:
    """Tag a story (the desk's bulk action), as a revision like any other edit."""
    from taggit.models import Tag

    name = " ".join(name.split())[:100]
    if not name:
        raise ValidationError("Give the tag a name.")
    current = Article.objects.select_for_update().get(pk=article.pk)
    tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
    tags = list(current.tags.values_list("pk", flat=True))
    if tag.pk in tags:
        return current
    return save_article(
        article=current, user=user, relations=Relations(tags=[*tags, tag.pk]),
        comment=f"Tagged “{tag.name}”",
    )  # fmt: skip


# --- Revisions --------------------------------------------------------------------------------


@transaction.atomic
def restore_revision(*, article: Article, version: Version, user) -> Article:
    """Bring back a revision's text, byline, tags and related stories, as a new revision.

    Workflow state (status, times, slug) stays as it is now: restoring yesterday's text must
    not unpublish, republish or move a story."""
    current = Article.objects.select_for_update().get(pk=article.pk)
    if not roles.can_edit(user, current):
        raise PermissionDenied("You may not edit this story in its current state.")
    if version.object_id != str(current.pk) or version.content_type.model_class() is not Article:
        raise WorkflowError("That revision belongs to another story.")
    old = version._object_version.object
    for name in CONTENT_FIELDS:
        setattr(current, name, getattr(old, name))
    when = timezone.localtime(version.revision.date_created)
    return save_article(
        article=current,
        user=user,
        relations=_relations_in(version),
        comment=f"Restored the revision of {when:%Y-%m-%d %H:%M}",
    )


def _relations_in(version: Version) -> Relations:
    """The byline, tags and related stories a revision recorded beside the story."""
    rows = {"bylines": [], "tags": [], "related": []}
    for related in version.revision.version_set.exclude(pk=version.pk):
        obj = related._object_version.object
        name = type(obj).__name__
        if name == "Byline":
            rows["bylines"].append(
                {"author_id": obj.author_id, "role": obj.role, "order": obj.order}
            )
        elif name == "TaggedArticle":
            rows["tags"].append(obj.tag_id)
        elif name == "RelatedArticle":
            rows["related"].append({"related_id": obj.related_id, "order": obj.order})
    return Relations(**rows)


# --- Pending changes to a live story -----------------------------------------------------------


def _pending_copy(*, live: Article, user) -> Article:
    """A new, never-live copy of a story that will hold changes to it."""
    if live.pending_for_id:
        raise WorkflowError("These are pending changes already.")
    existing = live.pending_changes.first()
    if existing is not None:
        raise WorkflowError(
            f"There are pending changes to this story already (#{existing.pk}): "
            "open them, or discard them first."
        )
    copy = Article(
        **{name: getattr(live, name) for name in CONTENT_FIELDS},
        pending_for=live,
        status=Status.DRAFT,
        slug=unique_slug(f"{live.slug} pending changes"),
        created_by=_person(user),
    )
    return copy


@transaction.atomic
def propose_changes(*, article: Article, user) -> Article:
    """Start pending changes to a live story: a copy readers never see, edited and reviewed
    like any story, that replaces the live text only when a publisher publishes it. The only
    way a contributor changes their own published story."""
    live = Article.objects.select_for_update().get(pk=article.pk)
    if not roles.can_propose_changes(user, live):
        raise PermissionDenied("You may not propose changes to this story.")
    copy = _pending_copy(live=live, user=user)
    return save_article(
        article=copy, user=user, relations=Relations.of(live),
        comment=f"Pending changes to “{live.headline}” started",
    )  # fmt: skip


@transaction.atomic
def save_as_pending_changes(*, article: Article, user, relations: Relations) -> Article:
    """An editor's form on a live story saved as pending changes instead: `article` carries
    the form's values in memory; the live story in the database is left as readers see it."""
    live = Article.objects.select_for_update().get(pk=article.pk)
    if not (roles.can_edit(user, live) and roles.can_propose_changes(user, live)):
        raise PermissionDenied("You may not change this story.")
    copy = _pending_copy(live=live, user=user)
    for name in CONTENT_FIELDS:
        setattr(copy, name, getattr(article, name))
    saved = save_article(
        article=copy, user=user, relations=relations,
        comment=f"Pending changes to “{live.headline}”",
    )  # fmt: skip
    article.refresh_from_db()  # the form's values stay only in the copy
    person = _person(user)
    if person is not None:  # what the person typed is saved, in the copy
        WorkingCopy.objects.filter(user=person, article=live).delete()
    return saved


@transaction.atomic
def publish_pending_changes(*, changes: Article, user, comment: str = "") -> Article:
    """Replace the live story's text, pictures and relations with the pending changes, as a
    new revision of the live story, and drop the copy."""
    changes = Article.objects.select_for_update().get(pk=changes.pk)
    if changes.pending_for_id is None:
        raise WorkflowError("This story holds no pending changes.")
    if not roles.can_publish_pending(user, changes):
        raise PermissionDenied("Only a publisher may publish pending changes.")
    problems = publishing_problems(changes)
    if problems:
        raise WorkflowError(problems)
    live = Article.objects.select_for_update().get(pk=changes.pending_for_id)
    for name in CONTENT_FIELDS:
        setattr(live, name, getattr(changes, name))
    relations = Relations.of(changes)
    # Corrections are added to the live story too while changes are pending: keep every one
    # it has, and add those only the pending changes hold. Nothing published is dropped.
    kept = Relations.of(live).corrections
    known = {(c["kind"], c["text"]) for c in kept}
    relations.corrections = kept + [
        c for c in relations.corrections if (c["kind"], c["text"]) not in known
    ]
    note = comment or f"Published the pending changes #{changes.pk}"
    Transition.objects.create(
        article=live, user=_person(user), from_status=live.status, to_status=live.status,
        comment=note,
    )  # fmt: skip
    with invalidation.announced_by_service():  # the copy was never on a page
        changes.delete()
    saved = save_article(article=live, user=user, relations=relations, comment=note)
    notifications.notify(article=saved, verb=Verb.PUBLISHED, actor=_person(user), comment=note)
    return saved


@transaction.atomic
def discard_pending_changes(*, changes: Article, user) -> Article:
    """Throw the pending changes away; the live story stays as it is. Returns the live story."""
    changes = Article.objects.select_for_update().get(pk=changes.pk)
    if changes.pending_for_id is None:
        raise WorkflowError("This story holds no pending changes.")
    if not roles.can_edit(user, changes):
        raise PermissionDenied("You may not discard these changes.")
    live = changes.pending_for
    Transition.objects.create(
        article=live, user=_person(user), from_status=live.status, to_status=live.status,
        comment=f"Discarded the pending changes #{changes.pk}",
    )  # fmt: skip
    with _writing(changes):
        changes.delete()
    return live


# --- Autosave: a person's private working copy, never the story ---------------------------------

# Autosave writes no story: it keeps one person's unsaved form (articles/working_copies.py).
# It is reached from here like every other write, so the desk has one place to look.
save_working_copy = working_copies.save_working_copy
discard_working_copy = working_copies.discard_working_copy


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
    with invalidation.announced_by_service():  # readers see nothing of it: nothing announced
        article.preview_key = uuid.uuid4()
        article.save(update_fields=["preview_key"])
