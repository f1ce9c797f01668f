import reversion

from .article import Article, ArticleQuerySet, ArticleType, Status, live_rule
from .author import Author, ProfileChange
from .relations import Byline, Correction, RelatedArticle, TaggedArticle
from .sources import Source
from .workflow import FrontPageSlot, LiveRevision, SlugRedirect, Transition

__all__ = [
    "Article",
    "ArticleQuerySet",
    "ArticleType",
    "Author",
    "Byline",
    "Correction",
    "FrontPageSlot",
    "LiveRevision",
    "ProfileChange",
    "RelatedArticle",
    "SlugRedirect",
    "Source",
    "Status",
    "TaggedArticle",
    "Transition",
    "live_rule",
]

# Every save of a story records a revision with its byline, tags, related stories,
# corrections and sources, so editors can compare and restore (services.restore_revision).
reversion.register(Byline)
reversion.register(RelatedArticle)
reversion.register(TaggedArticle)
reversion.register(Correction)
reversion.register(Source)
reversion.register(
    Article, follow=["bylines", "tagged_items", "related_links", "corrections", "sources"]
)
