"""The newsroom's time zone, named as staff read it next to every time they set or see."""

from django.conf import settings


def zone_name(zone: str | None = None) -> str:
    """“New York time (America/New_York)” for the site's TIME_ZONE; “UTC” stays “UTC”."""
    zone = zone or settings.TIME_ZONE
    city = zone.rsplit("/", 1)[-1].replace("_", " ")
    if city == zone:  # UTC, GMT: no city to name
        return zone
    return f"{city} time ({zone})"
