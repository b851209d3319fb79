"""The ASK SDK's request and response models, read and written by plans made once per
model class rather than by reflection on every field of every request.

The SDK's DefaultSerializer reads a request from JSON text: `json.loads`, then for every
field it parses the field's type string with a regular expression, imports the field's
class by name (`__import__`, ~15 a turn) and merges the class's attribute map again;
writing an answer merges each class's attribute map again too. About a quarter of a
warm turn. Here each model class gets its plan once: which payload key fills which
attribute, with which type, parsed once.

Reading takes the event as the host parsed it (a dict of JSON values), so there is no
JSON round trip either, and builds the same objects the SDK builds from that event's
JSON text: the same classes (discriminators resolved by the SDK's own
`get_real_child_model`), the same attributes set in the same order (unknown keys too,
as the SDK sets them), timestamps read by the serializer's own reader, primitive
values cast by the SDK's own cast. Values typed `object` (the session attributes, an
APL event's arguments) are copied, as the JSON round trip gave the SDK a copy.

Anything that is not plain JSON (a tuple, a key that is not a string, any other object)
or that the SDK reads in an odd way of its own (text where an object belongs, a list
where a number does, an unknown discriminator) raises `Unusual`, and the caller takes
the SDK's own path for the whole event: such input is read, or refused, exactly as
before. tests/test_model_io.py and the suite's conftest check both against the SDK.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

# A field's type, parsed once from the SDK's type string: (kind, detail).
OBJECT = 0  # detail None: any JSON value, copied
PRIMITIVE = 1  # detail: str, int, float or bool
MOMENT = 2  # detail: date or datetime
MODEL = 3  # detail: the model class (an Enum too)
LIST = 4  # detail: the items' Spec
DICT = 5  # detail: the values' Spec
Spec = tuple[int, Any]

_NATIVE: dict[str, Any] = {
    "int": int,
    "long": int,
    "float": float,
    "str": str,
    "bool": bool,
    "date": date,
    "datetime": datetime,
    "object": object,
}
_SCALARS = (str, int, float, bool)
_LIST = re.compile(r"list\[(.*)\]")  # the SDK's own patterns (re.match)
_DICT = re.compile(r"dict\(([^,]*), (.*)\)")


class Unusual(Exception):
    """Input the plans do not read the SDK's way: the caller takes the SDK's path."""


LEAVES = frozenset({str, int, float, bool, type(None)})  # JSON's scalars, as Python reads them


def plain(value: Any) -> Any:
    """A copy of a JSON value (what a JSON round trip gives); Unusual for anything else."""
    kind = type(value)
    if kind in LEAVES:
        return value
    if kind is dict:
        return {
            _text(key): item if type(item) in LEAVES else plain(item) for key, item in value.items()
        }
    if kind is list:
        return [item if type(item) in LEAVES else plain(item) for item in value]
    raise Unusual(kind.__name__)


def _text(key: Any) -> str:
    if type(key) is not str:  # JSON would have turned it into text: not ours to guess
        raise Unusual("a key that is not text")
    return key


class JsonAttributes(dict[str, Any]):
    """Session attributes as read (a copy of JSON values, which nothing changes): the
    SDK's AttributesManager deep-copies them for the handlers, and `plain` does that
    ~4x faster than `copy.deepcopy`, to an equal plain dict."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return {key: item if type(item) in LEAVES else plain(item) for key, item in self.items()}


class _Plan:
    __slots__ = ("fields", "pick")

    def __init__(
        self,
        fields: dict[str, tuple[tuple[str, str | None], ...]],
        pick: Callable[[dict[str, Any]], Any] | None,
    ) -> None:
        # payload key -> (attribute, its type's name; None: the SDK has none) for each
        # attribute the key fills (one, unless a class maps two attributes to one key).
        # A type is resolved on first use, as the SDK imports a field's class only when
        # a payload has the field.
        self.fields = fields
        self.pick = pick  # the class's discriminator, when it has one


