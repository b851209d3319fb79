"""Running the table: one request of a session, answered.

`hear` answers an utterance with the table's action for the current phase; `launch`
opens a session; `session_ended` keeps the place quietly; `permission_answered` takes
Alexa's answer to the reminders permission request. All of them go through `run`,
which holds the one rule in front of the table (the check-in after a safety stop),
keeps the phase the Reply names, and saves what the turn changed (one write).
"""

from __future__ import annotations

import binascii

from skill.conversation import state as phases
from skill.conversation.actions import answers, opening, safety
from skill.conversation.actions.reminders import permission_answer
from skill.conversation.places import flush, keep_place, matters, resting, resume_position
from skill.conversation.table import ROWS, action_for
from skill.conversation.turn import Action, Heard, Reply, Turn
from skill.progress.records import ProgressUpdate
from skill.reminders.spoken_time import LocalTime
from skill.speech.script import Say

# Before the check-in: only a safety word is answered otherwise (it stops again: pain,
# faint, emergency).
_PAST_THE_CHECK_IN = frozenset({"pain", "faint", "emergency"})
# Once the check-in is asked: its own answers, leaving (the rest mark stays), and
# answers that move nothing.
_WHILE_CHECKING_IN = frozenset(
    {"keep_place", "answer", "help", "say_again", "fallback", "wait", "pace", "settings"}
)


def checked_in(turn: Turn, act: Action) -> Action:
    """After a safety stop, the check-in comes first, whatever was said: in a launch,
    a one-shot or any intent (only a safety word stops again). Once it is asked, stop
    and "not today" leave; exercise (standing work included) comes back only through
    its yes ("I feel fine"), which goes on through the ready gate like any jump."""
    if not resting(turn) or act.kind in _PAST_THE_CHECK_IN:
        return act
    if turn.state.phase == phases.ASK_FEELING and (
        act in ROWS[phases.ASK_FEELING].values() or act.kind in _WHILE_CHECKING_IN
    ):
        return act
    if turn.state.phase in phases.CARE_PHASES and act.kind in _WHILE_CHECKING_IN:
        return act  # a sharing question asked while checking in: it goes back there
    return safety.check_in


def run(turn: Turn, act: Action, heard: Heard) -> Reply:
    act = checked_in(turn, act)
    if act is not answers.not_understood:
        turn.state.misheard = 0
    reply = act(turn, heard)
    reply.action = reply.action or act.name
    reply.kind = reply.kind or act.kind
    return conclude(turn, reply)


def hear(turn: Turn, intent: str, heard: Heard | None = None) -> Reply:
    """One utterance in the current phase, answered by the table's action."""
    opening.first_contact(turn)
    return run(turn, action_for(turn.state.phase, intent), heard or Heard())


def launch(turn: Turn) -> Reply:
    """ "Alexa, open my foot routine": the welcome, then the opening offer."""
    turn.notes += opening.greeting(turn)
    return run(turn, opening.welcome, Heard())


def session_ended(turn: Turn) -> Reply:
    """The microphone closed or the person left: keep the place, quietly."""
    keep_place(turn, credit=True)
    return conclude(turn, Reply([], None, silent=True, action="session_ended"))


def permission_answered(turn: Turn, status: str, at: LocalTime | None) -> Reply:
    """Alexa's answer to the AskFor permission request (a request of its own)."""
    opening.first_contact(turn)
    reply = permission_answer(turn, status, at)
    reply.action = reply.action or "permission"
    return conclude(turn, reply)


def vary(turn: Turn, reply: Reply) -> None:
    """Never the same words three times running in a session ("repeat", "what?", help
    asked again and again): the third time starts differently."""
    if reply.silent:
        return
    said = " ".join(item.text for item in reply.items if isinstance(item, Say))
    digest = _digest(said)
    state = turn.state
    if len(state.said) == 2 and state.said[0] == state.said[1] == digest:
        leads = turn.copy.raw("again.leads")
        lead = Say(str(leads[len(said) % len(leads)]))
        reply.items.insert(0, lead)
        said = f"{lead.text} {said}"
        digest = _digest(said)
    state.said = [*state.said, digest][-2:]


def _digest(said: str) -> str:
    """A short fingerprint of an answer, kept in the session to notice the same words
    again. CRC-32 (binascii, loaded already): nothing here needs a cryptographic hash, and
    hashlib's OpenSSL load would cost a first answer ~3 ms."""
    return f"{binascii.crc32(said.encode()):08x}"


def conclude(turn: Turn, reply: Reply) -> Reply:
    """Keep the phase the reply asks in; save what this turn changed (one write), and
    say so if that failed."""
    if reply.phase is not None:
        turn.state.phase = reply.phase
    if turn.state.phase not in phases.CARE_PHASES:
        turn.state.care = {}  # a sharing question's data lives only while it is asked
    saver = turn.saver
    changes = saver.changes
    if not changes.is_empty() and not saver.attempted and changes.position is None:
        # Ride along with a write that happens anyway: where to resume, the zone.
        position = resume_position(turn)
        extra = ProgressUpdate(
            position=None if changes.clear_position else position,
            time_zone=turn.state.time_zone if turn.state.zone_known else None,
        )
        turn.record(extra)
    saved = flush(turn, spoken=False)
    if not saved and reply.reprompt is not None and matters(turn) and not turn.save_spoken:
        reply.items.append(turn.say("progress.save_failed"))
    vary(turn, reply)
    turn.state.pending = saver.unsaved.to_dict() if not saved else {}
    if reply.reprompt is None and not saved:
        turn.carry(saver.unsaved)
    return reply
