"""Local dates: "today" is the request's time in the device's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from skill.progress import bounds

DEFAULT_ZONE = "UTC"


def zone(name: str | None) -> ZoneInfo:
    """The named IANA zone; UTC when it is missing or unknown."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def parse_timestamp(value: str | datetime | None, warn: bool = False) -> datetime:
    """An Alexa request timestamp ("2026-11-24T23:50:00Z") as an aware datetime; the server's
    clock if absent, unreadable or outside a year back to a week ahead (bounds.request_time;
    `warn` logs that once, where the request is first read)."""
    if isinstance(value, datetime):
        return bounds.request_time(value if value.tzinfo else value.replace(tzinfo=UTC), warn)
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return bounds.request_time(
                parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC), warn
            )
        except ValueError:
            pass
    return bounds.server_now()


def local_date(timestamp: str | datetime | None, zone_name: str | None) -> date:
    return parse_timestamp(timestamp).astimezone(zone(zone_name)).date()


def epoch_ms(timestamp: str | datetime | None) -> int:
    return int(parse_timestamp(timestamp).timestamp() * 1000)


def local_date_of_ms(millis: int, zone_name: str | None) -> date:
    return datetime.fromtimestamp(millis / 1000, UTC).astimezone(zone(zone_name)).date()
