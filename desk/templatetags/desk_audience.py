"""How the audience pages write their figures: "2 min 5 s", "48%", "12,400"."""

from django import template

register = template.Library()


@register.filter
def reading_time(seconds: int | None) -> str:
    """Seconds as a reader's time on a story; a dash when nobody has reported any yet."""
    if seconds is None:
        return "–"
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


@register.filter
def percent(rate: float | None) -> str:
    """A share (0 to 1) as a whole percentage; a dash without views."""
    return "–" if rate is None else f"{round(rate * 100)}%"
