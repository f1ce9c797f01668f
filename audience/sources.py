"""Who is asking and where they came from, worked out from a request's headers and then
forgotten: bots, the device class and the referrer's class (docs/audience.md, "Counting").

Small lists kept by hand on purpose: they decide only which bucket a view lands in, a miss
costs a view counted as "site" or "desktop", and a list we can read beats a dependency.
"""

import re
from urllib.parse import parse_qsl, urlsplit

# User agents that are not readers: crawlers, link previews, monitors, HTTP libraries and
# headless browsers. Matched anywhere in the lower-cased user agent (substrings, not a
# regular expression: a dozen times faster on every report).
BOTS = (
    "bot", "crawl", "spider", "slurp", "archiver", "facebookexternalhit", "facebookcatalog",
    "preview", "headless", "phantomjs", "lighthouse", "pingdom", "uptime", "monitor",
    "python-", "python/", "aiohttp", "httpx", "curl", "wget", "go-http-client", "okhttp",
    "java/", "libwww", "httpclient", "axios", "node-fetch", "undici", "scrapy", "feedfetcher",
    "feedly", "mediapartners", "whatsapp", "telegram", "discord", "embedly", "quora link",
)  # fmt: skip
# Prefetches and prerenders are not reads (Chrome's Speculation Rules, Firefox's link
# prefetch, Safari's top-hit preloading).
PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_MOZ", "HTTP_X_PURPOSE")

_TABLETS = ("ipad", "tablet", "kindle", "silk/", "playbook")
_MOBILES = ("mobi", "iphone", "ipod", "android", "blackberry", "opera mini")

# Referring sites by class. A word without a dot ("google") is a site under any top-level
# domain (google.com, google.co.uk); a name with one matches itself and its subdomains.
SEARCH = (
    "google", "bing.com", "duckduckgo.com", "yahoo", "yandex", "baidu.com", "ecosia.org",
    "qwant.com", "search.brave.com", "startpage.com", "kagi.com", "naver.com", "seznam.cz",
)  # fmt: skip
SOCIAL = (
    "x.com", "t.co", "twitter.com", "facebook.com", "fb.com", "fb.me", "instagram.com",
    "threads.net", "linkedin.com", "lnkd.in", "bsky.app", "reddit.com", "news.ycombinator.com",
    "youtube.com", "tiktok.com", "pinterest.com", "tumblr.com", "whatsapp.com", "t.me",
    "telegram.org", "flipboard.com",
    # Mastodon: anyone may run an instance; these are the largest.
    "mastodon.social", "mastodon.online", "mstdn.social", "mas.to", "hachyderm.io",
    "fosstodon.org", "infosec.exchange", "mastodon.world", "journa.host",
)  # fmt: skip

SEARCH_CLASS, SOCIAL_CLASS, NEWSLETTER, INTERNAL, SITE, DIRECT = (
    "search", "social", "newsletter", "internal", "site", "direct",
)  # fmt: skip


def is_bot(user_agent: str) -> bool:
    """A user agent no reader's browser sends: none at all, or one of BOTS."""
    user_agent = user_agent.lower()
    return not user_agent or any(word in user_agent for word in BOTS)


def is_prefetch(meta) -> bool:
    """A request made ahead of a reader's click (which may never come)."""
    values = (meta.get(name, "").lower() for name in PREFETCH_HEADERS)
    return any("prefetch" in value or "prerender" in value for value in values)


def device(user_agent: str) -> str:
    """mobile, tablet or desktop."""
    user_agent = user_agent.lower()
    if any(word in user_agent for word in _TABLETS):
        return "tablet"
    if "android" in user_agent and "mobile" not in user_agent:  # Android tablets
        return "tablet"
    return "mobile" if any(word in user_agent for word in _MOBILES) else "desktop"


def domain(host: str) -> str:
    """A host as the figures name it: lower case, no port, no "www."."""
    host = host.lower()
    if not host.startswith("["):  # an IPv6 address keeps its colons
        host = host.split(":", 1)[0]
    return host.strip(".").removeprefix("www.")


def _listed(host: str, names) -> bool:
    dotted = f".{host}."
    return any(
        host == name or host.endswith("." + name) if "." in name else f".{name}." in dotted
        for name in names
    )


def from_newsletter(page_url: str) -> bool:
    """The page was opened from our newsletter: its redirect adds utm_source=newsletter."""
    query = urlsplit(page_url).query
    return any(
        name == "utm_source" and value.lower() == NEWSLETTER
        for name, value in parse_qsl(query[:1000])
    )


_HOST = re.compile(r"[a-z0-9.-]{1,100}")


def _clean_host(host: str) -> str:
    """The host as ASCII (IDNA), or "" if it is no host name at all: whatever a referrer says
    ends up in the rollups, and a NUL or a lone surrogate there would stop the fold."""
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return ""
    return ascii_host if _HOST.fullmatch(ascii_host) else ""


def referrer(referrer_url: str, *, page_url: str, own_hosts: tuple[str, ...]) -> tuple[str, str]:
    """(class, domain) of where the reader came from: search, social or site (with the
    referring domain), newsletter, internal (our own pages) or direct (nothing said)."""
    if from_newsletter(page_url):
        return NEWSLETTER, ""
    try:
        parts = urlsplit(referrer_url.strip()[:1000])
        host = domain(parts.hostname or "") if parts.scheme in ("http", "https") else ""
    except ValueError:  # an invalid port or IPv6 address
        host = ""
    if not host:
        return DIRECT, ""
    host = _clean_host(host)
    if host in own_hosts:
        return INTERNAL, ""
    if _listed(host, SEARCH):
        return SEARCH_CLASS, host
    if _listed(host, SOCIAL):
        return SOCIAL_CLASS, host
    return SITE, host
