"""Part 3 of `make bench-audience`: the desk's audience pages timed in-process (a logged-in
editor, DEBUG off) on a year of rollups for every story of the database it runs on, made in
SQL (devtools.audience_bench) unless they are there already. Skipped, saying so, while the
desk's pages are not in this branch (their URL names do not resolve)."""

import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Sum
from django.test import Client
from django.urls import NoReverseMatch, reverse

from articles.models import Article
from articles.roles import EDITOR, sync_role_groups
from audience.models import DayFigures
from devtools import audience_bench as bench
from devtools.peer_bench import percentiles

P95_MS = 200.0
SAMPLE_STORIES = 6


def desk_pages() -> list[tuple[str, str]] | None:
    """(name, path) of each page timed; None when the desk's audience pages are not here."""
    try:
        pages = [(f"audience, {period}", reverse("admin:audience") + f"?period={period}")
                 for period in ("today", "7d", "30d")]  # fmt: skip
        pages.append(("live panel", reverse("admin:audience-live")))
        reverse("admin:audience-story", args=[1])
    except NoReverseMatch:
        return None
    # The most read stories and some of the rest: the story page reads each one's rows.
    stories = DayFigures.objects.filter(kind="story").values("object_id")
    top = stories.annotate(total=Sum("views")).order_by("-total")[: SAMPLE_STORIES // 2]
    ids = [row["object_id"] for row in top]
    step = max(1, Article.objects.count() // SAMPLE_STORIES)
    ids += list(Article.objects.order_by("pk").values_list("pk", flat=True)[::step])[
        : SAMPLE_STORIES - len(ids)
    ]
    pages += [(f"story {pk}", reverse("admin:audience-story", args=[pk])) for pk in ids]
    return pages


def desk_lines(options: dict, *, log) -> list[str]:
    stories = Article.objects.count()
    if not stories:
        return ["desk: skipped, no stories in this database (make bench-site makes 100,000)"]
    if desk_pages() is None:
        return ["desk: skipped, the desk's audience pages (admin:audience…) are not here yet"]
    have = bench.rollup_rows()
    if options["remake_rollups"] or not have["audience_dayfigures"]:
        log(f"making {options['days']} days of rollups for {stories} stories (SQL)")
        started = time.monotonic()
        have = bench.make_rollups(days=options["days"])
        log(f"rollups made in {time.monotonic() - started:.0f} s: {have}")
    bench.refresh_live_readers()
    client = Client(HTTP_HOST="localhost")
    client.force_login(_editor())
    lines = [
        f"Desk audience pages, an editor, in-process; {stories} stories, "
        f"{have['audience_dayfigures']} day rows, {have['audience_daybreakdown']} breakdown rows:"
    ]
    worst = 0.0
    for name, path in desk_pages():
        timings = []
        for n in range(options["requests"] + 2):
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                lines.append(f"  {name:<18} answered {response.status_code}: {path}")
                break
            if n >= 2:  # the first requests warm connections and templates
                timings.append(elapsed)
        if timings:
            found = percentiles(timings)
            worst = max(worst, found["p95"])
            lines.append(f"  {name:<18} p50 {found['p50']:>6.1f} ms  p95 {found['p95']:>6.1f} ms")
    lines.append(f"  worst p95 {worst:.1f} ms: target < {P95_MS:.0f} ms "
                 f"{bench.verdict(worst, P95_MS, below=True)}")  # fmt: skip
    return lines


def _editor():
    sync_role_groups()
    user, _ = get_user_model().objects.get_or_create(
        username="bench-audience-editor", defaults={"is_staff": True}
    )
    user.groups.set([Group.objects.get(name=EDITOR)])
    return user
