"""Values worked out from the database and kept until what they show changes: a story's
surroundings, the home page's section blocks, the navigation, the schedule.

`remember(name, compute)` runs `compute` while collecting the keys of what it loads
(caching.keys), and keeps the value filed under them, like a page: the same change that
drops a page drops the values it was made of. A value read back names its keys and its
end time to the page being rendered, as if it had been computed there.
"""

import math
import pickle
import time
from collections.abc import Callable

from django.conf import settings

from . import keys as cache_keys
from .store import store

MAX_SECONDS = 3600


def remember(
    name: str, compute: Callable[[], object], *, keys=(), shown: bool = True,
    seconds: int = MAX_SECONDS,
):  # fmt: skip
    """The value stored under `name` (made of plain values: names, ids, tuples), else
    `compute()` stored, filed under the keys of what it loads and `keys` (what it depends on
    without loading it). The page being rendered names the same keys, unless the value is
    not `shown` as it is (the page says itself what of it it shows). Nothing is stored when
    caching is off or the cache is down."""
    if not settings.REMEMBER_VALUES:
        with cache_keys.collecting(shown=shown):
            return compute()
    entry_name = f"value:{name}"
    found = store().lookup(entry_name)
    if found is not None and found.entry is not None:
        named, until, value = pickle.loads(found.entry)  # noqa: S301 - written by us only
        if shown:
            cache_keys.show(*named, until=until)
        return value
    with cache_keys.collecting(shown=shown) as collected:
        cache_keys.show(*keys)
        value = compute()
    if found is not None:
        ttl = seconds
        if collected.until is not None:
            ttl = min(ttl, math.floor(collected.until - time.time()))
        if ttl >= 1:
            entry = pickle.dumps((sorted(collected.keys), collected.until, value))
            store().save(entry_name, entry, ttl=ttl, keys=collected.keys | {cache_keys.SITE},
                         since=found.seq)  # fmt: skip
    return value
