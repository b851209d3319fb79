"""The ASK SDK's serializer, reading and writing the same objects faster.

- `read_envelope(event)`: the request envelope from the event as the host parsed it, by
  plans made once per model class (skill/alexa/model_io.py): no JSON round trip, no
  class imported by name on every field. An event the plans do not read the SDK's way
  (not plain JSON, or an odd shape) is read by the SDK's own path, as before.
- `serialize`: the answer written by each model class's field names, found once.
- Class names resolve once (the SDK imports each by name on every use).
- Timestamps are read with the standard library's ISO 8601 parser instead of
  python-dateutil's general one: every request carries one ("2026-05-01T10:00:00Z"),
  and `dateutil.parser.parse` costs ~0.1 ms a turn and ~4 ms to import on a first
  answer. `datetime.fromisoformat` reads every timestamp Alexa sends to the same
  instant; anything it cannot read goes to the SDK's own parser, so an odd timestamp
  is read (or refused) exactly as before.

tests/test_model_io.py checks the objects against the SDK's own, and tests/conftest.py
checks every request and answer of the suite the same way.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.request_envelope import RequestEnvelope

from skill.alexa.model_io import LEAVES, JsonAttributes, Reader, Unusual, written_names

ENVELOPE = "ask_sdk_model.RequestEnvelope"
_SDK = DefaultSerializer  # its private methods, by the names Python stores them under


class EnvelopeSerializer(DefaultSerializer):
    def __init__(self) -> None:
        self._classes: dict[str, Any] = {}
        self._names: dict[type, tuple[tuple[str, str], ...] | None] = {}
        self._reader = Reader(
            self._DefaultSerializer__load_class_from_name,
            self._DefaultSerializer__deserialize_primitive,  # type: ignore[attr-defined]
            self._DefaultSerializer__deserialize_datetime,
        )

    def read_envelope(self, event: dict[str, Any]) -> RequestEnvelope:
        """The request envelope the SDK would read from `json.dumps(event)`: equal
        objects, or the SDK's own exception (it reads what the plans do not)."""
        try:
            envelope = self._reader.read(event, ENVELOPE)
        except Exception:  # Unusual, or anything the SDK reports its own way
            envelope = self.deserialize(payload=json.dumps(event), obj_type=ENVELOPE)
        else:
            session = envelope.session
            if session is not None and type(session.attributes) is dict:
                session.attributes = JsonAttributes(session.attributes)
        if not isinstance(envelope, RequestEnvelope):
            raise Unusual("not a request envelope")
        return envelope

    def serialize(self, obj: Any) -> Any:
        """The SDK's serialize: the same dicts, lists and values, by names found once."""
        kind = type(obj)
        if kind in LEAVES:
            return obj
        if kind is list:
            return [item if type(item) in LEAVES else self.serialize(item) for item in obj]
        if kind is dict:
            return {
                key: value if type(value) in LEAVES else self.serialize(value)
                for key, value in obj.items()
            }
        if kind in self._names:
            names = self._names[kind]
        else:
            names = self._names[kind] = written_names(kind)
        own = getattr(obj, "__dict__", {})
        if names is None or "attribute_map" in own or "deserialized_types" in own:
            return super().serialize(obj)  # (its parts come back here)
        return {
            key: value if type(value) in LEAVES else self.serialize(value)
            for attribute, key in names
            if (value := getattr(obj, attribute)) is not None
        }

    # DefaultSerializer resolves a class name with `__import__` on every field it reads;
    # this is that private method's name as Python stores it. Failures are not kept.
    def _DefaultSerializer__load_class_from_name(self, class_name: str) -> Any:
        found = self._classes.get(class_name)
        if found is None:
            found = _SDK._DefaultSerializer__load_class_from_name(self, class_name)  # type: ignore[attr-defined]
            self._classes[class_name] = found
        return found

    # DefaultSerializer calls its private `__deserialize_datetime` for date and datetime
    # fields; this is that method's name as Python stores it.
    def _DefaultSerializer__deserialize_datetime(self, payload: Any, obj_type: Any) -> Any:
        if isinstance(payload, str):
            try:
                parsed = datetime.fromisoformat(payload)
            except ValueError:
                pass
            else:
                return parsed.date() if obj_type is date else parsed
        sdk_parse = _SDK._DefaultSerializer__deserialize_datetime  # type: ignore[attr-defined]
        return sdk_parse(self, payload, obj_type)
