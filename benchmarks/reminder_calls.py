"""Print what the daily reminder costs: Reminders API calls through ask-sdk-model's
client against a local Reminders API over HTTPS, with a Settings API read in the
same run as the baseline (the one Alexa API call every session already makes), the
1 s bound against a stalled service, and DynamoDB calls for a recognised person.

    .venv/bin/python benchmarks/reminder_calls.py

Aims: a reminder call adds about one Settings-API call's time to a turn; a stalled
service costs at most about 1 s; a person's first write in a process costs one extra
UpdateItem, later writes none; deleting an account is one GetItem plus one DeleteItem
per key. Not a test.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.services.api_configuration import ApiConfiguration
from ask_sdk_model.services.reminder_management.reminder_management_service_client import (
    ReminderManagementServiceClient,
)
from ask_sdk_model.services.ups.ups_service_client import UpsServiceClient

from skill.alexa.reminders import ReminderService
from skill.alexa.timezone import BoundedApiClient
from skill.progress.owner import owner_key
from skill.progress.records import ProgressUpdate
from skill.reminders.daily import DailyReminder
from skill.reminders.spoken_time import LocalTime
from skill.speech.copy import copy_for
from skill.store.dynamodb import DynamoDBProgressStore
from tests.reminders_api import RemindersApi
from tests.store_fixtures import ROUTINE, CallCounter, MotoServer, create_table

TOKEN = "bench-token"
ROUNDS = 40


def configuration(api: RemindersApi) -> ApiConfiguration:
    return ApiConfiguration(
        serializer=DefaultSerializer(),
        api_client=BoundedApiClient(verify=str(api.cert)),
        authorization_value=TOKEN,
        api_endpoint=api.endpoint,
    )


def timed(action: object, rounds: int = ROUNDS) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def api_figures() -> None:
    with tempfile.TemporaryDirectory() as folder:
        api = RemindersApi(Path(folder))
        api.grant(TOKEN)
        config = configuration(api)
        settings = UpsServiceClient(config)
        reminders = ReminderService(lambda: ReminderManagementServiceClient(config))
        reminder = DailyReminder.for_person(LocalTime(9, 0), "Europe/London", copy_for("en-GB"))
        now = "2026-11-30T08:00:00Z"
        settings.get_system_time_zone("bench-device")  # warm up outside the figures
        base, base95 = timed(lambda: settings.get_system_time_zone("bench-device"))
        print(
            f"baseline: Settings API time-zone read   median {base:6.2f} ms  p95 {base95:6.2f} ms"
        )
        token = reminders.create(reminder, now).alert_token
        for label, action in (
            ("reminder create", lambda: reminders.create(reminder, now)),
            ("reminder update (same token)", lambda: reminders.put(token, reminder, now)),
            ("reminder get", lambda: reminders.get(token or "")),
        ):
            median, p95 = timed(action)
            print(
                f"{label:<38} median {median:6.2f} ms  p95 {p95:6.2f} ms  "
                f"x{median / base:4.2f} of the baseline (aim: about x1)"
            )
        api.delay = 3.0
        started = time.perf_counter()
        outcome = reminders.create(reminder, now).outcome.value
        stalled = (time.perf_counter() - started) * 1000
        print(f"stalled service (3 s): {outcome} after {stalled:6.1f} ms (aim: <= about 1000 ms)")
        api.delay = 0.0
        api.close()


def person_figures() -> None:
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ.setdefault(key, "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    server = MotoServer()
    store = DynamoDBProgressStore(create_table(server.endpoint), endpoint_url=server.endpoint)
    counter = CallCounter.attach(store.client)
    account = "amzn1.ask.account.BENCH"
    people = [owner_key(account, f"amzn1.ask.person.{n}") for n in range(3)]
    update = ProgressUpdate(exercises_done={"2026-11-30": frozenset({"tapping"})})
    store.load(account)  # warm the client
    for label, action in (
        ("account save", lambda: store.save(account, update, ROUTINE)),
        ("person: first save in this process", lambda: store.save(people[0], update, ROUTINE)),
        ("person: later save", lambda: store.save(people[0], update, ROUTINE)),
    ):
        counter.reset()
        action()
        print(f"{label:<38} {dict(counter.calls)}")
    for key in people[1:]:
        store.save(key, update, ROUTINE)
    counter.reset()
    store.delete_user(account)
    print(
        f"{'delete account + 3 people':<38} {dict(counter.calls)} (aim: GetItem 1 + DeleteItem 4)"
    )
    server.stop()


if __name__ == "__main__":
    os.environ.setdefault("ALEXA_API_ALLOW_LOOPBACK", "1")
    api_figures()
    person_figures()
