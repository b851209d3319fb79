"""The progress store protocol, shared by every backend (records: skill.progress.records)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol

from skill.progress.records import ProgressUpdate, UserProgress


def write_stamp() -> int:
    """Microseconds on this server's clock: the order of one user's writes (turns are
    seconds apart; servers' clocks agree to milliseconds)."""
    return time.time_ns() // 1000


class StoreUnavailable(Exception):
    """A storage fault (timeout, throttling, connection refused, locked database).

    The caller keeps the unsaved ProgressUpdate and retries it on a later turn.
    """


class ProgressStore(Protocol):
    def load(self, user_id: str) -> UserProgress:
        """Exactly one read. A new user gets an empty UserProgress."""
        ...

    def save(
        self,
        user_id: str,
        update: ProgressUpdate,
        required_exercises: Sequence[str],
        stamp: int | None = None,
    ) -> UserProgress:
        """One atomic, idempotent write (rarely a second, see the stores); returns the new state.

        `stamp` (write_stamp(), taken when the turn writes) orders the writes of one user:
        the update's choices (settings, time zone, nudges) are stored only if no write with
        a later stamp has been, so a retry that lands late never overwrites a newer choice.
        A record this store has seen, or a person it registered, is written only while it
        still exists, so a late write never recreates a deleted user.
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
        self,
        user_id: str,
        update: ProgressUpdate,
        required_exercises: Sequence[str],
        stamp: int | None = None,
    ) -> UserProgress:
        raise StoreUnavailable(self.reason)

    def delete_user(self, user_id: str) -> None:
        raise StoreUnavailable(self.reason)


def check_user_id(user_id: str) -> str:
    if not isinstance(user_id, str) or not user_id or len(user_id) > 1024:
        raise ValueError("bad user id")
    return user_id


class KnownKeys:
    """Keys a store has seen stored (or registered), newest last, at most `limit`: their
    writes are conditional on the record still existing. A key forgotten for room is
    written as a new user's would be (no condition), so the bound costs no correctness
    of normal writes, only the guard against late ones."""

    def __init__(self, limit: int = 4096) -> None:
        self.limit = limit
        self._keys: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, key: str) -> None:
        with self._lock:
            self._keys[key] = None
            self._keys.move_to_end(key)
            while len(self._keys) > self.limit:
                self._keys.popitem(last=False)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._keys
