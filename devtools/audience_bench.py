"""The parts of `make bench-audience` (the `bench_audience` command) that need no server: a year
of audience rollups made fast in SQL, the wrk scripts a reader's browser is modelled by, and the
ratios read from wrk's output.

The rollups are shaped as a newsroom's are: every story is read for a few weeks after it is
published, most on its first day, a few stories very much more than the rest; the sections,
series, authors and the whole site add up their stories; breakdowns (sources, devices) for the
site every day and for each story in its first days; the last two days per hour; searches,
newsletter clicks and sign-ups; a few hundred readers on the live panel.
"""

import re
import statistics

from django.db import connection, transaction

ROLLUP_TABLES = [
    "audience_dayfigures", "audience_hourfigures", "audience_daybreakdown",
    "audience_daysearch", "audience_newsletterclicks", "audience_signupsfromstory",
    "audience_livereader",
]  # fmt: skip

# Each story: published on a day of the year (in publish order), read for 4 to 54 days (most
# for a couple of weeks), views falling by e each 4 days from a first day of 20 to 4,000
# (a power law: a few stories are read far more than the rest).
_STORIES = """
CREATE TEMP TABLE bench_story ON COMMIT DROP AS
SELECT a.id, a.section_id, a.series_id,
       current_date - ((row_number() OVER (ORDER BY a.publish_at, a.id) - 1)
                       * %(days)s / count(*) OVER ())::int AS published,
       floor(20 + 4000 * power(random(), 4))::int AS first_day,
       floor(4 + 50 * power(random(), 2))::int AS read_days
FROM articles_article a
"""
_FIGURES = "views, visitors, engaged_seconds, engagements, reads_to_end"
_STORY_DAYS = f"""
INSERT INTO audience_dayfigures (day, kind, object_id, {_FIGURES})
SELECT s.published + d, 'story', s.id, v, ceil(v * 0.8), v * 45, ceil(v * 0.6), floor(v * 0.3)
FROM bench_story s, generate_series(0, s.read_days - 1) d,
     LATERAL (SELECT greatest(1, floor(s.first_day * exp(-d / 4.0)))::int AS v) x
WHERE s.published + d <= current_date
"""
_SUMS = "sum(f.views), sum(f.visitors), sum(f.engaged_seconds), sum(f.engagements), " \
        "sum(f.reads_to_end)"  # fmt: skip
_ADD_UP = [
    f"""INSERT INTO audience_dayfigures (day, kind, object_id, {_FIGURES})
        SELECT f.day, 'section', s.section_id, {_SUMS}
        FROM audience_dayfigures f JOIN bench_story s ON s.id = f.object_id
        WHERE f.kind = 'story' GROUP BY f.day, s.section_id""",
    f"""INSERT INTO audience_dayfigures (day, kind, object_id, {_FIGURES})
        SELECT f.day, 'series', s.series_id, {_SUMS}
        FROM audience_dayfigures f JOIN bench_story s ON s.id = f.object_id
        WHERE f.kind = 'story' AND s.series_id IS NOT NULL GROUP BY f.day, s.series_id""",
    f"""INSERT INTO audience_dayfigures (day, kind, object_id, {_FIGURES})
        SELECT f.day, 'author', b.author_id, {_SUMS}
        FROM audience_dayfigures f JOIN articles_byline b ON b.article_id = f.object_id
        WHERE f.kind = 'story' GROUP BY f.day, b.author_id""",
    # The site: its stories and a fifth more for the home page, listings and search.
    f"""INSERT INTO audience_dayfigures (day, kind, object_id, {_FIGURES})
        SELECT f.day, 'site', 0, sum(f.views) * 6 / 5, sum(f.visitors) * 3 / 5,
               sum(f.engaged_seconds), sum(f.engagements), sum(f.reads_to_end)
        FROM audience_dayfigures f WHERE f.kind = 'story' GROUP BY f.day""",
]
_SHARES = """(VALUES ('referrer', 'search', 0.35), ('referrer', 'social', 0.2),
    ('referrer', 'newsletter', 0.1), ('referrer', 'direct', 0.25), ('referrer', 'site', 0.1),
    ('domain', 'google.com', 0.3), ('domain', 'bsky.app', 0.1), ('domain', 'lobste.rs', 0.05),
    ('domain', 'duckduckgo.com', 0.05), ('device', 'mobile', 0.6), ('device', 'desktop', 0.35),
    ('device', 'tablet', 0.05), ('country', 'US', 0.4), ('country', 'GB', 0.15),
    ('country', 'DE', 0.1), ('country', 'FR', 0.05)) AS b(dimension, value, share)"""
