"""The story form's comments: the return note at the top, and the comments panel."""

import json

from django import template
from django.urls import reverse

from desk import comments

register = template.Library()


@register.inclusion_tag("admin/desk/includes/story_comments.html", takes_context=True)
def story_comments(context):
    """What the story's people see of its comments; nothing for anyone else."""
    article, request = context.get("article"), context.get("request")
    if article is None or request is None or not comments.may_comment(request.user, article):
        return {"shown": False}
    returns = comments.open_return_comments(article=article, user=request.user)
    return {
        "shown": True,
        "article": article,
        "returns": returns,
        "csrf_token": context.get("csrf_token"),
        "comments_url": reverse("admin:desk_story_comments", args=[article.pk]),
        "fields_json": json.dumps(comments.field_labels()),
    }


@register.simple_tag
def commenter(user) -> str:
    """A person as the desk names them."""
    return comments.name(user)
