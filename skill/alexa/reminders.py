"""The daily reminder through Alexa's Reminders API, with ask-sdk-model's own client.

Every call is bounded (1 s in all, the connection included) and every failure comes
back as a ReminderResult the dialogue can speak honestly; nothing here raises.

    service = ReminderService.of(handler_input)
    result = service.put(stored_token, DailyReminder.for_person(at, zone, copy), timestamp)

put() updates the stored reminder when there is one (so asking twice never makes a
second reminder) and creates one only when there is none, or it is gone on Alexa's
side (deleted in the Alexa app).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as CallTimeout
from datetime import datetime
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.services.reminder_management.alert_info import AlertInfo
from ask_sdk_model.services.reminder_management.push_notification import PushNotification
from ask_sdk_model.services.reminder_management.push_notification_status import (
    PushNotificationStatus,
)
from ask_sdk_model.services.reminder_management.recurrence import Recurrence
from ask_sdk_model.services.reminder_management.reminder_management_service_client import (
    ReminderManagementServiceClient,
)
from ask_sdk_model.services.reminder_management.reminder_request import ReminderRequest
from ask_sdk_model.services.reminder_management.spoken_info import SpokenInfo
from ask_sdk_model.services.reminder_management.spoken_text import SpokenText
from ask_sdk_model.services.reminder_management.trigger import Trigger
from ask_sdk_model.services.reminder_management.trigger_type import TriggerType
from ask_sdk_model.services.service_exception import ServiceException

from skill.reminders.daily import DailyReminder, time_of_rule
from skill.reminders.results import Outcome, ReminderResult

log = logging.getLogger(__name__)

TOTAL_TIMEOUT = 1.0  # seconds for one call, DNS and TLS included

_BY_STATUS = {
    400: Outcome.INVALID,
    401: Outcome.NO_PERMISSION,
    403: Outcome.NOT_ALLOWED,
    404: Outcome.NOT_FOUND,
    429: Outcome.THROTTLED,
}


@functools.lru_cache(maxsize=1)
def _calls() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix="reminders-api")


def build_request(reminder: DailyReminder, timestamp: str | datetime | None) -> ReminderRequest:
    """The service client's request for a daily reminder (local times, no offsets)."""
    return ReminderRequest(
        request_time=reminder.local_now(timestamp).replace(microsecond=0),
        trigger=Trigger(
            object_type=TriggerType.SCHEDULED_ABSOLUTE,
            scheduled_time=reminder.first_time(timestamp),
            time_zone_id=reminder.time_zone,
            recurrence=Recurrence(recurrence_rules=[reminder.recurrence_rule]),
        ),
        alert_info=AlertInfo(
            spoken_info=SpokenInfo(content=[SpokenText(locale=reminder.locale, text=reminder.text)])
        ),
        push_notification=PushNotification(status=PushNotificationStatus.ENABLED),
    )


class ReminderService:
    def __init__(
        self,
        client: Callable[[], ReminderManagementServiceClient] | None,
        timeout: float = TOTAL_TIMEOUT,
    ) -> None:
        self.client, self.timeout = client, timeout

    @classmethod
    def of(cls, handler_input: HandlerInput) -> ReminderService:
        """Through the skill's service client factory (the request's apiEndpoint and token)."""
        factory = handler_input.service_client_factory
        if factory is None:
            return cls(None)
        return cls(factory.get_reminder_management_service)

    # -- operations ------------------------------------------------------------------
    def create(self, reminder: DailyReminder, timestamp: str | datetime | None) -> ReminderResult:
        request = build_request(reminder, timestamp)
        outcome, reply = self._call("create", lambda c: c.create_reminder(request))
        token = getattr(reply, "alert_token", None)
        if outcome is Outcome.DONE and not token:
            return ReminderResult(Outcome.UNAVAILABLE)  # a 200 without a token is no reminder
        return ReminderResult(outcome, token, reminder.at, created=outcome is Outcome.DONE)

    def update(
        self, alert_token: str, reminder: DailyReminder, timestamp: str | datetime | None
    ) -> ReminderResult:
        request = build_request(reminder, timestamp)
        outcome, _ = self._call("update", lambda c: c.update_reminder(alert_token, request))
        return ReminderResult(outcome, alert_token, reminder.at)

    def put(
        self,
        alert_token: str | None,
        reminder: DailyReminder,
        timestamp: str | datetime | None,
    ) -> ReminderResult:
        """Update the person's reminder, or create it when there is none (any more)."""
        if alert_token:
            updated = self.update(alert_token, reminder, timestamp)
            if updated.outcome is not Outcome.NOT_FOUND:
                return updated
        return self.create(reminder, timestamp)

    def get(self, alert_token: str) -> ReminderResult:
        """Whether the reminder is still there; its time when the reply can be read.

        ask-sdk-model (1.82) cannot deserialize a reminder's alertInfo (its AlertInfo
        names a module that does not exist, alexa/alexa-apis-for-python#4), so a 200
        often comes back without details: the reminder exists, `at` stays None, and
        the caller uses the time it stored.
        """
        outcome, reply = self._call("get", lambda c: c.get_reminder(alert_token))
        trigger = getattr(reply, "trigger", None)
        rules = getattr(getattr(trigger, "recurrence", None), "recurrence_rules", None)
        times = [t for t in (time_of_rule(str(r)) for r in rules or []) if t is not None]
        return ReminderResult(outcome, alert_token, times[0] if times else None)

    def delete(self, alert_token: str) -> ReminderResult:
        """Gone already counts as deleted (the person may have removed it in the app)."""
        outcome, _ = self._call("delete", lambda c: c.delete_reminder(alert_token))
        if outcome is Outcome.NOT_FOUND:
            outcome = Outcome.DONE
        return ReminderResult(outcome, alert_token)

    # -- one bounded call --------------------------------------------------------------
    def _call(
        self, what: str, call: Callable[[ReminderManagementServiceClient], Any]
    ) -> tuple[Outcome, Any]:
        if self.client is None:
            log.warning("reminders %s: skill built without an API client", what)
            return Outcome.UNAVAILABLE, None
        pending = None
        try:
            client = self.client()
            pending = _calls().submit(call, client)
            return Outcome.DONE, pending.result(timeout=self.timeout)
        except CallTimeout:
            if pending is not None:
                pending.cancel()
            outcome, status = Outcome.TIMEOUT, None
        except SerializationException:
            # A 2xx whose body the SDK's models cannot read (see get()): done, no details.
            log.info("reminders %s: done, reply unreadable", what)
            return Outcome.DONE, None
        except ServiceException as error:
            status = getattr(error, "status_code", None)
            outcome = _BY_STATUS.get(status or 500, Outcome.UNAVAILABLE)
            if error.body is None and _timed_out(error):
                outcome, status = Outcome.TIMEOUT, None  # the client's own socket timeout
        except Exception as error:  # a broken client or reply must never cost the answer
            status = None
            outcome = Outcome.UNAVAILABLE
            log.warning("reminders %s failed: %s", what, type(error).__name__)
            return outcome, None
        # Never the exception text: it can carry the alert token or device in the URL.
        level = logging.ERROR if outcome is Outcome.INVALID else logging.WARNING
        log.log(level, "reminders %s: %s%s", what, outcome.value, f" {status}" if status else "")
        return outcome, None


def _timed_out(error: BaseException) -> bool:
    """Whether a client failure was, underneath, a timeout (the SDK reports it as 500)."""
    seen: BaseException | None = error
    for _ in range(6):
        if seen is None:
            return False
        if isinstance(seen, TimeoutError) or isinstance(
            getattr(seen, "reason", None), TimeoutError
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
