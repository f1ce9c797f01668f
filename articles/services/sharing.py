"""Share links for reviewers without an account."""

import uuid

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied

from caching import invalidation

from .. import roles
from ..models import (
    Article,
)  # fmt: skip
from .writing import _service

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


@_service
def revoke_share_links(*, article: Article, user) -> None:
    """Invalidate every share link handed out for this story."""
    if not roles.can_edit(user, article):
        raise PermissionDenied("You may not manage this story's share links.")
    with invalidation.announced_by_service():  # readers see nothing of it: nothing announced
        article.preview_key = uuid.uuid4()
        article.save(update_fields=["preview_key"])
