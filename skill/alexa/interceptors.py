"""Per-request plumbing around the handlers.

- PrepareTurn: reads session attributes (bounded, never trusted), reads the store
  once per session (within a deadline) and finds the device's time zone once per
  session, then hands handlers a ready Turn.
- respond(): keeps the session state and turns a Reply into an Alexa response: its
  words, and what it carries besides (a card, the reminders permission request).
- RequestLog: one log line per request: id, type, intent, latency. Never the
  user id, a token or the body.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from ask_sdk_core.dispatch_components.request_components import (
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response
from ask_sdk_model.ui.simple_card import SimpleCard

from skill.alexa import context, permissions
from skill.alexa.household import household_of
from skill.alexa.session_start import ZoneLookup, start_session
from skill.conversation.clock import DEFAULT_ZONE, epoch_ms, local_date, parse_timestamp
from skill.conversation.opening import open_session
from skill.conversation.saving import CARRY_OVER, SAVE_DEADLINE_S, Saver, bounded
from skill.conversation.state import SessionState
from skill.conversation.turn import Reply, Turn
from skill.progress.records import ProgressUpdate, UserProgress
from skill.routine.model import Routine
from skill.speech import ssml
from skill.speech.copy import copy_for, supported
from skill.speech.script import Item, Say
from skill.store.base import ProgressStore, write_stamp

log = logging.getLogger("skill")

TURN = "turn"
STARTED = "started"
REPLY = "reply"
LOADED = "loaded"  # the progress read at session start (this request only)


class PrepareTurn(AbstractRequestInterceptor):
    def __init__(
        self,
        store: Callable[[], ProgressStore],
        routine: Routine,
        zone_lookup: ZoneLookup,
        default_zone: str = DEFAULT_ZONE,
        zone_bound: float | None = None,
    ) -> None:
        self.store, self.routine, self.zone_lookup = store, routine, zone_lookup
        self.default_zone = default_zone
        self.zone_bound = zone_bound  # None: session_start's own (timezone.TOTAL_TIMEOUT)

    def process(self, handler_input: HandlerInput) -> None:
        if context.request_type(handler_input).startswith("AlexaSkillEvent."):
            return  # no session and no speech: handled on its own
        manager = handler_input.attributes_manager
        stamp = parse_timestamp(context.timestamp(handler_input), warn=True)  # the turn's time
        attributes: Any = manager.session_attributes
        guess = attributes.get("time_zone") if isinstance(attributes, dict) else None
        state = SessionState.from_attributes(
            attributes,
            today=local_date(stamp, guess if isinstance(guess, str) else self.default_zone),
            known_ids=self.routine.ids,
        )
        locale = context.locale(handler_input)
        copy = copy_for(locale)
        notes: list[Item] = []
        user = context.owner_key(handler_input)  # the recognised person, else the account
        store = self.store()
        if not state.loaded:
            if not supported(locale):
                notes.append(Say(copy.say("welcome.unsupported_locale")))
            if not self.load(state, store, user, handler_input, stamp):
                notes.append(Say(copy.say("progress.load_failed")))
        write = None
        if user:
            owner, routine_ids = user, self.routine.ids
            turn_stamp = write_stamp()  # orders this turn's write after earlier turns'

            def save(update: ProgressUpdate) -> UserProgress:
                return store.save(owner, update, routine_ids, turn_stamp)

            write = bounded(save)
        manager.request_attributes[TURN] = Turn(
            state=state,
            routine=self.routine,
            copy=copy,
            today=local_date(stamp, state.time_zone),
            now_ms=epoch_ms(stamp),
            saver=Saver(write, pending=ProgressUpdate.from_dict(state.pending)),
            carry=(lambda update: CARRY_OVER.keep(user, update)) if user else (lambda _: None),
            notes=notes,
            household=household_of(handler_input),
        )

    def load(
        self,
        state: SessionState,
        store: ProgressStore,
        user: str | None,
        handler_input: HandlerInput,
        stamp: datetime,
    ) -> bool:
        """The once-per-session read. False when the store could not be reached in time."""
        # The store read and the time-zone lookup run concurrently: one round trip.
        read = bounded(store.load, SAVE_DEADLINE_S)
        bound = {} if self.zone_bound is None else {"zone_bound": self.zone_bound}
        start = start_session(
            read, user, handler_input, self.zone_lookup, self.default_zone, **bound
        )
        progress = start.progress
        handler_input.attributes_manager.request_attributes[LOADED] = progress
        state.time_zone, state.zone_known = start.time_zone, start.zone_known
        today = local_date(stamp, state.time_zone)
        carried = CARRY_OVER.take(user) if user else None
        open_session(state, progress, today, self.routine, carried)
        return progress is not None


def turn_of(handler_input: HandlerInput) -> Turn | None:
    """The Turn PrepareTurn made for this request (None for skill events)."""
    found = handler_input.attributes_manager.request_attributes.get(TURN)
    return found if isinstance(found, Turn) else None


def turn_for(handler_input: HandlerInput) -> Turn:
    found = turn_of(handler_input)
    if found is None:  # PrepareTurn runs before every spoken request; the ErrorHandler answers
        raise LookupError("no turn prepared for this request")
    return found


def replied(handler_input: HandlerInput) -> Reply | None:
    """The reply respond() spoke for this request, if any."""
    found = handler_input.attributes_manager.request_attributes.get(REPLY)
    return found if isinstance(found, Reply) else None


def respond(handler_input: HandlerInput, reply: Reply, turn: Turn) -> Response:
    """Keep the session state and speak the reply (the dialogue has saved already), with
    what the reply carries besides words: the AskFor directive, one card at most."""
    handler_input.attributes_manager.session_attributes = turn.state.to_attributes()
    handler_input.attributes_manager.request_attributes[REPLY] = reply  # for the screen
    builder = handler_input.response_builder
    if reply.silent or not context.may_speak(handler_input):
        return builder.response
    builder.speak(ssml.document(reply.items))
    if reply.reprompt is None:
        builder.set_should_end_session(True)
    else:
        builder.ask(ssml.document(reply.reprompt))
    if reply.ask_permission_for is not None:
        builder.add_directive(permissions.ask_for_reminders(reply.ask_permission_for))
    if reply.consent_card:
        builder.set_card(permissions.consent_card())
    elif reply.card is not None:
        builder.set_card(SimpleCard(title=reply.card.title, content=reply.card.text))
    return builder.response


class RequestLogStart(AbstractRequestInterceptor):
    def process(self, handler_input: HandlerInput) -> None:
        handler_input.attributes_manager.request_attributes[STARTED] = time.perf_counter()


class RequestLog(AbstractResponseInterceptor):
    def process(self, handler_input: HandlerInput, response: Response) -> None:
        started = handler_input.attributes_manager.request_attributes.get(STARTED)
        millis = (time.perf_counter() - started) * 1000 if isinstance(started, float) else -1.0
        log.info(
            "request %s %s %s %.1f ms",
            context.request_id(handler_input),
            context.request_type(handler_input),
            context.intent_name(handler_input) or "-",
            millis,
        )
