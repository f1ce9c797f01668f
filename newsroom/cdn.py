"""Purging the CDN when something is taken away from readers (a hard change).

Pages are sent with `s-maxage`, so a CDN may keep one for minutes: without a purge, a story
unpublished for legal reasons would stay visible there. `newsroom.cache` calls `purge()` after
the transaction commits, with the surrogate keys the service named (`story-12`; `site` for
everything). One purger per CDN, chosen by `CDN_PURGE_BACKEND`; each builds its CDN's own
request. A CDN that is down or refuses must not fail a save, nor hold it long: the error is
logged, after at most `CDN_PURGE_TIMEOUT` seconds per request.
"""

import json
import logging
import os
import time
import urllib.request
from functools import cache as memoize
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.module_loading import import_string

from .aws_signing import sign_v4
from .cache import SITE
from .surrogate_keys import OVERFLOW

logger = logging.getLogger(__name__)


class NoPurger:
    """No CDN (the default): nothing to purge."""

    def __init__(self, *, url: str = "", service: str = "", token: str = "", timeout=2.0):
        self.url, self.service, self.token, self.timeout = url, service, token, timeout

    def purge(self, keys: set[str]) -> None:
        """Drop every cached page that carries one of these keys; raise if the CDN refuses."""

    def _send(self, url: str, *, method: str = "POST", headers=None, body: bytes | None = None):
        request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            return response.read()


class VarnishPurger(NoPurger):
    """Varnish with deploy/varnish/default.vcl: a BAN naming the keys in `X-Surrogate-Key`.
    `CDN_PURGE_URL` may list several Varnish servers, comma-separated."""

    def purge(self, keys: set[str]) -> None:
        for url in filter(None, (u.strip() for u in self.url.split(","))):
            self._send(url, method="BAN", headers={"X-Surrogate-Key": " ".join(sorted(keys))})


class FastlyPurger(NoPurger):
    """Fastly's purge by surrogate key: `CDN_PURGE_SERVICE` is the service id,
    `CDN_PURGE_TOKEN` an API token allowed to purge."""

    def purge(self, keys: set[str]) -> None:
        base = (self.url or "https://api.fastly.com").rstrip("/")
        self._send(
            f"{base}/service/{self.service}/purge",
            headers={"Fastly-Key": self.token, "Surrogate-Key": " ".join(sorted(keys))},
        )


class CloudflarePurger(NoPurger):
    """Cloudflare's purge by Cache-Tag: `CDN_PURGE_SERVICE` is the zone id, `CDN_PURGE_TOKEN`
    an API token with Cache Purge permission. At most 30 tags per call."""

    def purge(self, keys: set[str]) -> None:
        base = (self.url or "https://api.cloudflare.com").rstrip("/")
        tags = sorted(keys)
        for start in range(0, len(tags), 30):
            self._send(
                f"{base}/client/v4/zones/{self.service}/purge_cache",
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Content-Type": "application/json",
                },
                body=json.dumps({"tags": tags[start : start + 30]}).encode(),
            )


class CloudFrontPurger(NoPurger):
    """A CloudFront invalidation of the distribution `CDN_PURGE_SERVICE`, signed with the
    standard AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. CloudFront knows paths, not keys, and
    a story is on many paths (rivers, listings, feeds): every hard change invalidates `/*`,
    which AWS counts as one path."""

    def paths(self, keys: set[str]) -> list[str]:
        """The paths to invalidate for these keys; override to be narrower."""
        return ["/*"]

    def purge(self, keys: set[str]) -> None:
        base = (self.url or "https://cloudfront.amazonaws.com").rstrip("/")
        paths = self.paths(keys)
        items = "".join(f"<Path>{escape(path)}</Path>" for path in paths)
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<InvalidationBatch xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">'
            f"<CallerReference>newsroom-{time.time_ns()}</CallerReference>"
            f"<Paths><Quantity>{len(paths)}</Quantity><Items>{items}</Items></Paths>"
            "</InvalidationBatch>"
        ).encode()
        url = f"{base}/2020-05-31/distribution/{self.service}/invalidation"
        headers = sign_v4(
            method="POST",
            url=url,
            body=body,
            headers={"Content-Type": "text/xml"},
            service="cloudfront",
            region="us-east-1",
            access_key=os.environ.get("AWS_ACCESS_KEY_ID", ""),
            secret_key=os.environ.get("AWS_SECRET_ACCESS_KEY", ""),
            session_token=os.environ.get("AWS_SESSION_TOKEN", ""),
        )
        self._send(url, headers=headers, body=body)


@memoize
def _purger(backend: str, url: str, service: str, token: str, timeout: float):
    return import_string(backend)(url=url, service=service, token=token, timeout=timeout)


def purger() -> NoPurger:
    """The purger the settings choose."""
    return _purger(
        settings.CDN_PURGE_BACKEND,
        settings.CDN_PURGE_URL,
        settings.CDN_PURGE_SERVICE,
        settings.CDN_PURGE_TOKEN,
        float(settings.CDN_PURGE_TIMEOUT),
    )


def purge(*, keys) -> bool:
    """Purge the pages carrying these keys (and those too full to name theirs) from the CDN;
    whether it worked. Never raises: the save that asked has committed already."""
    keys = set(keys) or {SITE}
    if SITE not in keys:
        keys.add(OVERFLOW)
    try:
        purger().purge(keys)
    except Exception:  # noqa: BLE001 - a CDN outage is logged, never a failed save
        logger.warning("CDN purge failed for %s", " ".join(sorted(keys)), exc_info=True)
        return False
    return True
