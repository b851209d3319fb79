"""What a person says they feel, told apart: the class decides the next step.

Pure: an intent and its resolved slot ids in, a `Told` out. Which words are which
class is the interaction model's (the SYMPTOM and PLACE slot types and the safety
intents in skill/alexa/intents.toml); what the skill says for each class is the
locale's [symptoms] table. Nothing here is stored: a symptom lives for one turn.

The classes, and what follows each:
- baseline (numb, tingling, pins and needles, asleep, cold): the condition itself.
  One line of what to watch for, and the exercise goes on.
- cramp: pause, a gentle release, "say ready when it has passed".
- pain (the feet, or elsewhere; or a sensation we don't know, or one "worse than
  usual"): stop that exercise, with words for where it hurts.
- faint (dizzy, light-headed, wobbly, unwell): stop and sit; the next session asks
  how the person is before anything standing.
- emergency (a fall, the chest, the breath): stop and name the local emergency number.
"""

from __future__ import annotations

from enum import StrEnum

from msgspec import Struct


class Sign(StrEnum):
    BASELINE = "baseline"
    CRAMP = "cramp"
    PAIN = "pain"
    FAINT = "faint"
    EMERGENCY = "emergency"


class Step(StrEnum):
    CARRY_ON = "carry_on"  # one line, then the same question: the exercise goes on
    PAUSE = "pause"  # wait until it passes, then back to the place
    STOP_EXERCISE = "stop_exercise"  # stop, place kept (not counted), rest where it hurts
    SIT = "sit"  # stop and sit; a check-in before any more (standing) work
    CALL = "call"  # stop and name the emergency number


NEXT_STEP: dict[Sign, Step] = {
    Sign.BASELINE: Step.CARRY_ON,
    Sign.CRAMP: Step.PAUSE,
    Sign.PAIN: Step.STOP_EXERCISE,
    Sign.FAINT: Step.SIT,
    Sign.EMERGENCY: Step.CALL,
}

# The intents that tell a symptom (skill/alexa/intents.toml), and the class each means
# when its slot does not say otherwise.
SYMPTOM_INTENT = "SymptomIntent"
PAIN_INTENT = "PainIntent"
SAFETY_INTENT = "SafetyIntent"
EMERGENCY_INTENT = "EmergencyIntent"
BY_INTENT: dict[str, Sign] = {
    SYMPTOM_INTENT: Sign.BASELINE,
    PAIN_INTENT: Sign.PAIN,
    SAFETY_INTENT: Sign.FAINT,
    EMERGENCY_INTENT: Sign.EMERGENCY,
}

UNKNOWN = "unknown"  # a slot that was heard but matched none of our values
FEET = "feet"  # the PLACE id for the feet, toes, heels and ankles
NUMB = "numb"  # the baseline said without a word we resolve ("I can't feel my toes")
CHEST = "chest"  # the PLACE id that makes pain an emergency
PLACES = frozenset({FEET, "knee", "leg", "hip", "back", "hand", "arm"})


class Told(Struct, frozen=True):
    sign: Sign
    detail: str = ""  # the sensation (numb, tingling, asleep, cold) or where it hurts; "" unknown

    @property
    def step(self) -> Step:
        return NEXT_STEP[self.sign]

    @property
    def key(self) -> str:
        """The locale key of this class's own words ([symptoms] in the locale files)."""
        if self.sign is Sign.BASELINE:
            return f"symptoms.baseline.{self.detail}"
        if self.sign is Sign.PAIN:
            if self.detail == FEET:
                return "symptoms.pain_feet"
            return "symptoms.pain_elsewhere" if self.detail else "symptoms.pain_unknown"
        if self.sign is Sign.FAINT:
            return "symptoms.faint"
        if self.sign is Sign.CRAMP:
            return "symptoms.cramp"
        return "symptoms.emergency_after"


def classify(intent: str, symptom: str | None = None, place: str | None = None) -> Told:
    """The class of what was said.

    `symptom` is the SYMPTOM slot's value id (its class before the first "_", the
    sensation after it), UNKNOWN when words were heard that match no value, or None
    when the sample had no slot. `place` is the PLACE slot's value id, likewise.
    An intent we don't know here is taken as pain: stopping is the safe mistake.
    """
    sign = BY_INTENT.get(intent, Sign.PAIN)
    if sign is Sign.BASELINE:
        if symptom is None:
            return Told(Sign.BASELINE, NUMB)
        kind, _, detail = symptom.partition("_")
        if kind == Sign.CRAMP:
            return Told(Sign.CRAMP)
        if kind == Sign.BASELINE and detail:
            return Told(Sign.BASELINE, detail)
        return Told(Sign.PAIN)  # a sensation we don't know: stop that exercise, gently
    if sign is Sign.PAIN:
        if place == CHEST:  # "a pain in my chest" is never a sore foot
            return Told(Sign.EMERGENCY)
        return Told(Sign.PAIN, place if place in PLACES else "")
    return Told(sign)


class CheckIn(StrEnum):
    """The answer to "How are you feeling today?" after a stop."""

    BETTER = "better"  # carry on
    USUAL = "usual"  # the same as usual (numb as always): carry on, gently
    REST = "rest"  # still sore, not great: rest today
    UNCLEAR = "unclear"  # a plain yes: ask again, never read as "fine"


def check_in(told: Told) -> CheckIn:
    """A symptom told as the answer to the check-in: its usual self goes on."""
    if told.sign is Sign.BASELINE:
        return CheckIn.USUAL
    return CheckIn.REST
