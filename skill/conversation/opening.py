"""What a session knows from its one read of the store: the rules, without any I/O.

The host reads the store (and the device's time zone) once per session and hands
the result here; `None` means the store could not be reached, and the session
carries on without history, and welcomes as on a first contact (it cannot check).
"""

from __future__ import annotations

from datetime import date

from skill.conversation.state import WELCOMED, SessionState
from skill.progress import session_figures as figures
from skill.progress.records import ProgressUpdate, UserProgress
from skill.reminders.dialogue import NudgeSession
from skill.routine.model import Routine
from skill.routine.settings import Settings


def open_session(
    state: SessionState,
    progress: UserProgress | None,
    today: date,
    routine: Routine,
    carried: ProgressUpdate | None = None,
) -> None:
    """Fill the session's cache from the stored progress (plus changes an earlier
    session could not save, which this session's first write will carry)."""
    loaded = progress is not None
    progress = progress or UserProgress()
    if carried is not None and not carried.is_empty():
        progress = progress.apply(carried, routine.ids)
        state.pending = ProgressUpdate.from_dict(state.pending).merge(carried).to_dict()
    state.loaded = True
    state.unsure = not loaded  # a stop last time cannot be ruled out
    state.settings = Settings.from_dict(progress.settings).to_dict()
    # Unreachable, we can't tell a first contact from a return: the welcome and the
    # not-medical-advice line are said (never "Welcome back" to someone new).
    state.first_use = WELCOMED not in progress.milestones
    state.saved_position = progress.position.to_dict() if progress.position else None
    state.summary = figures.session_figures(progress, today)
    state.milestones_if_done = figures.milestones_if_completed(progress, today, routine)
    state.offers = figures.offers(progress, today, routine)
    state.nudges = NudgeSession.at_load(progress, today).to_dict()
