"""Hostile input on every public URL: a normal page, a redirect or a 4xx, never a 500.

The URL space is read from the URLconf, so a new public URL is fuzzed (or fails
test_every_public_url_is_fuzzed) without anyone remembering to add it. Path segments and query
parameters are drawn by Hypothesis from hostile values (huge and negative numbers, floats,
unicode incl. RTL, emoji and combining marks, NUL and control characters, percent-encoded
traversal, overlong strings, SQL and regex metacharacters) mixed with real slugs, ids and tokens,
so that requests reach real stories, sections, series, authors and tags.

Bounded and reproducible: a fixed number of examples per URL, derandomized, no example database.
"""

import re
from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as fuzz_settings
from hypothesis import strategies as st

from articles import services
from articles.models import Correction, SlugRedirect, Status
from audience.redirects import click_token
from newsletters import links
from newsletters.models import Issue, Newsletter, Subscriber, Subscription
from sections.models import Series
from tests.factories import make_article, make_author, make_page, make_section

pytestmark = pytest.mark.django_db

# Not reader URLs: the admin, the editor's upload endpoint, the benchmark's fixed page
# (devtools, installed in development and tests only), and the mail provider's webhooks
# (403 without their secret: tested in tests/newsletters).
STAFF_PREFIXES = ("admin/", "media-library/", "_bench/", "newsletters/webhooks/")

NASTY = [
    "", " ", "0", "-1", "1", "2", "01", "+1", "1.5", "1e3", "1e9999", "NaN", "inf", "-inf",
    "9" * 40, "99999999999999999999", str(2**63), str(-(2**63) - 1), "0x10", "１", "١٢",
    "2026-02-30", "9999-12-31", "0000-00-00", "10000-01-01", "-0001-01-01", "2026-13-45",
    "../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%2e%2e%2f", "....//", "/etc/passwd",
    "\x00", "a\x00b", "%00", "\x01\x1f\x7f", "\r\nSet-Cookie: x=1", "\t", "\ufeff", "\u200b",
    "\u202eevil", "مرحبا", "שלום", "🙂🕊️", "e\u0301\u0301\u0301", "Z\u0351\u0300\u036b",
    "\ud7ff", "\U0010ffff", "ﬀ", "ß", "İ",
    "' OR 1=1 --", '"; DROP TABLE articles_article; --', "%", "_", "\\", "*", ".*", "(?:",
    "[", "a{1,99999}", "$1", "<script>alert(1)</script>", "{{ 7|add:7 }}", "${jndi:x}",
    "x" * 300, "é" * 2000, "a" * 10000, "%zz", "%ff%fe", "&&&", "==", "?", "#", ";", "/",
]  # fmt: skip

# What the pages read from the query string (and what the page cache keys on), plus noise.
PARAMETERS = ["page", "q", "section", "series", "author", "from", "to", "full", "p", "start",
              "utm_source", "format", "id", "story"]  # fmt: skip

hostile = st.one_of(
    st.sampled_from(NASTY),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=40),  # any code point but lone surrogates, which no URL can carry
    st.text(
        alphabet=st.characters(codec="utf-8", categories=["Cc", "Mn", "So", "Zs"]), max_size=20
    ),  # fmt: skip
)


