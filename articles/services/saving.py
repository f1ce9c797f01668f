"""Saving a story and its parts as one revision (the one write path), deleting and tagging
it, and restoring an earlier revision."""

from datetime import datetime

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from reversion.models import Version

from desk import notifications, working_copies
from desk.models import Verb
from media.body import adopt_alt_text, library_images_in
from newsroom import richtext

from .. import roles
from ..changes import CONTENT_FIELDS, SOURCE_FIELDS, Relations
from ..models import (
    Article,
    Byline,
    Correction,
    LiveRevision,
    RelatedArticle,
    SlugRedirect,
    Source,
    Status,
    TaggedArticle,
    Transition,
)  # fmt: skip
from ..models.article import sponsor_problem, web_address
from .writing import (
    StaleStory,
    SystemActor,
    WorkflowError,
    _lock,
    _person,
    _service,
    _writing,
    unique_slug,
)

# --- Saving -----------------------------------------------------------------------------------


def prepare_article(
    *, article: Article, user, mark_updated: bool = False, started_from: int | None = None
) -> Article:
    """Check and complete a story before it is written: the rules every save obeys.

    Locks the story's row (the one lock of a save), refuses the save if the story changed
    since `started_from` (the version the form was made from), sanitises rich text, fills the
    slug, stamps authorship and version, keeps an old URL redirecting when a published
    story's slug changes, and refuses what the user may not do, or a sponsored story
    that does not name its sponsor.
    """
    is_new = article.pk is None
    problem = sponsor_problem(article)
    if problem:  # whoever saves: the form, a command, the importer
        raise ValidationError({"sponsor_name": problem})
    if article.sponsor_url:  # a link readers follow: a web page, never javascript:
        web_address(article.sponsor_url)
    if is_new:
        if not roles.can_create(user):
            raise PermissionDenied("You may not create stories.")
        article.created_by = article.created_by if isinstance(user, SystemActor) else user
    else:
        stored = _lock(article.pk)
        if started_from is not None and started_from != stored.version:
            who = stored.last_edited_by
            raise StaleStory(
                f"{who.get_full_name() or who.get_username() if who else 'Someone'} saved "
                "this story a moment ago. Nothing was saved: your text is still in the form; "
                "save again to see their changes beside yours."
            )
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
    if not is_new and article.status == Status.PLANNED and richtext.plain_text(article.body):
        article.status = Status.DRAFT  # the writer has started: the assignment is a draft now
        Transition.objects.create(
            article=article, user=_person(user), from_status=Status.PLANNED,
            to_status=Status.DRAFT, comment="Started writing",
        )  # fmt: skip
    adopt_alt_text(article.body)
    if mark_updated and article.first_published_at:
        article.updated_at = timezone.now()
    if not isinstance(user, SystemActor) or article.last_edited_by_id is None:
        article.last_edited_by = _person(user) or article.created_by
    return article


@_service
def save_article(
    *,
    article: Article,
    user,
    relations: Relations | None = None,
    mark_updated: bool = False,
    started_from: int | None = None,
    comment: str = "",
    created_at: datetime | None = None,
    working_copy_tab: str | None = None,
) -> Article:
    """Save a story and its relations as one revision: the one write path.

    `article` carries the new field values; `relations` the rows to replace (the desk's
    inlines, commands, imports, restore). `started_from` is the version the editor's form was
    made from: a save over a newer version is refused (StaleStory). `created_at` backdates
    a story whose life began elsewhere (an imported post keeps its WordPress date). The
    working copy of the tab that saved (`working_copy_tab`) is done with and is deleted."""
    if relations is not None:
        _check_sources(relations.sources or [])
    with _writing(article), reversion.create_revision():
        is_new = article.pk is None
        known = set() if is_new else set(article.corrections.values_list("kind", "text"))
        prepare_article(
            article=article, user=user, mark_updated=mark_updated, started_from=started_from
        )
        article.save()
        if created_at is not None:  # auto_now_add ignores a value given on insert
            Article.objects.filter(pk=article.pk).update(created_at=created_at)
            article.created_at = created_at
        if relations is not None:
            relations.write(article)
            if _person(user) is not None:  # an import or command brings old corrections
                _notify_new_corrections(article=article, user=user, known=known)
        # Bulk-written relations send no signal: record the story again, and each of its
        # rows as it is now (a row the story's save already recorded, as it was before it
        # changed, is only replaced when named), so this revision can be restored whole.
        reversion.add_to_revision(article)
        for row in _rows_of(article):
            reversion.add_to_revision(row)
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


def _check_sources(rows: list[dict]) -> None:
    """A source needs a title, and links only to a web page (never javascript: or data:),
    whoever writes it: the form checks it too, a command or an import is checked here."""
    for row in rows:
        if not str(row.get("title") or "").strip():
            raise ValidationError("Every source needs a title.")
        if row.get("url"):
            try:
                web_address(row["url"])
            except ValidationError:
                raise ValidationError(
                    f"The source “{row.get('title')}” must link to a web address that starts "
                    "with http:// or https://."
                ) from None


def _rows_of(article: Article) -> list:
    """The story's byline, tag, related-story, correction and source rows, read afresh (the story
    in hand may carry them prefetched from before the write)."""
    return [
        *Byline.objects.filter(article=article),
        *TaggedArticle.objects.filter(content_object=article),
        *RelatedArticle.objects.filter(article=article),
        *Correction.objects.filter(article=article),
        *Source.objects.filter(article=article),
    ]


def _notify_new_corrections(*, article: Article, user, known: set) -> None:
    """Tell the story's people of corrections it did not have (`known`: kind and text)."""
    for correction in article.corrections.all():
        if (correction.kind, correction.text) in known:
            continue
        notifications.notify(
            article=article, verb=Verb.CORRECTION, actor=_person(user), comment=correction.text
        )


@_service
def delete_article(*, article: Article, user) -> None:
    """Delete a story for good (a publisher's call); it leaves every page at once."""
    if not roles.can_delete(user, article):
        raise PermissionDenied("You may not delete stories.")
    with _writing(article):
        article.delete()


@_service
def add_tag(*, article: Article, user, name: str) -> Article:
    """Tag a story (the desk's bulk action), as a revision like any other edit."""
    from taggit.models import Tag

    name = " ".join(name.split())[:100]
    if not name:
        raise ValidationError("Give the tag a name.")
    current = _lock(article.pk)
    tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
    tags = list(current.tags.values_list("pk", flat=True))
    if tag.pk in tags:
        return current
    return save_article(
        article=current, user=user, relations=Relations(tags=[*tags, tag.pk]),
        comment=f"Tagged “{tag.name}”",
    )  # fmt: skip


# --- Revisions --------------------------------------------------------------------------------


@_service
def restore_revision(*, article: Article, version: Version, user) -> Article:
    """Bring back a revision's text, byline, tags, related stories and sources, as a new
    revision.

    Workflow state (status, times, slug) stays as it is now: restoring yesterday's text must
    not unpublish, republish or move a story."""
    current = _lock(article.pk)
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
    """The byline, tags, related stories and sources a revision recorded beside the story."""
    rows = {"bylines": [], "tags": [], "related": [], "sources": []}
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
        elif name == "Source":
            rows["sources"].append({"id": obj.pk, **{f: getattr(obj, f) for f in SOURCE_FIELDS}})
    rows["sources"].sort(key=lambda row: row["order"])
    return Relations(**rows)


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
