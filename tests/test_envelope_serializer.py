"""The skill's serializer reads every request timestamp to the same instant the ASK SDK's
own (python-dateutil) did, and anything the fast path cannot read goes to the SDK's parser."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from hypothesis import given
from hypothesis import strategies as st

from skill.alexa.envelopes import Conversation
from skill.alexa.serializer import EnvelopeSerializer

ENVELOPE = "ask_sdk_model.RequestEnvelope"


def both(stamp: object) -> tuple[object, object]:
    event = Conversation(user_id="amzn1.ask.account.stamp").launch()
    event["request"]["timestamp"] = stamp
    payload = json.dumps(event)
    ours = EnvelopeSerializer().deserialize(payload, ENVELOPE).request.timestamp
    sdk = DefaultSerializer().deserialize(payload, ENVELOPE).request.timestamp
    return ours, sdk


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    st.sampled_from(["Z", "+00:00", "-05:00", ""]),
    st.booleans(),
)
def test_alexa_timestamps_read_to_the_same_instant_as_the_sdks(
    moment: datetime, zone: str, fraction: bool
) -> None:
    stamp = moment.isoformat(timespec="milliseconds" if fraction else "seconds") + zone
    ours, sdk = both(stamp)
    assert isinstance(ours, datetime) and isinstance(sdk, datetime)
    assert ours == sdk and ours.utcoffset() == sdk.utcoffset()


def test_the_usual_timestamp_is_an_aware_utc_datetime() -> None:
    ours, sdk = both("2026-05-01T10:00:00Z")
    assert ours == sdk == datetime(2026, 5, 1, 10, tzinfo=UTC)
    assert isinstance(ours, datetime) and ours.utcoffset() == timedelta(0)


@pytest.mark.parametrize("stamp", ["May 1st 2026, 10am", "1 May 2026 10:00 UTC"])
def test_what_the_fast_path_cannot_read_goes_to_the_sdks_parser(stamp: str) -> None:
    ours, sdk = both(stamp)
    assert ours == sdk and isinstance(ours, datetime)


def test_an_unreadable_timestamp_is_refused_as_the_sdk_refuses_it() -> None:
    for serializer in (EnvelopeSerializer(), DefaultSerializer()):
        event = Conversation(user_id="amzn1.ask.account.stamp").launch()
        event["request"]["timestamp"] = "not a time at all"
        with pytest.raises(SerializationException):
            serializer.deserialize(json.dumps(event), ENVELOPE)


def test_a_date_field_is_a_date() -> None:
    read = EnvelopeSerializer()._DefaultSerializer__deserialize_datetime  # type: ignore[attr-defined]
    assert read("2026-05-01", date) == date(2026, 5, 1)
