"""The keys (caching.keys) that name what the story pages and listings show.

A page that draws a list of stories names the list; a story that joins, leaves or moves in a
list drops the pages that name it (articles.changes, articles.listings). Nothing of the
domain is imported here: the models, the services and the schedule all use it.
"""

ALL = "stories"  # the whole site's listing: home, site feeds, sitemaps, search
SCHEDULE = "schedule"  # named by every hard change to a story: scheduling is one
CORRECTIONS = "corrections"  # the corrections page and feed
FRONT_PAGE_KEY = "front-page"  # the home page's editors' picks (FrontPageSlot)


def listing_keys(*, section, parent, series, authors=(), tags=(), corrected=False) -> set[str]:
    """The listings a live story with these relations is in."""
    keys = {ALL, f"stories-section-{section}"}
    if parent:
        keys.add(f"stories-section-{parent}")
    if series:
        keys.add(f"stories-series-{series}")
    keys |= {f"stories-author-{pk}" for pk in authors}
    keys |= {f"stories-tag-{pk}" for pk in tags}
    if corrected:
        keys.add(CORRECTIONS)
    return keys


def story_key(pk) -> str:
    """The key of one story, as the pages that show it name it (Article.cache_key_prefix)."""
    return f"story-{pk}"
