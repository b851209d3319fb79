"""Request handlers for the daily reminder, Alexa's permission answer and the weekly card.

Each builds a ReminderDialogue over the session's NudgeSession, turns its Answer into
the conversation's Reply (a reminder question, or carrying on with what the person
was doing), and adds what only a response can carry: the AskFor directive, a card.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler, AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response
from ask_sdk_model.ui.simple_card import SimpleCard

from skill.alexa import context, permissions
from skill.alexa.interceptors import TURN, respond
from skill.alexa.reminders import ReminderService
from skill.conversation import state as phases
from skill.conversation.clock import DEFAULT_ZONE
from skill.conversation.turn import Reply, Turn
from skill.reminders.dialogue import Answer, NudgeSession, ReminderDialogue
from skill.speech.script import Item

TIME_SLOT = "time"
SET_REMINDER = "SetReminderIntent"  # set or change: the same one reminder
READ_REMINDER = "ReadReminderIntent"
CANCEL_REMINDER = "CancelReminderIntent"
REMINDER_INTENTS = (SET_REMINDER, READ_REMINDER, CANCEL_REMINDER)


def dialogue_for(handler_input: HandlerInput, turn: Turn) -> ReminderDialogue:
    return ReminderDialogue(
        session=NudgeSession.from_dict(turn.state.nudges),
        copy=turn.copy,
        time_zone=turn.state.time_zone or DEFAULT_ZONE,
        timestamp=context.timestamp(handler_input),
        port=lambda: ReminderService.of(handler_input),
        granted=permissions.reminders_granted(handler_input),
    )


def carry_on(turn: Turn, items: list[Item]) -> Reply:
    """After a reminder exchange: back to what the person was doing."""
    state = turn.state
    if state.phase == phases.ROUTINE and turn.current_index() is not None:
        return turn.reask(items)
    if turn.today_iso == state.summary.last_day:
        return turn.end([*items, turn.say("moves.see_you")])
    resume = turn.resumable()
    if resume is not None:
        state.phase, state.offer = phases.OFFER_RESUME, turn.route.segment_ids[resume]
        name = turn.name(turn.route.exercise_at(resume))
        ask = turn.say("welcome.offer_resume", name=name)
        return turn.ask([*items, ask], [turn.say("welcome.offer_resume_reprompt", name=name)])
    return turn.offer_start(items)


def answer_with(
    handler_input: HandlerInput, turn: Turn, dialogue: ReminderDialogue, answer: Answer
) -> Response:
    """Speak the answer (saving what it changed with the turn), then add directive and card."""
    turn.record(answer.update)
    if answer.question is not None:
        question, reprompt = answer.question
        reply = turn.ask([*answer.items, *question], reprompt)
    elif answer.ask_permission is not None:
        turn.keep_place()  # Alexa takes over the conversation: the place must be saved
        reply = turn.end(answer.items)
    else:
        reply = carry_on(turn, answer.items)
    turn.state.nudges = dialogue.session.to_dict()
    respond(handler_input, turn, reply)
    builder = handler_input.response_builder
    if answer.ask_permission is not None:
        builder.add_directive(permissions.ask_for_reminders(answer.ask_permission))
    if answer.consent_card:
        builder.set_card(permissions.consent_card())
    elif answer.card is not None:
        builder.set_card(SimpleCard(title=answer.card.title, content=answer.card.text))
    return builder.response


def _current_turn(handler_input: HandlerInput) -> Turn | None:
    found = handler_input.attributes_manager.request_attributes.get(TURN)
    return found if isinstance(found, Turn) else None


def _turn(handler_input: HandlerInput) -> Turn:
    turn = _current_turn(handler_input)
    assert turn is not None  # PrepareTurn made one for every request with a session
    return turn


class ReminderIntentHandler(AbstractRequestHandler):
    """Set (or change), read or cancel the daily reminder."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return context.intent_name(handler_input) in REMINDER_INTENTS

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = _turn(handler_input)
        dialogue = dialogue_for(handler_input, turn)
        intent = context.intent_name(handler_input)
        if intent == READ_REMINDER:
            answer = dialogue.read()
        elif intent == CANCEL_REMINDER:
            answer = dialogue.cancel()
        else:
            found = context.slot(handler_input, TIME_SLOT)
            answer = dialogue.request(found.value if found is not None else None)
        return answer_with(handler_input, turn, dialogue, answer)


class ReminderQuestionHandler(AbstractRequestHandler):
    """Yes or no while a reminder question is open."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not (
            is_intent_name("AMAZON.YesIntent")(handler_input)
            or is_intent_name("AMAZON.NoIntent")(handler_input)
        ):
            return False
        turn = _current_turn(handler_input)
        return turn is not None and NudgeSession.from_dict(turn.state.nudges).asking is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = _turn(handler_input)
        dialogue = dialogue_for(handler_input, turn)
        yes = is_intent_name("AMAZON.YesIntent")(handler_input)
        answer = dialogue.yes() if yes else dialogue.no()
        return answer_with(handler_input, turn, dialogue, answer)


class PermissionAnswerHandler(AbstractRequestHandler):
    """Alexa's Connections.Response to our AskFor: accepted, denied or not answered."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("Connections.Response")(handler_input) and (
            permissions.permission_answer(handler_input) is not None
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = _turn(handler_input)
        found = permissions.permission_answer(handler_input)
        assert found is not None  # can_handle checked it
        dialogue = dialogue_for(handler_input, turn)
        return answer_with(
            handler_input, turn, dialogue, dialogue.permission(found.status, found.at)
        )


class WeeklySummaryHandler(AbstractRequestHandler):
    """ "How am I doing?": the spoken answer as before, and the week's card in the app
    (at most once a day)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ProgressIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = _turn(handler_input)
        dialogue = dialogue_for(handler_input, turn)
        summary = turn.state.summary
        answer = dialogue.summary_card(
            turn.today, summary.total, summary.streak, summary.last_day == turn.today_iso
        )
        reply = turn.progress()
        # The card's sentence goes after the figures, before the question that follows
        # them (asking again gives exactly that question).
        question = len(turn.reask().items) - len(turn.notes)
        at = max(len(reply.items) - question, 0)
        reply.items[at:at] = answer.items
        turn.record(answer.update)
        turn.state.nudges = dialogue.session.to_dict()
        respond(handler_input, turn, reply)
        builder = handler_input.response_builder
        if answer.card is not None:
            builder.set_card(SimpleCard(title=answer.card.title, content=answer.card.text))
        return builder.response


class CloseReminderQuestion(AbstractRequestInterceptor):
    """A reminder question stays open for one answer only: anything but yes, no or a
    time closes it, so a later yes answers the question the person last heard."""

    ANSWERS = ("AMAZON.YesIntent", "AMAZON.NoIntent", SET_REMINDER)

    def process(self, handler_input: HandlerInput) -> None:
        turn = _current_turn(handler_input)
        if turn is None or not turn.state.nudges:
            return
        if context.intent_name(handler_input) in self.ANSWERS:
            return
        session = NudgeSession.from_dict(turn.state.nudges)
        if session.asking is not None:
            session.close_question()
            turn.state.nudges = session.to_dict()


# Registered in skill.alexa.app before the generic intent handlers (ProgressIntent, yes/no).
HANDLERS: tuple[AbstractRequestHandler, ...] = (
    PermissionAnswerHandler(),
    ReminderQuestionHandler(),
    ReminderIntentHandler(),
    WeeklySummaryHandler(),
)
