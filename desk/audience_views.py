"""The desk's audience pages: the overview (readers now, a chart, the period's tables), the
live panel's JSON, and a story's own figures. Every table downloads as CSV.

The figures and who may see them come from audience/figures.py; these views only check the
door (a contributor opening another writer's story gets 403) and render.
"""

import csv

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache

from articles.models import Article
from audience import figures
from audience.models import Dimension, Kind

from . import charts

# The overview's tables: key (as in ?csv=), heading, and what it lists.
FIGURE_TABLES = {
    "stories": "Stories",
    "sections": "Sections",
    "series": "Series",
    "authors": "Authors",
}
COUNT_TABLES = {
    "sources": ("Where readers came from", "Source"),
    "sites": ("Referring sites", "Site"),
    "search": ("Search terms", "Term"),
    "devices": ("Devices", "Device"),
}
_KINDS = {"sections": Kind.SECTION, "series": Kind.SERIES, "authors": Kind.AUTHOR}
_DIMENSIONS = {
    "sources": Dimension.REFERRER,
    "sites": Dimension.DOMAIN,
    "devices": Dimension.DEVICE,
}
CSV_LIMIT = 5000
# A spreadsheet runs a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _overview_rows(user, when, table: str, limit):
    if table == "stories":
        return figures.top_stories(user, when, limit)
    if table in _KINDS:
        return figures.top_named(user, when, _KINDS[table], limit)
    if table == "search":
        return figures.search_terms(user, when, limit)
    return figures.breakdown(user, when, _DIMENSIONS[table], limit)


def _tables_for(user) -> list[str]:
    """Contributors see their own stories' tables; the site's sections, series, authors and
    search terms are summed over everyone's work, so only editors and publishers see them."""
    if figures.sees_everything(user):
        return [*FIGURE_TABLES, *COUNT_TABLES]
    return ["stories", "sources", "sites", "devices"]


def _check(request):
    if not figures.may_see_figures(request.user):
        raise PermissionDenied


@never_cache
def overview(request):
    """Readers now, the period's chart and its tables (or one of them as CSV)."""
    _check(request)
    user = request.user
    when = figures.period(request.GET.get("period"))
    tables = _tables_for(user)
    wanted = request.GET.get("csv")
    if wanted is not None:
        if wanted not in tables:
            raise Http404("No such table.")
        rows = _overview_rows(user, when, wanted, CSV_LIMIT)
        column = COUNT_TABLES[wanted][1] if wanted in COUNT_TABLES else "Name"
        return _csv(f"audience-{wanted}-{when.key}-{when.last_day:%Y-%m-%d}", wanted, rows, column)
    everything = figures.sees_everything(user)
    context = {
        **admin.site.each_context(request),
        "title": "Audience",
        "period": when,
        "periods": figures.PERIODS,
        "everything": everything,
        "totals": figures.totals(user, when),
        "chart": charts.bar_chart(
            figures.chart(user, when),
            title=f"Views {'per hour today' if when.hourly else 'per day'}"
            + ("" if everything else ", your stories"),
        ),
        "live": figures.live(user),
        "figure_tables": [
            (key, FIGURE_TABLES[key], _overview_rows(user, when, key, 10))
            for key in tables
            if key in FIGURE_TABLES
        ],
        "count_tables": [
            (key, *COUNT_TABLES[key], _overview_rows(user, when, key, 10))
            for key in tables
            if key in COUNT_TABLES
        ],
    }
    return TemplateResponse(request, "admin/desk/audience.html", context)


@never_cache
def live(request):
    """The live panel's figures, which desk/static/desk/audience.js asks for every 10 s."""
    _check(request)
    return JsonResponse({**figures.live(request.user), "at": timezone.now().isoformat()})


def readers_group(user, article: Article) -> dict | None:
    """The story editor's "Readers" group: for a story that has been published, to someone
    who may see its figures; one query (two for a contributor, who is checked)."""
    if article.first_published_at is None or article.pending_for_id:
        return None
    if not figures.may_see_story(user, article):
        return None
    totals, days = figures.story_summary(article)
    return {
        "story_id": article.pk,
        "totals": totals,
        "sparkline": charts.sparkline(days, title="Views a day, the last 14 days"),
    }


STORY_TABLES = {
    "days": ("Views over time", "When"),
    "sources": ("Where readers came from", "Source"),
    "sites": ("Referring sites", "Site"),
    "devices": ("Devices", "Device"),
    "signups": ("Newsletter sign-ups made from this story", "Newsletter"),
    "issues": ("Newsletter issues that carried it", "Issue"),
}


@never_cache
def story(request, pk: int):
    """One story's figures since publishing; only for someone who may see them (403)."""
    _check(request)
    article = Article.objects.select_related("section").filter(pk=pk).first()
    if article is None and figures.sees_everything(request.user):
        raise Http404("No such story.")
    # A contributor learns nothing of a story that is not theirs, not even that it exists.
    if article is None or not figures.may_see_story(request.user, article):
        raise PermissionDenied("These figures are for the story's writers and editors.")
    found = figures.story_figures(article)
    series = charts.points(found.chart)
    tables = {
        "days": [figures.Row(name=p.long_label, views=p.value) for p in series],
        "sources": found.sources,
        "sites": found.domains,
        "devices": found.devices,
        "signups": found.signups,
        "issues": found.issues,
    }
    wanted = request.GET.get("csv")
    if wanted is not None:
        if wanted not in tables:
            raise Http404("No such table.")
        heading, column = STORY_TABLES[wanted]
        name = f"audience-story-{article.pk}-{slugify(article.slug)[:40]}-{wanted}"
        return _csv(name, wanted, tables[wanted], column)
    context = {
        **admin.site.each_context(request),
        "title": f"Readers of “{article.headline}”",
        "article": article,
        "found": found,
        "chart": charts.bar_chart(found.chart, title=f"Views per {found.per}"),
        "tables": [
            (key, heading, column, tables[key])
            for key, (heading, column) in STORY_TABLES.items()
            if key != "days"
        ],
    }
    return TemplateResponse(request, "admin/desk/audience_story.html", context)


def _cell(value) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula gets a '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(filename: str, table: str, rows, first_column: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    writer = csv.writer(response)
    if table in FIGURE_TABLES:
        # Visitors are counted for stories only (audience/folding.py), not their sections.
        visitors = table == "stories"
        writer.writerow(
            ["Name", "Address", "Views", *["Visitors"][:visitors],
             "Average time reading (seconds)", "Read to the end (%)"]
        )  # fmt: skip
        for row in rows:
            rate = row.read_to_end_rate
            writer.writerow(
                map(_cell, [row.name, row.url, row.views, *[row.visitors][:visitors],
                            row.average_seconds, "" if rate is None else round(rate * 100, 1)])
            )  # fmt: skip
    elif table == "issues":
        writer.writerow(["Issue", "Sent", "Clicks to the story"])
        for row in rows:
            sent = row.extra.get("sent_at")
            writer.writerow(
                map(
                    _cell,
                    [
                        row.name,
                        f"{timezone.localtime(sent):%Y-%m-%d %H:%M}" if sent else "",
                        row.views,
                    ],
                )
            )
    else:
        label = "Sign-ups" if table == "signups" else "Views"
        writer.writerow([first_column, label])
        for row in rows:
            writer.writerow(map(_cell, [row.name, row.views]))
    return response
