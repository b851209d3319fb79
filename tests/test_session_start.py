"""Session start in one round trip: the store read and the Settings API lookup overlap.

Real parts on a real (loopback) network: DynamoDB is moto's server and the Settings API
a local HTTPS server, each behind a TCP relay. Overlap is proven by ordering, not by a
clock: each relay holds its first answer until the other relay has seen a request
(bounded). Run one after the other, the first call's answer would wait in vain.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlparse

import pytest

from skill.alexa.api_client import AlexaApiClient
from skill.alexa.app import build_skill, invoke
from skill.alexa.envelopes import Conversation
from skill.progress.records import ProgressUpdate
from skill.routine.model import load_routine
from skill.store.dynamodb import DynamoDBProgressStore
from tests.delay_relay import DelayRelay
from tests.settings_api import SettingsApi
from tests.store_fixtures import admin_client, create_table

pytest_plugins = ["tests.store_fixtures"]

USER = "amzn1.ask.account.session-start"
HOLD = 0.8  # at most this long per hold: under the store's and the lookup's own bounds


def relay_to(endpoint: str) -> DelayRelay:
    target = urlparse(endpoint)
    return DelayRelay(target.hostname or "127.0.0.1", target.port or 80)


@pytest.fixture
def table(dynamodb_endpoint: str) -> Iterator[str]:
    name = create_table(dynamodb_endpoint)
    yield name
    admin_client(dynamodb_endpoint).delete_table(TableName=name)


@pytest.fixture
def relays(dynamodb_endpoint: str, settings_api: SettingsApi) -> Iterator[tuple[DelayRelay, ...]]:
    store_relay, api_relay = relay_to(dynamodb_endpoint), relay_to(settings_api.endpoint)
    yield store_relay, api_relay
    store_relay.close()
    api_relay.close()


def hold_until(other: threading.Event, overlaps: list[bool]) -> Callable[[], None]:
    def hold() -> None:
        overlaps.append(other.wait(timeout=HOLD))

    return hold


def launch(
    store: Any, settings_api: SettingsApi, api_endpoint: str, generous: bool = False
) -> dict[str, Any]:
    """A launch; `generous` bounds for tests that are not about the lookup's own bound."""
    client = AlexaApiClient(verify=str(settings_api.cert), **({"timeout": 10} if generous else {}))
    skill = build_skill(store=store, api_client=client, zone_bound=20 if generous else None)
    talk = Conversation(user_id=USER, api_endpoint=api_endpoint, timestamp="2026-11-25T18:00:00Z")
    return invoke(skill, talk.launch())


def spoken(answer: dict[str, Any]) -> str:
    return str(answer["response"]["outputSpeech"]["ssml"])


def test_store_read_and_zone_lookup_are_in_flight_together(
    table: str, settings_api: SettingsApi, relays: tuple[DelayRelay, DelayRelay]
) -> None:
    store_relay, api_relay = relays
    store_overlaps: list[bool] = []
    api_overlaps: list[bool] = []
    store_relay.hold_answers = hold_until(api_relay.requests_seen, store_overlaps)
    api_relay.hold_answers = hold_until(store_relay.requests_seen, api_overlaps)
    store = DynamoDBProgressStore(table, endpoint_url=store_relay.endpoint())
    answer = launch(store, settings_api, api_relay.endpoint("https"), generous=True)

    # Each first answer was held until the other call had started: both were in
    # flight at once, so the session start waited about max(read, lookup).
    assert store_overlaps[:1] == [True] and api_overlaps[:1] == [True]
    assert answer["sessionAttributes"]["time_zone"] == "America/Los_Angeles"
    assert "can't reach your saved progress" not in spoken(answer)
    assert len(settings_api.seen) == 1


def test_a_stalled_lookup_keeps_the_stored_zone_and_the_progress(
    table: str, dynamodb_endpoint: str, settings_api: SettingsApi
) -> None:
    store = DynamoDBProgressStore(table, endpoint_url=dynamodb_endpoint)
    store.save(USER, ProgressUpdate(time_zone="Asia/Tokyo"), load_routine().ids)
    settings_api.mode = "slow"  # answers after 3 s: past the lookup's 1 s bound
    answer = launch(store, settings_api, settings_api.endpoint)
    assert answer["sessionAttributes"]["time_zone"] == "Asia/Tokyo"
    assert answer["sessionAttributes"]["loaded"] is True
    assert "can't reach your saved progress" not in spoken(answer)


def test_a_store_fault_still_gets_the_devices_zone(
    table: str, settings_api: SettingsApi, relays: tuple[DelayRelay, DelayRelay]
) -> None:
    store_relay, _ = relays
    store = DynamoDBProgressStore(table, endpoint_url=store_relay.endpoint())
    store_relay.close()  # connection refused from now on
    answer = launch(store, settings_api, settings_api.endpoint)
    assert "can't reach your saved progress" in spoken(answer)
    assert answer["sessionAttributes"]["time_zone"] == "America/Los_Angeles"


def test_a_refused_lookup_uses_the_stored_zone(
    table: str, dynamodb_endpoint: str, settings_api: SettingsApi
) -> None:
    store = DynamoDBProgressStore(table, endpoint_url=dynamodb_endpoint)
    store.save(USER, ProgressUpdate(time_zone="Europe/Berlin"), load_routine().ids)
    settings_api.mode = "forbidden"
    answer = launch(store, settings_api, settings_api.endpoint)
    assert answer["sessionAttributes"]["time_zone"] == "Europe/Berlin"
