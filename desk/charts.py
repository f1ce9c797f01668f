"""Charts of views drawn on the server as inline SVG: no script, nothing to load, and the
same picture in a screenshot, a phone and a screen reader (each chart carries a title and its
figures as a text alternative).

The SVG stretches to its box (width 100%, a viewBox, no fixed pixel width), so it never
scrolls sideways at 390 px; colours come from desk/static/desk/audience.css via classes.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 600, 200
LEFT, BOTTOM, TOP = 44, 22, 10


@dataclass(frozen=True)
class Point:
    label: str  # what the axis says
    long_label: str  # what the text alternative says
    value: int


def points(series: list[tuple[datetime | date, int]]) -> list[Point]:
    """(hour or day, views) pairs as labelled points, hours in the newsroom's time zone."""
    result = []
    for when, value in series:
        if isinstance(when, datetime):
            local = timezone.localtime(when)
            result.append(Point(f"{local:%H}", f"{local:%a %-d %b %H:00}", value))
        else:
            result.append(Point(f"{when:%-d %b}", f"{when:%a %-d %b}", value))
    return result


def _nice_top(peak: int) -> int:
    """The axis's top: the peak rounded up to 1, 2 or 5 times a power of ten."""
    if peak <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= peak:
                return step * factor
        step *= 10


def bar_chart(series, *, title: str, unit: str = "views") -> SafeString:
    """Bars of `series` ((hour or day, value) pairs) with an axis, a title and the figures
    as a visually hidden list for screen readers."""
    data = points(series)
    if not data:
        return format_html('<p class="audience-empty">{}</p>', "Nothing to draw yet.")
    top = _nice_top(max(p.value for p in data))
    plot_w, plot_h = WIDTH - LEFT - 4, HEIGHT - BOTTOM - TOP
    slot = plot_w / len(data)
    bar_w = max(slot * 0.75, 1)
    every = max(1, -(-len(data) // 7))  # at most seven labels under the bars
    bars, labels = [], []
    for n, point in enumerate(data):
        h = plot_h * point.value / top
        x = LEFT + n * slot + (slot - bar_w) / 2
        bars.append(
            (
                f"{x:.1f}",
                f"{TOP + plot_h - h:.1f}",
                f"{bar_w:.1f}",
                f"{h:.1f}",
                f"{point.long_label}: {point.value} {unit}",
            )
        )
        if n % every == 0:
            labels.append((f"{x + bar_w / 2:.1f}", f"{HEIGHT - 6}", point.label))
    grid = [(top, TOP), (top // 2 if top > 1 else "", TOP + plot_h / 2), (0, TOP + plot_h)]
    summary = f"{title}: " + "; ".join(f"{p.long_label} {p.value}" for p in data)
    return format_html(
        '<figure class="audience-chart"><svg viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-label="{summary}" class="audience-svg">'
        "<title>{title}</title>{grid}{bars}{labels}</svg>"
        '<figcaption class="visually-hidden"><ul>{items}</ul></figcaption></figure>',
        w=WIDTH,
        h=HEIGHT,
        summary=summary,
        title=title,
        grid=format_html_join(
            "",
            '<line x1="{}" x2="{}" y1="{}" y2="{}" class="audience-grid"/>'
            '<text x="{}" y="{}" class="audience-axis" text-anchor="end">{}</text>',
            (
                (LEFT, WIDTH - 4, f"{y:.1f}", f"{y:.1f}", LEFT - 4, f"{y + 4:.1f}", value)
                for value, y in grid
            ),
        ),
        bars=format_html_join(
            "",
            '<rect x="{}" y="{}" width="{}" height="{}" class="audience-bar"><title>{}</title>'
            "</rect>",
            bars,
        ),
        labels=format_html_join(
            "", '<text x="{}" y="{}" class="audience-axis" text-anchor="middle">{}</text>', labels
        ),
        items=format_html_join("", "<li>{}: {}</li>", ((p.long_label, p.value) for p in data)),
    )


def sparkline(values: list[int], *, title: str) -> SafeString:
    """A small line of views per day, for the story editor's "Readers" group."""
    if not values:
        return format_html("")
    top = max(max(values), 1)
    w, h = 140, 28
    step = w / max(len(values) - 1, 1)
    line = " ".join(f"{n * step:.1f},{h - 2 - (h - 4) * v / top:.1f}" for n, v in enumerate(values))
    return format_html(
        '<svg viewBox="0 0 {} {}" width="100%" class="audience-spark" role="img" '
        'aria-label="{}"><title>{}</title>'
        '<polyline points="{}" class="audience-line"/></svg>',
        w,
        h,
        f"{title}: " + ", ".join(str(v) for v in values),
        title,
        line,
    )
