"""What a call to Alexa's Reminders API came to: a value, never an exception."""

from __future__ import annotations

import enum

from msgspec import Struct

from skill.reminders.spoken_time import LocalTime


class Outcome(enum.Enum):
    DONE = "done"
    NO_PERMISSION = "no_permission"  # 401: the person has not granted reminders
    NOT_ALLOWED = "not_allowed"  # 403: this device or account cannot take reminders
    NOT_FOUND = "not_found"  # 404: gone on Alexa's side
    INVALID = "invalid"  # 400: our request broke the contract (a bug: logged)
    THROTTLED = "throttled"  # 429
    UNAVAILABLE = "unavailable"  # 5xx, connection refused, no API client
    TIMEOUT = "timeout"  # no answer in time


class ReminderResult(Struct, frozen=True):
    outcome: Outcome
    alert_token: str | None = None
    at: LocalTime | None = None  # the reminder's time of day, when read back
    created: bool = False  # a new reminder (not an update of the stored one)

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.DONE
