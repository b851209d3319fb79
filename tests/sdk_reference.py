"""The ASK SDK's own serializer as the reference the skill's is checked against
(tests/test_model_io.py, and every request and answer of the suite in tests/conftest.py)."""

from __future__ import annotations

import json
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer

from skill.alexa.model_io import JsonAttributes
from skill.alexa.serializer import ENVELOPE, EnvelopeSerializer


class Reference(DefaultSerializer):
    """The SDK's serializer, with the skill's timestamp reader (the one difference kept
    on purpose: tests/test_envelope_serializer.py compares it with dateutil's)."""

    _DefaultSerializer__deserialize_datetime = (
        EnvelopeSerializer._DefaultSerializer__deserialize_datetime
    )


def same(ours: Any, sdk: Any, where: str = "envelope") -> None:
    """Equal, and of the same classes all the way down (the session attributes may be
    read as JsonAttributes, a dict)."""
    if type(ours) is JsonAttributes and type(sdk) is dict:
        same(dict(ours), sdk, where)  # value by value: a NaN is never == itself
        return
    assert type(ours) is type(sdk), f"{where}: {type(ours)} != {type(sdk)}"
    if isinstance(ours, dict):
        assert list(ours) == list(sdk), where
        for key in ours:
            same(ours[key], sdk[key], f"{where}.{key}")
    elif isinstance(ours, list):
        assert len(ours) == len(sdk), where
        for index, (mine, theirs) in enumerate(zip(ours, sdk, strict=True)):
            same(mine, theirs, f"{where}[{index}]")
    elif hasattr(ours, "deserialized_types"):
        same(vars(ours), vars(sdk), where)
    elif isinstance(ours, float) and ours != ours:  # NaN, read from JSON as NaN
        assert sdk != sdk, where
    else:
        assert ours == sdk, where


def outcome(read: Any, event: Any) -> tuple[Any, Exception | None]:
    try:
        return read(event), None
    except Exception as error:
        return None, error


def sdk_reading(event: Any) -> Any:
    return Reference().deserialize(json.dumps(event), ENVELOPE)


def reads_as_the_sdk(event: Any, ours: tuple[Any, Exception | None] | None = None) -> None:
    """`ours`: what the skill's serializer made of `event` (read here when not given)."""
    read, raised = ours or outcome(EnvelopeSerializer().read_envelope, event)
    sdk_read, sdk_raised = outcome(sdk_reading, event)
    assert type(raised) is type(sdk_raised), (raised, sdk_raised)
    if raised is None:
        same(read, sdk_read)


def writes_as_the_sdk(answer: Any, written: Any) -> None:
    same(written, DefaultSerializer().serialize(answer), "answer")
