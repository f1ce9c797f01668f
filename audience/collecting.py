"""The beacon's endpoint: where a reader's browser says a page was opened or left.

Pages are served from our page cache and from a CDN, so no view that renders them can count
them: the page carries a small script (audience/static/audience/beacon.js, or a pixel without
JavaScript), and the browser reports here. `CollectMiddleware` answers before sessions, CSRF,
auth and CSP (settings.MIDDLEWARE): a report costs a JSON parse, a hash and one append to the
buffer, and never a session or a cookie.

Every answer is the same (204, or the pixel's GIF), whatever was sent: a malformed or hostile
report, a bot, a Redis that is down are dropped in silence, never a 4xx or 5xx for a script
to learn from. What is kept is an `events.Event`: no IP address, no user agent, no cookie,
and a visitor hash whose salt is deleted after its day (docs/audience.md, "Counting").
"""

import hashlib
import json
import logging
import math
import re
import secrets
import time
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone

from newsroom.rate_limits import client_ip

from . import buffer, events, sources
from .models import Kind

logger = logging.getLogger(__name__)

BEACON_PATH = "/a/e"  # POST, from beacon.js (audience/urls.py reserves /a/ for the site)
PIXEL_PATH = "/a/p.gif"  # GET, from the <noscript> pixel
MAX_BODY = 2048  # a report is ~200 bytes; anything past this is not read
SALT_KEY = "audience:salt:{day}"
SALT_SECONDS = 2 * 24 * 60 * 60  # and deleted when the next day's is made
# A process remembers the day's salt this long rather than asking the cache every report:
# one Redis round trip fewer per report.
SALT_MEMORY_SECONDS = 60
# What a report may hold: kind, page path (with its query), referrer, target kind and id,
# seconds visible, reached the end, search term.
_FIELDS = {
    "k": str, "p": str, "r": str, "t": str, "i": int, "s": (int, float), "e": bool, "q": str,
}  # fmt: skip
_TARGETS = frozenset({Kind.STORY, Kind.PAGE, Kind.OTHER})
# Printable ASCII as location.pathname sends it, no backslash (browsers read it as a slash).
_LOCAL_PATH = re.compile(r"/(?!/)[!-\[\]-~]*")
_COUNTRY = re.compile(r"[A-Z]{2}")
_NO_COUNTRY = frozenset({"XX", "ZZ", "T1"})  # unknown, or Tor (Cloudflare)
# A transparent 1x1 GIF.
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
    b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def now() -> float:
    """Seconds since the epoch; the tests move it to another day."""
    return time.time()


class CollectMiddleware:
    """Answers the beacon and the pixel before anything else runs (sessions, CSRF, CSP)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == BEACON_PATH:
            return beacon(request)
        if request.path_info == PIXEL_PATH:
            return pixel(request)
        return self.get_response(request)


def beacon(request) -> HttpResponse:
    """POST /a/e: one JSON report from beacon.js; 204 whatever happens."""
    if request.method == "POST":
        _count(request, _read_report)
    return _answer(HttpResponse(status=204))


def pixel(request) -> HttpResponse:
    """GET /a/p.gif?t=story&i=12&p=/path/: a view without JavaScript; the GIF whatever
    happens."""
    if request.method == "GET":
        _count(request, _pixel_report)
    return _answer(HttpResponse(PIXEL, content_type="image/gif"))


def _answer(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _count(request, read) -> None:
    """Buffer the event the request reports, if it is a reader's and well formed."""
    try:
        if not settings.AUDIENCE_ENABLED or not _from_a_reader(request.META):
            return
        report = read(request)
        event = report and _event(request, report)
        if event:
            buffer.append(event)  # never raises: a Redis that is down loses the event
    except Exception:  # noqa: BLE001 - the endpoint must never answer 5xx (hostile input)
        logger.exception("Audience report dropped")


def _from_a_reader(meta) -> bool:
    """Not a bot, a prefetch, nor a browser without Accept-Language (automation). Staff
    reading the site count as readers: telling them apart would cost a session lookup."""
    return not (
        sources.is_bot(meta.get("HTTP_USER_AGENT", ""))
        or sources.is_prefetch(meta)
        or not meta.get("HTTP_ACCEPT_LANGUAGE")
    )


def _read_report(request) -> dict | None:
    """The beacon's JSON object, if it is one of known fields and types, under MAX_BODY."""
    length = request.META.get("CONTENT_LENGTH") or ""
    if not _number(length) or not 0 < int(length) <= MAX_BODY:
        return None  # too big to read, or no length said (not a browser's beacon)
    try:
        report = json.loads(request.read(MAX_BODY + 1))
    except (ValueError, RecursionError):  # not JSON or not UTF-8; nested past the limit
        return None
    if not isinstance(report, dict) or not report.keys() <= _FIELDS.keys():
        return None
    for name, value in report.items():
        if not isinstance(value, _FIELDS[name]) or (isinstance(value, bool) and name != "e"):
            return None
    if report.get("k") not in (events.VIEW, events.ENGAGED):  # clicks, sign-ups: the server's
        return None
    return report


