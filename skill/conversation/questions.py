"""What each phase asks: data, read without side effects.

`question(turn, phase)` is what a phase says when it asks, again on a reprompt, after
"what?" or a misheard utterance. `settled(turn, phase)` is the phase that really asks
something: a phase with nothing to ask (START, an answered reminder question) falls
back to the place's own question, or to "start your routine?" without a place.

An action asks by returning `reask(turn, lead, phase)`: its words, then that phase's
question, with the phase on the Reply (the dispatcher keeps it in the session).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

from msgspec import Struct, field

from skill.conversation import state as phases
from skill.conversation.nudging import ASKING_IN, reminder_question
from skill.conversation.places import exercises_done_today, missing_today, saved_place
from skill.conversation.turn import Reply, Turn
from skill.conversation.words import exercise_seconds, join, minutes
from skill.speech.narrate import READY
from skill.speech.script import Item

Values = Callable[[Turn], dict[str, object]]


def _none(turn: Turn) -> dict[str, object]:
    return {}


class Question(Struct, frozen=True):
    """A phase's question: its words, its reprompt, and the values they name."""

    ask: str | Callable[[Turn], str]  # a copy key, or the key as the day decides
    again: str | Callable[[Turn], str]
    values: Values = field(default=_none)


def _offered(turn: Turn) -> str:
    offer = turn.state.offer or ""
    return turn.name(offer) if offer in turn.routine.ids else ""


def _first_exercise(turn: Turn) -> dict[str, object]:
    return {"name": turn.name(turn.routine.ids[0])}


def _offered_name(turn: Turn) -> dict[str, object]:
    return {"name": _offered(turn)}


def _skipped(turn: Turn) -> dict[str, object]:
    seconds = exercise_seconds(turn, turn.state.offer or "")
    left = [turn.name(i) for i in missing_today(turn)] or [_offered(turn)]  # named exactly
    return {"name": _offered(turn), "names": join(turn, left), "minutes": minutes(turn, seconds)}


def _more_reps(turn: Turn) -> dict[str, object]:
    offer = turn.state.offer or ""
    return {"reps": turn.copy.number(int(offer)) if offer.isdigit() else ""}


def _done_count(turn: Turn) -> dict[str, object]:
    return {"count": turn.copy.number(len(exercises_done_today(turn)))}


def _feeling(turn: Turn) -> str:
    """After a stop: "last time we stopped so you could rest"; unsure (the store could
    not be read): just how the feet are."""
    saved = saved_place(turn)
    return (
        "welcome.ask_feeling"
        if saved is not None and saved.rested
        else "welcome.ask_feeling_unsure"
    )


def _start_over(turn: Turn) -> str:
    return "asks.start_over" if len(exercises_done_today(turn)) > 1 else "asks.start_from_top"


def _care_names(turn: Turn) -> list[str]:
    names = turn.state.care.get("names")
    return [str(name) for name in names] if isinstance(names, list) else []


def _message_for(turn: Turn) -> dict[str, object]:
    names = _care_names(turn)
    return {"who": names[0] if names and names[0] else turn.copy.say("care.them")}


def _whose(turn: Turn) -> str:
    sending = turn.state.care.get("then") == "SendMessageIntent"
    return "care.which_message" if sending else "care.which"


def _whose_names(turn: Turn) -> dict[str, object]:
    return {"names": join(turn, _care_names(turn))}


def _stop(turn: Turn) -> str:
    return "care.stop_all_question" if turn.state.care.get("count") else "care.stop_one_question"


def _stopping(turn: Turn) -> dict[str, object]:
    names = _care_names(turn)
    count = turn.state.care.get("count")
    return {
        "who": names[0] if names else turn.copy.say("care.someone"),
        "count": turn.copy.number(count if isinstance(count, int) else 0),
    }