class Reader:
    """Reads payloads into model objects by cached plans. `load_class` resolves a class
    name as the SDK does, `cast` is the SDK's cast of a primitive, `moment` the
    serializer's reading of a date or a datetime (each may raise: the caller then
    takes the SDK's path)."""

    def __init__(
        self,
        load_class: Callable[[str], Any],
        cast: Callable[[Any, type], Any],
        moment: Callable[[str, type], Any],
    ) -> None:
        self._load, self._cast, self._moment = load_class, cast, moment
        self._specs: dict[str, Spec] = {}
        self._plans: dict[type, _Plan | None] = {}

    def read(self, payload: Any, type_name: str) -> Any:
        return self._value(payload, self._spec(type_name))

    def _value(self, payload: Any, spec: Spec) -> Any:
        if payload is None:
            return None
        kind, detail = spec
        if kind == MODEL:
            return self._model(payload, detail)
        if kind == PRIMITIVE:
            if type(payload) is detail:
                return payload
            if type(payload) not in _SCALARS:
                raise Unusual("a primitive field holding a structure")
            return self._cast(payload, detail)
        if kind == OBJECT:
            return plain(payload)
        if kind == LIST:
            if type(payload) is not list:
                raise Unusual("a list field holding something else")
            return [self._value(item, detail) for item in payload]
        if kind == DICT:
            if type(payload) is not dict:
                raise Unusual("a dict field holding something else")
            if detail[0] == OBJECT:  # the session attributes: JSON values, copied
                return plain(payload)
            return {_text(key): self._value(item, detail) for key, item in payload.items()}
        if type(payload) is not str:
            raise Unusual("a date that is not text")
        return self._moment(payload, detail)

    def _model(self, payload: Any, model: type) -> Any:
        plan = self._plan(model)
        if plan is None:
            if issubclass(model, Enum) and type(payload) in _SCALARS:
                return model(payload)
            if issubclass(model, Enum) or hasattr(model, "deserialized_types"):
                raise Unusual("an enum value that is not a scalar, or an odd model")
            return plain(payload)  # no fields: the SDK keeps the value as sent
        if type(payload) is not dict:
            raise Unusual("a model field holding something else")
        if plan.pick is not None:
            name = plan.pick(payload)
            if not name:
                raise Unusual("no class for this discriminator")
            model = self._load(name)
            plan = self._plan(model)
            if plan is None:
                raise Unusual("a discriminator naming a class without fields")
        made = model()
        fields = plan.fields
        unknown = False
        for key, item in payload.items():
            if key not in fields:
                unknown = True
                continue
            for attribute, type_name in fields[key]:
                if type_name is None:
                    raise Unusual("a field without a type")
                spec = self._specs.get(type_name) or self._spec(type_name)
                setattr(made, attribute, self._value(item, spec))
        if unknown:  # after the known ones, as the SDK: it keeps them as attributes, as sent
            for key, item in payload.items():
                if key not in fields:
                    setattr(made, _text(key), plain(item))
        return made

    def _plan(self, model: type) -> _Plan | None:
        """The class's plan; None for an Enum or a class without a dict of field types."""
        if model in self._plans:
            return self._plans[model]
        plan = None
        types = getattr(model, "deserialized_types", None)
        if not issubclass(model, Enum) and isinstance(types, dict):
            fields: dict[str, tuple[tuple[str, str | None], ...]] = {}
            for attribute, key in _keys(model, types).items():
                type_name = types.get(attribute)
                named = type_name if isinstance(type_name, str) else None
                fields[key] = (*fields.get(key, ()), (attribute, named))
            plan = _Plan(fields, getattr(model, "get_real_child_model", None))
        self._plans[model] = plan
        return plan

    def _spec(self, name: str) -> Spec:
        found = self._specs.get(name)
        if found is None:
            found = self._specs[name] = self._parse(name)
        return found

    def _parse(self, name: str) -> Spec:
        if name.startswith("list["):
            inner = _LIST.match(name)
            if inner is None or "," in inner.group(1):
                raise Unusual("a list type the plans do not read")
            return LIST, self._spec(inner.group(1).strip())
        if name.startswith("dict("):
            inner = _DICT.match(name)
            if inner is None:
                raise Unusual("a dict type the plans do not read")
            return DICT, self._spec(inner.group(2))
        found = _NATIVE[name] if name in _NATIVE else self._load(name)
        if found is object:
            return OBJECT, None
        if found in (date, datetime):
            return MOMENT, found
        if found in _SCALARS:
            return PRIMITIVE, found
        if isinstance(found, type) and not issubclass(found, bytes):
            return MODEL, found
        raise Unusual("a type the plans do not read")


_NOT_MODELS = (bool, int, float, bytes, str, list, tuple, dict, date, Enum, Decimal)


def written_names(kind: type) -> tuple[tuple[str, str], ...] | None:
    """(attribute, key) in the order the SDK's serializer writes a model class's fields;
    None for anything the SDK does not write as a model."""
    types = getattr(kind, "deserialized_types", None)
    if issubclass(kind, _NOT_MODELS) or not isinstance(types, dict):
        return None
    names = _keys(kind, types)
    return tuple((attribute, names[attribute]) for attribute in types)


def _keys(model: type, types: dict[str, Any]) -> dict[str, str]:
    """Each attribute's payload key, as the SDK finds it: the class's attribute map, else
    the attribute's own name."""
    names = dict(getattr(model, "attribute_map", {}))
    names.update({name: name for name in types if name not in names})
    return names