_BREAKDOWNS = [
    f"""INSERT INTO audience_daybreakdown (day, kind, object_id, dimension, value, views)
        SELECT f.day, 'site', 0, b.dimension, b.value, greatest(1, floor(f.views * b.share))
        FROM audience_dayfigures f CROSS JOIN {_SHARES} WHERE f.kind = 'site'""",
    f"""INSERT INTO audience_daybreakdown (day, kind, object_id, dimension, value, views)
        SELECT f.day, 'story', f.object_id, b.dimension, b.value,
               greatest(1, floor(f.views * b.share))
        FROM audience_dayfigures f JOIN bench_story s ON s.id = f.object_id
        CROSS JOIN {_SHARES}
        WHERE f.kind = 'story' AND f.day < s.published + 5
          AND b.dimension IN ('referrer', 'device')""",
]
_HOURS = f"""
INSERT INTO audience_hourfigures (hour, kind, object_id, {_FIGURES})
SELECT f.day + make_interval(hours => h), f.kind, f.object_id, greatest(1, f.views / 24),
       greatest(1, f.visitors / 24), f.engaged_seconds / 24, f.engagements / 24,
       f.reads_to_end / 24
FROM audience_dayfigures f, generate_series(0, 23) h
WHERE f.day >= current_date - 1 AND f.kind IN ('site', 'story')
  AND f.day + make_interval(hours => h) <= now()
"""
_OTHERS = [
    """INSERT INTO audience_daysearch (day, term, searches)
       SELECT current_date - d, 'term ' || t, floor(1 + 200 * power(random(), 3))
       FROM generate_series(0, %(days)s - 1) d, generate_series(1, 40) t""",
    """INSERT INTO audience_newsletterclicks (day, issue_id, story_id, clicks)
       SELECT s.published, 1 + s.id %% 500, s.id, floor(5 + 300 * random())
       FROM bench_story s WHERE s.id %% 10 = 0""",
    """INSERT INTO audience_signupsfromstory (day, story_id, newsletter_id, signups)
       SELECT s.published, s.id, 1 + s.id %% 3, floor(1 + 10 * random())
       FROM bench_story s WHERE s.id %% 20 = 0""",
]
_LIVE = """
DELETE FROM audience_livereader;
WITH newest AS (
    SELECT id, row_number() OVER (ORDER BY publish_at DESC, id) - 1 AS n
    FROM articles_article ORDER BY publish_at DESC, id LIMIT 50
)
INSERT INTO audience_livereader (key, kind, object_id, path, seen_at)
SELECT md5(r::text), 'story', s.id, '/bench/' || s.id || '/',
       now() - random() * interval '5 minutes'
FROM generate_series(1, %(readers)s) r
JOIN newest s ON s.n = r %% (SELECT count(*) FROM newest)
"""


def make_rollups(*, days: int = 365, seed: float = 0.23) -> dict[str, int]:
    """Empty the rollup tables and fill them for every story in the database, in SQL (a year
    for 100,000 stories takes a minute or two); the rows each table holds."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(ROLLUP_TABLES)}")
        cursor.execute("SELECT setseed(%s)", [seed])
        cursor.execute(_STORIES, {"days": days})
        cursor.execute(_STORY_DAYS)
        for statement in [*_ADD_UP, *_BREAKDOWNS, _HOURS]:
            cursor.execute(statement)
        for statement in _OTHERS:
            cursor.execute(statement, {"days": days})
        cursor.execute(f"ANALYZE {', '.join(ROLLUP_TABLES)}")
    return rollup_rows()


def refresh_live_readers(readers: int = 300) -> None:
    """Readers seen in the last five minutes, on the newest stories: the live panel's rows."""
    with connection.cursor() as cursor:
        cursor.execute(_LIVE, {"readers": readers})


def rollup_rows() -> dict[str, int]:
    with connection.cursor() as cursor:
        found = {}
        for table in ROLLUP_TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - our own names
            found[table] = cursor.fetchone()[0]
    return found


# --- What wrk runs -------------------------------------------------------------------------

# wrk prints one line at the end; the same as the peer harness's wrk_report.lua.
_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("PEER_RESULT requests=%d duration_us=%d non2xx3xx=%d errors=%d\\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout))
end
"""


# A reader's browser, as the endpoint expects one (it drops requests without a user agent
# and Accept-Language as automation: audience/sources.py).
BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def _lua_string(text: str) -> str:
    return "[==[" + text.replace("]==]", "") + "]==]"


def page_and_beacon_script(page: str, beacon: str, body: str) -> str:
    """A reader's browser: GET the page, then POST the beacon, in turn on each connection."""
    return f"""
local page, beacon, body = {_lua_string(page)}, {_lua_string(beacon)}, {_lua_string(body)}
wrk.headers["User-Agent"] = {_lua_string(BROWSER)}
wrk.headers["Accept-Language"] = "en-US,en;q=0.9"
local headers = {{["Content-Type"] = "text/plain;charset=UTF-8"}}
local n = 0
request = function()
  n = n + 1
  if n % 2 == 1 then return wrk.format("GET", page) end
  return wrk.format("POST", beacon, headers, body)
end
{_REPORT}"""


def beacon_script(beacon: str, body: str) -> str:
    """The beacon alone: one fixed POST (wrk's fast path, as the ceiling's GET)."""
    return f"""
wrk.method = "POST"
wrk.path = {_lua_string(beacon)}
wrk.body = {_lua_string(body)}
wrk.headers["Content-Type"] = "text/plain;charset=UTF-8"
wrk.headers["User-Agent"] = {_lua_string(BROWSER)}
wrk.headers["Accept-Language"] = "en-US,en;q=0.9"
{_REPORT}"""


def get_script() -> str:
    return _REPORT


def read_wrk(output: str) -> dict:
    """req/s and errors from one run's PEER_RESULT line."""
    match = re.search(r"PEER_RESULT requests=(\d+) duration_us=(\d+) non2xx3xx=(\d+) "
                      r"errors=(\d+)", output)  # fmt: skip
    if not match:
        raise ValueError(f"wrk said: {output[-500:]}")
    requests, duration, bad, errors = (int(v) for v in match.groups())
    return {"rps": requests / (duration / 1e6), "bad": bad + errors}


def median_ratio(rounds: list[dict], label: str, reference: str) -> float | None:
    """The median over rounds of label's req/s ÷ reference's in the same round."""
    ratios = [r[label]["rps"] / r[reference]["rps"] for r in rounds if r[reference]["rps"]]
    return statistics.median(ratios) if ratios else None


def verdict(value: float | None, target: float, *, below: bool = False) -> str:
    if value is None:
        return "-"
    return "met" if (value < target if below else value >= target) else "MISSED"
