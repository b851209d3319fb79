"""The intents specs (intents/<language>.toml) and the interaction models built from them.

One spec per language, written for it (samples, slot values and synonyms as people say
them in that language, not translated word for word), with the same intents and slots as
English. The model files in interaction_model/ are generated from a spec and the routine
data (`python -m skill model`), one per locale of the language (skill/locales/
languages.toml), so the EXERCISE slot can never drift from the routine, and the console
matches utterances with the very samples Alexa is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from msgspec import Struct, field

from skill.routine.model import load_routine
from skill.speech.copy import LANGUAGES, SOURCE_LANGUAGE

INTENTS_DIR = Path(__file__).resolve().parent / "intents"

EXERCISE_SLOT_TYPE = "EXERCISE"
ORDER_SLOT_TYPE = "ORDER"
RELATION_SLOT_TYPE = "RELATION"  # care partners: mum, dad, daughter ...


class IntentSpec(Struct, frozen=True):
    name: str
    samples: tuple[str, ...]
    slots: Mapping[str, str]  # slot name -> slot type


class Spec(Struct, frozen=True):
    language: str
    invocation: str
    locales: tuple[str, ...]
    intents: tuple[IntentSpec, ...]  # custom first, then built-ins
    exercise_values: Mapping[str, tuple[str, ...]]  # exercise id -> names, canonical first
    order_values: Mapping[str, tuple[str, ...]]  # toe-curl order id -> names
    fallback_sensitivity: str  # LOW, MEDIUM or HIGH
    relation_values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # id -> names
    # The other custom slot types (SYMPTOM, PLACE, THING): type -> value id -> names.
    other_types: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)

    def slot_values(self, slot_type: str) -> Mapping[str, tuple[str, ...]]:
        """Value id -> names for one of our custom slot types (empty for Amazon's)."""
        types = {
            EXERCISE_SLOT_TYPE: self.exercise_values,
            ORDER_SLOT_TYPE: self.order_values,
            RELATION_SLOT_TYPE: self.relation_values,
        }
        return types.get(slot_type) or self.other_types.get(slot_type, {})

    @property
    def intent_names(self) -> frozenset[str]:
        return frozenset(intent.name for intent in self.intents)


@lru_cache(maxsize=8)
def load_spec(language: str = SOURCE_LANGUAGE) -> Spec:
    """The spec of one language the skill speaks (a key of languages.toml)."""
    # Imported here: modules that only may need the spec (care_handlers) import this one
    # at start, and a first answer reads no spec (no tomllib).
    import tomllib

    text = (INTENTS_DIR / f"{LANGUAGES[language].code}.toml").read_text("utf-8")
    data = tomllib.loads(text)
    intents = [
        IntentSpec(name, tuple(body["samples"]), dict(body.get("slots", {})))
        for name, body in data["intents"].items()
    ]
    intents += [IntentSpec(name, tuple(samples), {}) for name, samples in data["builtins"].items()]
    return Spec(
        language=language,
        invocation=data["invocation"],
        locales=LANGUAGES[language].locales,
        intents=tuple(intents),
        exercise_values={key: tuple(names) for key, names in data["exercise_values"].items()},
        order_values={key: tuple(names) for key, names in data["order_values"].items()},
        fallback_sensitivity=data["fallback_sensitivity"],
        relation_values={key: tuple(names) for key, names in data["relation_values"].items()},
        other_types={
            kind: {key: tuple(names) for key, names in values.items()}
            for kind, values in data.get("slot_types", {}).items()
        },
    )


def spec_for_locale(locale: str) -> Spec:
    return load_spec(locale.split("-")[0])


def build_model(spec: Spec | None = None) -> dict[str, Any]:
    """The interaction model JSON of one language (every locale of it gets the same)."""
    spec = spec or load_spec()
    routine_ids = load_routine().ids
    intents = []
    for intent in spec.intents:
        entry: dict[str, Any] = {"name": intent.name, "samples": list(intent.samples)}
        if intent.slots:
            entry["slots"] = [{"name": name, "type": kind} for name, kind in intent.slots.items()]
        intents.append(entry)
    exercises = {exercise_id: spec.exercise_values[exercise_id] for exercise_id in routine_ids}
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": spec.invocation,
                "modelConfiguration": {
                    "fallbackIntentSensitivity": {"level": spec.fallback_sensitivity}
                },
                "intents": intents,
                "types": [
                    _slot_type(EXERCISE_SLOT_TYPE, exercises),
                    _slot_type(ORDER_SLOT_TYPE, spec.order_values),
                    _slot_type(RELATION_SLOT_TYPE, spec.relation_values),
                    *(_slot_type(kind, values) for kind, values in spec.other_types.items()),
                ],
            }
        },
        "version": "1",
    }


def _slot_type(name: str, values: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
    return {
        "name": name,
        "values": [
            {"id": value_id, "name": {"value": names[0], "synonyms": list(names[1:])}}
            for value_id, names in values.items()
        ],
    }
