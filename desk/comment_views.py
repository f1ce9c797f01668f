"""The story's comments for the desk: read as JSON by desk/static/desk/comments.js, written by
it or by the plain forms at the top of a returned story (which come back to the story)."""

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.views.decorators.http import require_http_methods, require_POST

from articles.models import Article

from . import comments
from .models import Comment


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _story(request, pk: int) -> Article:
    article = get_object_or_404(Article, pk=pk)
    if not comments.may_comment(request.user, article):
        # Not "forbidden": a contributor learns nothing of a story they cannot open.
        raise Http404("No such story.")
    return article


def _comment(request, pk: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("article", "parent"), pk=pk)
    _story(request, comment.article_id)
    return comment


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j M, H:i")


def _as_dict(comment: Comment, user, labels: dict) -> dict:
    data = {
        "id": comment.pk,
        "author": comments.name(comment.author),
        "text": comment.text,
        "when": _when(comment.created_at),
        "can_delete": comments.may_delete(user, comment),
    }
    if comment.parent_id is None:
        data.update(
            field=comment.field,
            field_label=labels.get(comment.field, ""),
            quote=comment.quote,
            before=comment.before,
            after=comment.after,
            is_return=comment.transition_id is not None,
            resolved=comment.resolved_at is not None,
            resolved_by=comments.name(comment.resolved_by) if comment.resolved_at else "",
            replies=[_as_dict(answer, user, labels) for answer in comment.replies.all()],
        )
    return data


def _answer(request, comment: Comment, *, status: int = 200):
    """JSON for the script; back to the story (at its comments) for a plain form."""
    if _wants_json(request):
        labels = comments.field_labels()
        return JsonResponse({"comment": _as_dict(comment, request.user, labels)}, status=status)
    url = reverse("admin:articles_article_change", args=[comment.article_id])
    return redirect(f"{url}#desk-comments")


def _refused(request, story_pk: int, message: str):
    if _wants_json(request):
        return JsonResponse({"error": message}, status=400)
    url = reverse("admin:articles_article_change", args=[story_pk])
    return redirect(f"{url}#desk-comments")


@require_http_methods(["GET", "POST"])
def story_comments(request, pk: int):
    """GET: the story's threads. POST: a new comment (`text`, and `field` or `quote`)."""
    article = _story(request, pk)
    if request.method == "POST":
        post = request.POST
        try:
            comment = comments.add_comment(
                article=article,
                user=request.user,
                text=post.get("text", ""),
                field=post.get("field", ""),
                quote=post.get("quote", ""),
                before=post.get("before", ""),
                after=post.get("after", ""),
            )
        except ValidationError as error:
            return _refused(request, article.pk, " ".join(error.messages))
        return _answer(request, comment, status=201)
    labels = comments.field_labels()
    threads = comments.threads(article=article, user=request.user)
    return JsonResponse(
        {
            "comments": [_as_dict(thread, request.user, labels) for thread in threads],
            "fields": labels,
        }
    )


@require_POST
def reply(request, pk: int):
    """Answer a thread."""
    comment = _comment(request, pk)
    try:
        answer = comments.reply(
            comment=comment, user=request.user, text=request.POST.get("text", "")
        )
    except ValidationError as error:
        return _refused(request, comment.article_id, " ".join(error.messages))
    return _answer(request, answer, status=201)


@require_POST
def resolve(request, pk: int):
    """Resolve a thread, or open it again (`resolved=0`)."""
    comment = _comment(request, pk)
    resolved = request.POST.get("resolved", "1") != "0"
    thread = comments.resolve(comment=comment, user=request.user, resolved=resolved)
    return _answer(request, thread)


@require_POST
def delete(request, pk: int):
    """Delete a comment and its replies."""
    comment = _comment(request, pk)
    comments.delete_comment(comment=comment, user=request.user)  # refused: 403
    if _wants_json(request):
        return JsonResponse({"deleted": pk})
    return redirect(reverse("admin:articles_article_change", args=[comment.article_id]))
