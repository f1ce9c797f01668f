"""Comments between staff on a story: on the whole story, on a field, or on a passage of the
body; replies; resolving. Readers never see them, and the body never carries a trace of them.

A return to the writer (articles.services.return_to_writer) logs its comment on the workflow
step; the desk takes it in here as the first comment of a thread, so the writer can answer
and resolve it on the story itself.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from articles import roles
from articles.models import Article, Status, Transition

from . import notifications
from .models import Comment, Verb

# Fields a comment can be about, beyond the body's passages: what the story form shows.
COMMENTABLE_FIELDS = [
    "headline", "slug", "dek", "body", "section", "series", "kind", "lead_image",
    "lead_image_caption", "social_image", "seo_title", "seo_description", "publish_at",
]  # fmt: skip
_PASSAGE_CONTEXT = 100  # characters of text kept either side of a quoted passage


def field_labels() -> dict[str, str]:
    """The commentable fields that the story has, with the names staff know them by."""
    names = {field.name: field for field in Article._meta.get_fields()}
    return {
        name: str(names[name].verbose_name).capitalize()
        for name in COMMENTABLE_FIELDS
        if name in names
    }


def may_comment(user, article: Article) -> bool:
    """Who reads and writes a story's comments: anyone who may edit any story, and the
    story's own people (its creator, its bylined staff) while they may open it."""
    if not (user.is_active and user.is_staff):
        return False
    if user.has_perm("articles.change_any_article"):
        return True
    if not user.has_perm("articles.change_article"):
        return False
    own = article.created_by_id == user.pk or article.bylines.filter(author__user=user).exists()
    return own and roles.visible_in_admin(user, Article.objects.filter(pk=article.pk)).exists()


def may_delete(user, comment: Comment) -> bool:
    """The comment's author, or an editor, may delete it; a return comment stays with the
    workflow step it was made with (it can be resolved)."""
    if comment.transition_id is not None or not may_comment(user, comment.article):
        return False
    return comment.author_id == user.pk or user.has_perm("articles.change_any_article")


def _check(user, article: Article) -> None:
    if not may_comment(user, article):
        raise PermissionDenied("You may not see the comments on this story.")


def take_in_return_comments(article: Article) -> None:
    """Make a thread of each return to the writer that said what to change (once each)."""
    steps = Transition.objects.filter(
        article=article, to_status=Status.RETURNED, desk_comment__isnull=True
    ).exclude(comment="")
    Comment.objects.bulk_create(
        [
            Comment(
                article=article,
                author_id=step.user_id,
                text=step.comment,
                transition=step,
                created_at=step.created_at,
            )
            for step in steps
        ],
        ignore_conflicts=True,  # two pages opened at once take in the same step
    )


def threads(*, article: Article, user):
    """The story's comment threads, oldest first, with their replies and people."""
    _check(user, article)
    take_in_return_comments(article)
    replies = Comment.objects.select_related("author").order_by("created_at", "pk")
    return (
        Comment.objects.threads()
        .filter(article=article)
        .select_related("author", "resolved_by", "transition")
        .prefetch_related(Prefetch("replies", queryset=replies))
    )


def open_return_comments(*, article: Article, user) -> list[Comment]:
    """The unresolved comments the story was returned with, for the top of the story."""
    if not may_comment(user, article):
        return []
    return list(threads(article=article, user=user).open().filter(transition__isnull=False))


@transaction.atomic
def add_comment(
    *,
    article: Article,
    user,
    text: str,
    field: str = "",
    quote: str = "",
    before: str = "",
    after: str = "",
) -> Comment:
    """Start a thread on the story, a field, or a quoted passage of the body."""
    _check(user, article)
    text, quote = text.strip(), quote.strip()
    if not text:
        raise ValidationError("Write a comment first.")
    if field and field not in field_labels():
        raise ValidationError("There is no such field on the story.")
    if quote:
        field = "body"
    comment = Comment.objects.create(
        article=article,
        author=user,
        text=text,
        field=field,
        quote=quote,
        before=before[-_PASSAGE_CONTEXT:] if quote else "",
        after=after[:_PASSAGE_CONTEXT] if quote else "",
    )
    _tell(comment=comment, verb=Verb.COMMENTED, user=user)
    return comment


@transaction.atomic
def reply(*, comment: Comment, user, text: str) -> Comment:
    """Answer a thread; a reply to a resolved thread opens it again."""
    thread = comment.parent or comment
    _check(user, thread.article)
    if not text.strip():
        raise ValidationError("Write a reply first.")
    answer = Comment.objects.create(
        article=thread.article, parent=thread, author=user, text=text.strip(), field=thread.field
    )
    if thread.resolved_at:
        thread.resolved_at, thread.resolved_by = None, None
        thread.save(update_fields=["resolved_at", "resolved_by"])
    _tell(comment=answer, verb=Verb.REPLIED, user=user)
    return answer


@transaction.atomic
def resolve(*, comment: Comment, user, resolved: bool = True) -> Comment:
    """Mark a thread done (it is kept, and can be shown again), or open it again."""
    thread = comment.parent or comment
    _check(user, thread.article)
    thread.resolved_at = timezone.now() if resolved else None
    thread.resolved_by = user if resolved else None
    thread.save(update_fields=["resolved_at", "resolved_by"])
    return thread


@transaction.atomic
def delete_comment(*, comment: Comment, user) -> None:
    """Delete a comment (a thread with its replies): its author, or an editor."""
    if not may_delete(user, comment):
        raise PermissionDenied("Only the person who wrote a comment, or an editor, can delete it.")
    comment.delete()


def _tell(*, comment: Comment, verb: Verb, user) -> None:
    """The story's people hear of it, and so does everyone already in the conversation."""
    thread = comment.parent or comment
    talking = Comment.objects.filter(article=comment.article, author__isnull=False)
    if verb == Verb.REPLIED:
        talking = talking.filter(Q(pk=thread.pk) | Q(parent=thread))
    notifications.notify(
        article=comment.article,
        verb=verb,
        actor=user,
        comment=comment.text,
        also=talking.values("author"),
    )


def name(user) -> str:
    """A person as staff know them: their full name, else their sign-in name."""
    if user is None:
        return "Someone no longer on the staff"
    return user.get_full_name() or user.get_username()
