"""Per-request plumbing around the handlers.

- PrepareTurn: reads session attributes (defensively), reads the store once per
  session, finds the device's time zone once per session, and hands handlers a
  ready Turn.
- respond(): saves what the turn changed (at most one write) and turns a Reply
  into an Alexa response.
- RequestLog: one log line per request: id, type, intent, latency. Never the
  user id, a token or the body.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

from ask_sdk_core.dispatch_components import (
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.alexa import context
from skill.conversation.clock import epoch_ms, local_date
from skill.conversation.state import SessionState
from skill.conversation.turn import WELCOMED, Keeper, Reply, Turn
from skill.progress import session_figures as figures
from skill.progress.records import ProgressUpdate, UserProgress
from skill.routine.model import Routine
from skill.routine.settings import Settings
from skill.speech import ssml
from skill.speech.copy import copy_for, supported
from skill.speech.script import Say
from skill.store.base import ProgressStore, StoreUnavailable

log = logging.getLogger("skill")

TURN = "turn"
STARTED = "started"

ZoneLookup = Callable[[HandlerInput, str | None], str]


class StoreKeeper(Keeper):
    """Saves one user's progress; a storage fault is reported as None, not raised."""

    def __init__(self, store: ProgressStore, user: str | None, required: Sequence[str]) -> None:
        self.store, self.user, self.required = store, user, tuple(required)

    def save(self, update: ProgressUpdate) -> UserProgress | None:
        if not self.user:
            return None
        try:
            return self.store.save(self.user, update, self.required)
        except StoreUnavailable as error:
            log.warning("progress not saved, kept for the next turn: %s", error)
            return None


class PrepareTurn(AbstractRequestInterceptor):
    def __init__(
        self,
        store: Callable[[], ProgressStore],
        routine: Routine,
        zone_lookup: ZoneLookup,
        default_zone: str = "UTC",
    ) -> None:
        self.store, self.routine, self.zone_lookup = store, routine, zone_lookup
        self.default_zone = default_zone

    def process(self, handler_input: HandlerInput) -> None:
        if context.request_type(handler_input).startswith("AlexaSkillEvent."):
            return  # no session and no speech: handled on its own
        manager = handler_input.attributes_manager
        state = SessionState.from_attributes(manager.session_attributes)
        locale = context.locale(handler_input)
        copy = copy_for(locale)
        notes = []
        user = context.user_id(handler_input)
        store = self.store()
        if not state.loaded:
            if not supported(locale):
                notes.append(Say(copy.say("welcome.unsupported_locale")))
            if not self.load(state, store, user, handler_input):
                notes.append(Say(copy.say("progress.load_failed")))
        stamp = context.timestamp(handler_input)
        manager.request_attributes[TURN] = Turn(
            state=state,
            routine=self.routine,
            copy=copy,
            today=local_date(stamp, state.time_zone),
            now_ms=epoch_ms(stamp),
            keeper=StoreKeeper(store, user, self.routine.ids),
            summarize=figures.session_figures,
            notes=notes,
        )

    def load(
        self,
        state: SessionState,
        store: ProgressStore,
        user: str | None,
        handler_input: HandlerInput,
    ) -> bool:
        """The once-per-session read. False when the store could not be reached."""
        loaded = True
        progress = UserProgress()
        if user:
            try:
                progress = store.load(user)
            except StoreUnavailable as error:
                log.warning("progress not loaded: %s", error)
                loaded = False
        state.loaded = True
        state.time_zone = self.zone_lookup(handler_input, progress.time_zone or self.default_zone)
        today = local_date(context.timestamp(handler_input), state.time_zone)
        state.settings = Settings.from_dict(progress.settings).to_dict()
        state.first_use = loaded and WELCOMED not in progress.milestones
        state.saved_position = progress.position.to_dict() if progress.position else None
        state.summary = figures.session_figures(progress, today)
        state.milestones_if_done = figures.milestones_if_completed(progress, today, self.routine)
        state.offers = figures.offers(progress, today, self.routine)
        return loaded


def respond(handler_input: HandlerInput, turn: Turn, reply: Reply) -> Response:
    """Save the turn's changes, keep the session state, and speak the reply."""
    reply = turn.conclude(reply)
    handler_input.attributes_manager.session_attributes = turn.state.to_attributes()
    builder = handler_input.response_builder
    if reply.silent:
        return builder.response
    builder.speak(ssml.speak(ssml.fragment(reply.items)))
    if reply.reprompt is None:
        builder.set_should_end_session(True)
    else:
        builder.ask(ssml.speak(ssml.fragment(reply.reprompt)))
    return builder.response


class RequestLogStart(AbstractRequestInterceptor):
    def process(self, handler_input: HandlerInput) -> None:
        handler_input.attributes_manager.request_attributes[STARTED] = time.perf_counter()


class RequestLog(AbstractResponseInterceptor):
    def process(self, handler_input: HandlerInput, response: Response) -> None:
        started = handler_input.attributes_manager.request_attributes.get(STARTED)
        millis = (time.perf_counter() - started) * 1000 if started else -1.0
        log.info(
            "request %s %s %s %.1f ms",
            context.request_id(handler_input),
            context.request_type(handler_input),
            context.intent_name(handler_input) or "-",
            millis,
        )
