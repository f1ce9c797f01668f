"""Purging the CDN by the keys of what changed (caching.keys), soft changes included.

Pages are sent with `s-maxage`, so a CDN keeps one for minutes: a corrected headline must
not wait that long, and a story unpublished for legal reasons must not stay there at all.
`caching.invalidation` calls `purge()` after each commit with the keys that changed.

- A *hard* change is purged at once, in the committing request.
- *Soft* changes are coalesced: their keys wait in the store (Redis), and the first request
  of a window (`CDN_PURGE_WINDOW`, 0.25 s) sends everything waiting when it ends, from a
  thread. Twenty edits a second make four purge requests a second, and none is dropped.
- A purge that fails is logged and its keys wait for the next one: a CDN that is down never
  fails a save, nor holds it longer than `CDN_PURGE_TIMEOUT` per request.

One purger per CDN, chosen by `CDN_PURGE_BACKEND`; each builds its CDN's own request.
"""

import json
import logging
import os
import threading
import time
import urllib.request
from functools import cache as memoize
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.module_loading import import_string

from .keys import OVERFLOW, SITE
from .store import store

logger = logging.getLogger(__name__)
_timers: list[threading.Timer] = []


class NoPurger:
    """No CDN (the default): nothing to purge."""

    sends = False

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

    sends = True

    def purge(self, keys: set[str]) -> None:
        for url in filter(None, (u.strip() for u in self.url.split(","))):
            self._send(url, method="BAN", headers={"X-Surrogate-Key": " ".join(sorted(keys))})


class FastlyPurger(NoPurger):
    """Fastly's purge by surrogate key: `CDN_PURGE_SERVICE` is the service id,
    `CDN_PURGE_TOKEN` an API token allowed to purge."""

    sends = True

    def purge(self, keys: set[str]) -> None:
        base = (self.url or "https://api.fastly.com").rstrip("/")
        self._send(
            f"{base}/service/{self.service}/purge",
            headers={"Fastly-Key": self.token, "Surrogate-Key": " ".join(sorted(keys))},
        )


class CloudflarePurger(NoPurger):
    """Cloudflare's purge by Cache-Tag: `CDN_PURGE_SERVICE` is the zone id, `CDN_PURGE_TOKEN`
    an API token with Cache Purge permission. At most 30 tags per call."""

    sends = True

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
    """A CloudFront invalidation of the distribution `CDN_PURGE_SERVICE`, signed by botocore
    with the standard AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. CloudFront knows paths, not
    keys, and a story is on many paths (rivers, listings, feeds): every purge invalidates
    `/*`, which AWS counts as one path. Sent as one plain request, so it gives up after
    CDN_PURGE_TIMEOUT whatever boto3's retry settings are."""

    sends = True

    def paths(self, keys: set[str]) -> list[str]:
        """The paths to invalidate for these keys; override to be narrower."""
        return ["/*"]

    def purge(self, keys: set[str]) -> None:
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

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
        request = AWSRequest(method="POST", url=url, data=body,
                             headers={"Content-Type": "text/xml"})  # fmt: skip
        credentials = Credentials(
            os.environ.get("AWS_ACCESS_KEY_ID", ""),
            os.environ.get("AWS_SECRET_ACCESS_KEY", ""),
            os.environ.get("AWS_SESSION_TOKEN") or None,
        )
        SigV4Auth(credentials, "cloudfront", "us-east-1").add_auth(request)
        self._send(url, headers=dict(request.headers.items()), body=body)


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


def purge(keys, *, hard: bool = True) -> None:
    """Purge the CDN's pages carrying `keys`: at once when hard, else within the window.
    Never raises: the save that asked has committed already."""
    if not purger().sends:
        return
    keys = set(keys) or {SITE}
    window = float(settings.CDN_PURGE_WINDOW)
    if hard or window <= 0:
        send(keys | store().take_purges())
        return
    try:
        first = store().queue_purge(keys, window=window)
    except Exception:  # noqa: BLE001 - no store to wait in: send it now rather than never
        logger.warning("Cannot queue a CDN purge; sending it now", exc_info=True)
        send(keys)
        return
    if first:
        timer = threading.Timer(window, flush)
        timer.daemon = True
        timer.start()
        _timers[:] = [t for t in _timers if t.is_alive()] + [timer]


def settle() -> None:
    """Wait for the purges this process has started (tests, and a worker that exits)."""
    for timer in list(_timers):
        timer.join()


def flush() -> bool:
    """Send the purges waiting, if any; whether they went (or there were none)."""
    keys = store().take_purges()
    return send(keys) if keys else True


def send(keys: set[str]) -> bool:
    """One purge request (per CDN server); on failure the keys wait for the next purge."""
    if SITE not in keys:
        keys = keys | {OVERFLOW}
    try:
        purger().purge(keys)
    except Exception:  # noqa: BLE001 - a CDN outage is logged, never a failed save
        logger.warning("CDN purge failed for %s", " ".join(sorted(keys)), exc_info=True)
        try:
            store().queue_purge(keys, window=0.001)
        except Exception:  # noqa: BLE001
            logger.warning("CDN purge lost: the store is down too", exc_info=True)
        return False
    return True
