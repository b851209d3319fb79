"""The intents spec (intents.toml) and the interaction model built from it.

The model files in interaction_model/ are generated from this spec and the
routine data (`python -m skill model`), so the EXERCISE slot can never drift
from the routine, and the console matches utterances with the very samples
Alexa is given.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from skill.routine.model import load_routine

EXERCISE_SLOT_TYPE = "EXERCISE"


@dataclass(frozen=True)
class IntentSpec:
    name: str
    samples: tuple[str, ...]
    slots: Mapping[str, str]  # slot name -> slot type


@dataclass(frozen=True)
class Spec:
    invocation: str
    locales: tuple[str, ...]
    intents: tuple[IntentSpec, ...]  # custom first, then built-ins
    exercise_values: Mapping[str, tuple[str, ...]]  # exercise id -> names, canonical first

    @property
    def intent_names(self) -> frozenset[str]:
        return frozenset(intent.name for intent in self.intents)


@lru_cache(maxsize=1)
def load_spec() -> Spec:
    text = resources.files("skill.alexa").joinpath("intents.toml").read_text("utf-8")
    data = tomllib.loads(text)
    intents = [
        IntentSpec(name, tuple(body["samples"]), dict(body.get("slots", {})))
        for name, body in data["intents"].items()
    ]
    intents += [IntentSpec(name, tuple(samples), {}) for name, samples in data["builtins"].items()]
    return Spec(
        invocation=data["invocation"],
        locales=tuple(data["locales"]),
        intents=tuple(intents),
        exercise_values={key: tuple(names) for key, names in data["exercise_values"].items()},
    )


def build_model(locale: str, spec: Spec | None = None) -> dict[str, Any]:
    """The interaction model JSON for one locale (the same English words for each)."""
    spec = spec or load_spec()
    routine_ids = load_routine().ids
    intents = []
    for intent in spec.intents:
        entry: dict[str, Any] = {"name": intent.name, "samples": list(intent.samples)}
        if intent.slots:
            entry["slots"] = [{"name": name, "type": kind} for name, kind in intent.slots.items()]
        intents.append(entry)
    values = [
        {
            "id": exercise_id,
            "name": {"value": names[0], "synonyms": list(names[1:])},
        }
        for exercise_id in routine_ids
        for names in [spec.exercise_values[exercise_id]]
    ]
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": spec.invocation,
                "intents": intents,
                "types": [{"name": EXERCISE_SLOT_TYPE, "values": values}],
            }
        },
        "version": "1",
    }
