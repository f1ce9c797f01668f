"""What the menus hold before anyone edits them: exactly the links the templates had fixed
before menus were edited on the desk (the header's sections, Search and Newsletter; the
footer's Corrections, Newsletters, RSS and Atom), and the contact form (migration 0003). The
data migrations keep their own copies (a migration must not change when this does)."""

HEADER = [
    {"navigation_sections": True},
    {"label": "Search", "url": "/search/"},
    {"label": "Newsletter", "url": "/newsletters/"},
]
FOOTER = [
    {"label": "Corrections", "url": "/corrections/"},
    {"label": "Contact us", "url": "/contact/"},
    {"label": "Newsletters", "url": "/newsletters/"},
    {"label": "RSS", "url": "/feeds/rss/"},
    {"label": "Atom", "url": "/feeds/atom/"},
]
DEFAULTS = {"header": HEADER, "footer": FOOTER}