def _pixel_report(request) -> dict | None:
    """The pixel's query string as a report. Its Referer is the page carrying it (for the
    newsletter's utm_source); a pixel on another site's page is not a view of ours."""
    page_url = request.META.get("HTTP_REFERER", "")
    if page_url:
        try:
            host = sources.domain(urlsplit(page_url).hostname or "")
        except ValueError:  # not a URL
            return None
        if host not in _own_hosts(request):
            return None
    params = request.GET
    target_id = params.get("i", "0")
    report = {"k": events.VIEW, "t": params.get("t", Kind.OTHER), "p": params.get("p", "")}
    report["i"] = int(target_id) if _number(target_id) and len(target_id) < 19 else -1
    report["q"], report["u"] = params.get("q", ""), page_url
    return report


def _number(text: str) -> bool:
    """Digits 0-9 only (str.isdigit() takes "١٢" and "²" too)."""
    return text.isascii() and text.isdigit()


def _event(request, report: dict) -> events.Event | None:
    """The event to buffer, or None if the report does not describe one of our pages."""
    target, target_id = report.get("t", Kind.OTHER), report.get("i", 0)
    if target not in _TARGETS or not 0 <= target_id < 2**63:
        return None
    if target == Kind.OTHER:
        target_id = 0
    elif target_id == 0:
        return None
    page_url = report.get("p", "")
    path = page_url.split("?", 1)[0].split("#", 1)[0]
    if not _LOCAL_PATH.fullmatch(path):  # http://evil/, javascript:, //evil/, garbage
        return None
    seconds, ended, term = 0, False, ""
    if report["k"] == events.ENGAGED:
        seconds = report.get("s", 0)
        seconds = 0 if math.isnan(seconds) else int(max(0, min(seconds, events.MAX_SECONDS)))
        ended = report.get("e", False)
        if not seconds and not ended:
            return None  # nothing to count
    else:
        term = " ".join(report.get("q", "").split())[: events.MAX_VALUE]
        term = term if term.isprintable() else ""
    meta = request.META
    user_agent, hosts = meta.get("HTTP_USER_AGENT", ""), _own_hosts(request)
    if "u" in report:  # the pixel: where the reader came from is not known
        source = (
            sources.NEWSLETTER if sources.from_newsletter(report["u"]) else sources.DIRECT,
            "",
        )
    else:
        source = sources.referrer(report.get("r", ""), page_url=page_url, own_hosts=hosts)
    at = now()
    return events.Event(
        at=at,
        kind=report["k"],
        target=target,
        target_id=target_id,
        path=path[: events.MAX_PATH],
        referrer=source[0],
        domain=source[1][: events.MAX_VALUE],
        device=sources.device(user_agent),
        country=_country(meta),
        visitor=_visitor(request, user_agent, hosts[0], at),
        seconds=seconds,
        ended=ended,
        term=term,
    )


def _own_hosts(request) -> tuple[str, ...]:
    """The host the request was sent to, and the site's public one (SITE_URL)."""
    asked = sources.domain(request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", ""))
    return asked, sources.domain(urlsplit(settings.SITE_URL).hostname or "")


def _country(meta) -> str:
    """The country the CDN says (AUDIENCE_COUNTRY_HEADER), if a CDN is set up to say it."""
    header = settings.AUDIENCE_COUNTRY_HEADER
    if not header:
        return ""
    code = meta.get("HTTP_" + header.upper().replace("-", "_"), "").strip().upper()
    return code if _COUNTRY.fullmatch(code) and code not in _NO_COUNTRY else ""


def _visitor(request, user_agent: str, host: str, at: float) -> str:
    """The day's salted hash of host, IP and user agent; empty for readers who ask not to be
    tracked (Sec-GPC, DNT) or when the salt cannot be had (the cache is down)."""
    meta = request.META
    if meta.get("HTTP_SEC_GPC", "").strip() == "1" or meta.get("HTTP_DNT", "").strip() == "1":
        return ""
    # The newsroom's day, as the fold counts visitors by (audience/folding.py): one salt a day.
    salt = day_salt(timezone.localdate(datetime.fromtimestamp(at, UTC)))
    if not salt:
        return ""
    raw = "\n".join((salt, host, client_ip(request) or "", user_agent))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


_remembered: tuple[str, str, float] | None = None  # (key, salt, until: monotonic seconds)


def day_salt(day: date) -> str | None:
    """The day's random salt, shared by every process through the cache: made with add() by
    whichever process counts first that day, which deletes the day before's, so hashes of
    two days cannot be matched. Remembered a minute by the process (only the day's own)."""
    global _remembered
    key = SALT_KEY.format(day=day.isoformat())
    if _remembered and _remembered[0] == key and time.monotonic() < _remembered[2]:
        return _remembered[1]
    salt = cache.get(key)
    # Only today's salt is ever made: a report stamped just before midnight, counted after
    # the next day's salt deleted it, gets no hash rather than bringing yesterday's back.
    if salt is None and day == timezone.localdate(datetime.fromtimestamp(now(), UTC)):
        if cache.add(key, secrets.token_hex(16), timeout=SALT_SECONDS):
            cache.delete(SALT_KEY.format(day=(day - timedelta(days=1)).isoformat()))
        salt = cache.get(key)  # ours, or the one another process added first
    _remembered = (key, salt, time.monotonic() + SALT_MEMORY_SECONDS) if salt else None
    return salt


@receiver(setting_changed)
def forget_salt(*, setting="CACHES", **kwargs) -> None:
    """Forget the remembered salt: another cache was configured (tests), or was emptied."""
    global _remembered
    if setting == "CACHES":
        _remembered = None
