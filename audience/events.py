"""The event format: what the beacon endpoint (audience/collecting.py), the newsletter redirect
and the sign-up form append to the buffer, and what the fold (audience/folding.py) reads. It is
the seam where a larger newsroom points the same stream at another analytics engine
(docs/audience.md, "At scale"): everything an engine needs is here, nothing private is.

One event is one compact JSON object. Nothing in it identifies a person: no IP address, no
user agent, no cookie; `visitor` is a hash with a salt that is deleted after its day.
"""

import json
from dataclasses import dataclass, fields

VIEW = "view"  # a page was opened (by the beacon, or the no-JavaScript pixel)
ENGAGED = (
    "engaged"  # the reader left or hid the page: seconds visible, and whether they read to the end
)
CLICK = "click"  # a click through a newsletter issue's signed link
SIGNUP = "signup"  # a newsletter sign-up made from a story's page
KINDS = frozenset({VIEW, ENGAGED, CLICK, SIGNUP})

# What one event may hold at most: the endpoint drops anything longer before it is buffered.
MAX_PATH = 300
MAX_VALUE = 100
MAX_SECONDS = 4 * 60 * 60  # engaged time above four hours is a tab left open, not reading


@dataclass(frozen=True, slots=True)
class Event:
    at: float  # seconds since the epoch (UTC)
    kind: str  # VIEW, ENGAGED, CLICK, SIGNUP
    target: str = "other"  # audience.models.Kind: story, page or other
    target_id: int = 0
    path: str = ""  # the page's path, no query string (search terms go in `term`)
    referrer: str = ""  # class: search, social, newsletter, site (another site), internal, direct
    domain: str = ""  # the referring site's domain, for referrer "search", "social" or "site"
    device: str = ""  # mobile, tablet, desktop
    country: str = ""  # ISO code, only when a GeoIP database or CDN header says
    visitor: str = ""  # the day's salted hash; empty under Sec-GPC or DNT
    seconds: int = 0  # ENGAGED: seconds the page was visible
    ended: bool = False  # ENGAGED: the reader reached the end of the story
    term: str = ""  # VIEW of our search page: what was searched for
    issue_id: int = 0  # CLICK: the newsletter issue
    newsletter_id: int = 0  # SIGNUP: the newsletter signed up to

    def encode(self) -> bytes:
        """Compact JSON, leaving out fields at their defaults."""
        # getattr over the fields, not dataclasses.asdict (which deep-copies): the same bytes,
        # several times faster (the benchmark encodes a million).
        return _dumps(
            {k: v for k, default in _FIELDS if (v := getattr(self, k)) != default}
        ).encode()

    @classmethod
    def decode(cls, raw: bytes | str) -> "Event":
        """The event `encode` made. Raises ValueError on anything else (the fold skips it)."""
        try:
            data = _loads(raw.decode() if isinstance(raw, bytes | bytearray) else raw)
            # Text the database would refuse (a NUL, a lone surrogate) would stop the fold at
            # this event for good: such an event is skipped instead.
            if any(type(v) is str and not v.isprintable() for v in data.values()):
                raise ValueError("not an audience event: unprintable text")
            # The fold decodes every event: the usual types need no conversion.
            return cls(**{k: v if type(v) is _TYPES[k] else _TYPES[k](v) for k, v in data.items()})
        except (TypeError, KeyError, AttributeError, json.JSONDecodeError) as error:
            raise ValueError(f"not an audience event: {error}") from error


_FIELDS = tuple((f.name, f.default) for f in fields(Event))
_TYPES = {f.name: f.type for f in fields(Event)}
_dumps = json.JSONEncoder(separators=(",", ":")).encode
_loads = json.JSONDecoder().decode
