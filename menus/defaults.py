"""What the menus hold before anyone edits them: exactly the links the templates had fixed
before menus were edited on the desk (the header's sections, Search and Newsletter; the
footer's Corrections, Newsletters, RSS and Atom). The first data migration keeps its own copy
(a migration must not change when this does); tests/menus checks the two agree."""

HEADER = [
    {"navigation_sections": True},
    {"label": "Search", "url": "/search/"},
    {"label": "Newsletter", "url": "/newsletters/"},
]
FOOTER = [
    {"label": "Corrections", "url": "/corrections/"},
    {"label": "Newsletters", "url": "/newsletters/"},
    {"label": "RSS", "url": "/feeds/rss/"},
    {"label": "Atom", "url": "/feeds/atom/"},
]
DEFAULTS = {"header": HEADER, "footer": FOOTER}