QUESTIONS: Mapping[str, Question] = MappingProxyType(
    {
        phases.OFFER_WARM_UP: Question(
            "welcome.offer_warm_up", "welcome.offer_warm_up_reprompt", _first_exercise
        ),
        phases.OFFER_RESUME: Question(
            "welcome.offer_resume", "welcome.offer_resume_reprompt", _offered_name
        ),
        phases.ASK_FEELING: Question(_feeling, "welcome.ask_feeling_reprompt"),
        phases.OFFER_AGAIN: Question("welcome.offer_again", "welcome.offer_again_reprompt"),
        phases.OFFER_START: Question("asks.start", "asks.start_reprompt"),
        phases.OFFER_EXERCISE: Question(
            "asks.exercise_offer", "asks.exercise_offer_reprompt", _offered_name
        ),
        phases.OFFER_SKIPPED: Question(
            "asks.skipped_offer", "asks.skipped_offer_reprompt", _skipped
        ),
        phases.OFFER_STANDING: Question("offers.standing", "offers.standing_reprompt"),
        phases.OFFER_MORE_REPS: Question(
            "offers.more_reps", "offers.more_reps_reprompt", _more_reps
        ),
        phases.OFFER_REDO: Question("asks.redo", "asks.redo_reprompt"),
        phases.CONFIRM_START_OVER: Question(_start_over, "asks.start_over_reprompt", _done_count),
        phases.CHOOSE: Question("asks.which", "asks.which_reprompt"),
        phases.CRAMP: Question("symptoms.cramp_ask", "symptoms.cramp_reprompt"),
        phases.FINISH_UNSAVED: Question(
            "progress.finish_save_failed", "progress.finish_save_failed"
        ),
        phases.CONFIRM_SHARE: Question("care.offer_code_question", "care.offer_code_question"),
        phases.AWAIT_CODE: Question("care.code_question_again", "care.code_question_again"),
        phases.AWAIT_MESSAGE: Question(
            "care.message_question", "care.message_question", _message_for
        ),
        phases.WHOSE: Question(_whose, _whose, _whose_names),
        phases.CONFIRM_STOP: Question(_stop, _stop, _stopping),
    }
)
AT_THE_PLACE = frozenset({phases.ROUTINE, phases.GATE})  # the segment's own prompt asks


def settled(turn: Turn, phase: str) -> str:
    """The phase that asks something, from the one an action names."""
    if phase in ASKING_IN and reminder_question(turn, phase) is not None:
        return phase
    index = turn.index
    if phase in AT_THE_PLACE and index is not None:
        return phase
    if phase in QUESTIONS:
        return phase
    if index is not None:  # an answered question mid-routine: back to the place
        return phases.GATE if turn.segments[index].kind == READY else phases.ROUTINE
    return phases.OFFER_START


def question(turn: Turn, phase: str) -> tuple[list[Item], list[Item]]:
    """What a settled phase asks, and its reprompt."""
    if phase in ASKING_IN:
        found = reminder_question(turn, phase)
        if found is not None:
            return found
    index = turn.index
    if phase in AT_THE_PLACE and index is not None:
        segment = turn.segments[index]
        more = "asks.gate" if phase == phases.GATE else "asks.routine"
        return list(segment.prompt), [*segment.prompt, turn.say(more)]
    asked = QUESTIONS[phase] if phase in QUESTIONS else QUESTIONS[phases.OFFER_START]
    values = asked.values(turn)
    key = asked.ask if isinstance(asked.ask, str) else asked.ask(turn)
    again = asked.again if isinstance(asked.again, str) else asked.again(turn)
    return [turn.say(key, **values)], [turn.say(again, **values)]


def ask(
    turn: Turn, items: Sequence[Item], reprompt: Sequence[Item], phase: str | None = None
) -> Reply:
    """Words and a reprompt, the session open; `phase` is what they asked."""
    return Reply([*turn.notes, *items], list(reprompt), phase=phase)


def end(turn: Turn, items: Sequence[Item], phase: str | None = None) -> Reply:
    return Reply([*turn.notes, *items], None, phase=phase)


def reask(turn: Turn, lead: Sequence[Item] = (), phase: str | None = None) -> Reply:
    """Say `lead`, then what `phase` asks (by default, the phase the turn is in)."""
    now = settled(turn, phase or turn.state.phase)
    asked, again = question(turn, now)
    return ask(turn, [*lead, *asked], again, now)
