"""The progress store protocol, shared by every backend (records: skill.progress.records)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from skill.progress.records import ProgressUpdate, UserProgress


class StoreUnavailable(Exception):
    """A storage fault (timeout, throttling, connection refused, locked database).

    The caller keeps the unsaved ProgressUpdate and retries it on a later turn.
    """


class ProgressStore(Protocol):
    def load(self, user_id: str) -> UserProgress:
        """Exactly one read. A new user gets an empty UserProgress."""
        ...

    def save(
        self, user_id: str, update: ProgressUpdate, required_exercises: Sequence[str]
    ) -> UserProgress:
        """Exactly one atomic, idempotent write; returns the new state.

        Callers skip save() when update.is_empty(); given an empty update it only loads.
        """
        ...

    def delete_user(self, user_id: str) -> None:
        """Forget everything about the user (AlexaSkillEvent.SkillDisabled)."""
        ...


class UnopenedStore:
    """Stands in for a store that could not be opened: every call is StoreUnavailable,
    so the skill degrades exactly as for a store that fails mid-session."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def load(self, user_id: str) -> UserProgress:
        raise StoreUnavailable(self.reason)

    def save(
        self, user_id: str, update: ProgressUpdate, required_exercises: Sequence[str]
    ) -> UserProgress:
        raise StoreUnavailable(self.reason)

    def delete_user(self, user_id: str) -> None:
        raise StoreUnavailable(self.reason)


def check_user_id(user_id: str) -> str:
    if not isinstance(user_id, str) or not user_id or len(user_id) > 1024:
        raise ValueError("bad user id")
    return user_id