def public_patterns(patterns=None, prefix="", namespace=""):
    """(route, name) of every reader URL in the URLconf."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(STAFF_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from public_patterns(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield route, namespace + entry.name


@pytest.fixture
def site():
    """A small real site: live stories in sections, a series, tags, authors, a correction, an
    old slug, a lead image, a hidden draft and a scheduled story; and real values for every URL
    parameter, by URL name."""
    from tests.images import make_image

    parent = make_section(slug="world")
    child = make_section(slug="europe", parent=parent)
    series = Series.objects.create(name="Peace Watch", slug="peace-watch")
    author = make_author(slug="ana-perez")
    stories = [
        make_article(status=Status.PUBLISHED, section=section, author=author, series=series,
                     headline=f"Peace talks resume {n}", slug=f"peace-talks-{n}")
        for n, section in enumerate([parent, child, child])
    ]  # fmt: skip
    stories[0].lead_image = make_image()
    stories[0].save()
    for story in stories:
        story.tags.set(["Ukraine", "Diplomacy"])
    for story in stories[1:]:
        story.related_links.create(related=stories[0])
    Correction.objects.create(article=stories[1], text="<p>We misspelt a name.</p>")
    SlugRedirect.objects.create(old_slug="old-peace-talks", article=stories[2])
    draft = make_article(
        status=Status.DRAFT, section=child, slug="secret-draft", headline="Peace talks, secret"
    )
    scheduled = make_article(status=Status.PUBLISHED, section=child, slug="secret-scheduled",
                             publish_at=timezone.now() + timedelta(days=1))  # fmt: skip
    token = services.share_token(draft)
    about = make_page(status=Status.PUBLISHED, slug="about")
    make_page(status=Status.PUBLISHED, slug="corrections", parent=about)
    make_page(status=Status.DRAFT, slug="secret-page")
    newsletter = Newsletter.objects.create(
        name="Peace Watch",
        slug="peace-watch",
        series=series,
        sender_name="Desk",
        sender_email="desk@example.org",
    )
    issue = Issue.objects.create(newsletter=newsletter, number=1, subject="One", state="sent")
    clicks = [click_token(issue_id=issue.pk, story_id=s.pk) for s in (stories[0], draft)]
    reader = Subscriber.objects.create(email="reader@example.org")
    Subscription.objects.create(subscriber=reader, newsletter=newsletter)
    signed = {
        kind: links.make_token(kind, reader, newsletter_ids=[newsletter.pk])
        for kind in (links.CONFIRM, links.PREFERENCES, links.UNSUBSCRIBE)
    }
    slugs = {
        "section": [parent.slug, child.slug],
        "series": [series.slug],
        "author": [author.slug],
        "tag": ["ukraine", "diplomacy"],
    }
    return {
        "articles:detail": [
            {"section": s.section.slug, "slug": s.slug} for s in [*stories, draft, scheduled]
        ]
        + [{"section": "world", "slug": "old-peace-talks"}],
        "articles:shared-preview": [{"token": token}, {"token": token[:-2]}],
        "sitemap-section": [
            {"section": name} for name in ("stories", "sections", "tags", "pages")
        ],
        "pages:detail": [{"path": p} for p in ("about", "about/corrections", "secret-page")],
        "sections:detail": [{"slug": s} for s in slugs["section"]],
        "series:detail": [{"slug": s} for s in slugs["series"]],
        "authors:detail": [{"slug": s} for s in slugs["author"]],
        "tags:detail": [{"slug": s} for s in slugs["tag"]],
        **{f"feeds:{kind}-{fmt}": [{"slug": s} for s in slugs[kind]]
           for kind in ("section", "series", "author", "tag") for fmt in ("rss", "atom")},
        **{f"newsletters:{kind}": [{"token": t}, {"token": t[:-2]}] for kind, t in signed.items()},
        "newsletters:archive": [{"slug": "peace-watch"}],
        "newsletters:issue": [{"slug": "peace-watch", "number": "1"}],
        "newsletter-click": [{"token": t} for t in (*clicks, clicks[0][:-2])],
    }  # fmt: skip


PUBLIC = sorted(set(public_patterns()))


def test_every_public_url_is_fuzzed(site):
    """A new URL with parameters needs real values in `site`, or it is only fuzzed blind."""
    with_parameters = {name for route, name in PUBLIC if "<" in route}
    assert with_parameters <= set(site), with_parameters - set(site)
    names = {name for _route, name in PUBLIC}  # the walk really found the URLconf:
    assert {
        "articles:home",
        "articles:detail",
        "articles:shared-preview",
        "search:results",
        "feeds:tag-atom",
        "sitemap-section",
        "robots",
        "corrections:feed",
    } <= names


def segment(value: str, raw: bool) -> str:
    """A path segment as a browser (percent-encoded) or a hand-made request (raw) sends it."""
    return value if raw else quote(value, safe="")


def build_path(route: str, kwargs: dict[str, str], raw: bool) -> str:
    return "/" + _PARAMETER.sub(lambda m: segment(kwargs[m[1]], raw), route)


def fetch(client: Client, path: str, params: list[tuple[str, str]], raw_query: str, method: str):
    query = urlencode(params)
    if raw_query:
        query = f"{query}&{raw_query}" if query else raw_query
    url = f"{path}?{query}" if query else path
    response = getattr(client, method)(url)
    assert response.status_code < 500, (method, url, response.status_code)
    # 204: the audience beacon, which answers the same to anything (audience.collecting).
    assert response.status_code in (200, 204, 301, 302, 304, 400, 404, 405), (url, response)
    # Whatever is echoed back (the search box, the canonical URL) is escaped.
    assert b"<script>alert(1)" not in response.content, url
    return response


_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def parameters(route: str) -> list[str]:
    return _PARAMETER.findall(route)


FUZZ = fuzz_settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("route, name", PUBLIC, ids=[name for _, name in PUBLIC])
@FUZZ
@given(data=st.data())
def test_hostile_paths_and_query_strings_never_cause_a_server_error(client, site, route, name,
                                                                    data):  # fmt: skip
    names = parameters(route)
    kwargs = {}
    if names:
        real = data.draw(st.sampled_from(site[name]), label="real")
        for param in names:
            kwargs[param] = data.draw(st.one_of(st.just(real[param]), hostile), label=param)
    raw = data.draw(st.booleans(), label="raw path")
    params = data.draw(
        st.lists(st.tuples(st.sampled_from(PARAMETERS), hostile), max_size=4), label="query"
    )
    raw_query = data.draw(st.sampled_from(["", "page=%ff", "q=%zz", "%00=%00", "page"]))
    method = data.draw(st.sampled_from(["get", "get", "get", "head"]), label="method")
    fetch(client, build_path(route, kwargs, raw), params, raw_query, method)


# websearch syntax, and what would be tsquery syntax if it ever reached to_tsquery.
QUERIES = ["peace", "peace talks", '"peace talks"', "-peace", "peace OR talks", "talks:*",
           "!peace", "peace & !", "peace <-> talks", "(peace | talks"]  # fmt: skip
SEARCH_FILTERS = st.fixed_dictionaries(
    {"q": st.one_of(hostile, st.sampled_from(QUERIES))},
    optional={
        "section": st.one_of(hostile, st.sampled_from(["world", "europe"])),
        "series": st.one_of(hostile, st.just("peace-watch")),
        "author": st.one_of(hostile, st.just("ana-perez")),
        "from": st.one_of(hostile, st.dates().map(str)),
        "to": st.one_of(hostile, st.dates().map(str)),
        "page": st.one_of(hostile, st.integers(1, 3).map(str)),
    },
)  # fmt: skip


@fuzz_settings(FUZZ, max_examples=150)
@given(params=SEARCH_FILTERS)
def test_the_search_box_takes_any_input(client, site, params):
    """The search form with every filter, as a reader (or a bot) can fill it in."""
    response = fetch(client, reverse("search:results"), list(params.items()), "", "get")
    if response.status_code == 200:
        assert b"secret-draft" not in response.content


@fuzz_settings(FUZZ, max_examples=40)
@given(params=st.lists(st.tuples(st.sampled_from(PARAMETERS), hostile), max_size=3),
       path=st.sampled_from(["/", "/world/", "/world/peace-talks-0/", "/feeds/rss/",
                             "/search/", "/tags/ukraine/"]))  # fmt: skip
def test_hostile_query_strings_through_the_page_cache(client, site, params, path, settings):
    """With the page cache on (as in production), whose key is built from the query string."""
    settings.PAGE_CACHE = True
    fetch(client, path, params, "", "get")
    fetch(client, path, params, "", "get")  # the second one may come from the cache
