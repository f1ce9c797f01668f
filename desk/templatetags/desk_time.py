"""{% time_zone_name %}: the site's time zone, named beside the times staff set and read."""

from django import template

from desk.time_zone import zone_name

register = template.Library()


@register.simple_tag
def time_zone_name() -> str:
    """“New York time (America/New_York)”, from settings.TIME_ZONE."""
    return zone_name()
