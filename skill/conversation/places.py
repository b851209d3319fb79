"""How long a kept place lasts, and which day a resumed routine counts for.

A place kept with "we'll carry on" (stop, pause, done for today, fetching something, a
safety stop) is offered again at the person's next session the same day, or the next
morning until KEPT_UNTIL_HOUR (local time). After that a new day starts from the top.
The routine picked up from a place kept yesterday counts for the day it began, as does
one that crosses midnight within a session. docs/conversation.md explains the choice.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from skill.conversation.clock import local_date_of_ms, zone

# Noon: the routine takes about twelve minutes, the reminder is usually set for the
# morning or the evening, and a place kept late at night ("there's someone at the
# door" at 23:53) is most often picked up at midnight or with breakfast. A place a
# whole day old would greet an afternoon session with yesterday's exercise.
KEPT_UNTIL_HOUR = 12


def place_day(saved_at_ms: int, now_ms: int, zone_name: str | None) -> date | None:
    """The day a kept place belongs to, while it is still kept; None once it has lapsed."""
    if saved_at_ms <= 0:
        return None
    saved = local_date_of_ms(saved_at_ms, zone_name)
    now = datetime.fromtimestamp(now_ms / 1000, UTC).astimezone(zone(zone_name))
    if saved == now.date():
        return saved
    if saved == now.date() - timedelta(days=1) and now.hour < KEPT_UNTIL_HOUR:
        return saved
    return None
