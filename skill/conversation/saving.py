"""Saving one person's progress honestly: at most one write a turn, within a deadline,
and nothing lost when the store is down.

A turn gathers its changes into one ProgressUpdate. `Saver.flush()` writes them
together with anything still unsaved from earlier turns, in a single call, and
says whether it was saved, so the words can say so too. A store that does not
answer in time counts as a failure (the turn must still answer within Alexa's
limits). A write that fails at once (throttled, refused) is retried with backoff
while the turn has time (WRITE_RETRY_S). What could not be saved stays pending in the
session attributes, and goes out with the next turn's write. When the session ends with
it still unsaved, it also waits in this process (`CarryOver`), which a next session on
the same server sends with its first write; nothing durable does, so the words at the
end promise nothing (locales: moves.stop_unsaved, done_for_today_unsaved).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

from msgspec import Struct, field

from skill.progress.records import ProgressUpdate, UserProgress

log = logging.getLogger("skill")

# A read or a save may take this long, so a turn that does both answers within ~3 s.
SAVE_DEADLINE_S = 1.2
# A write that failed at once is tried again, with backoff, only if this soon after the
# first try: with SAVE_DEADLINE_S, the turn's writing stays within 2 s.
WRITE_RETRY_S = 0.8

A = TypeVar("A")
R = TypeVar("R")
Write = Callable[[ProgressUpdate], UserProgress]  # one atomic write; raises when it fails


class CarryOver:
    """Unsaved updates of ended sessions, by user, until a later session saves them.

    Bounded (oldest dropped first) and in memory only: it survives while this process
    does (a warm Lambda container, a web worker, the console), and the next session may
    reach another one, so it is a best effort the words never promise. Keys are hashes,
    never user ids.
    """

    def __init__(self, limit: int = 1000) -> None:
        self.limit = limit
        self._updates: OrderedDict[str, ProgressUpdate] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(user: str) -> str:
        import hashlib  # here: a first answer has nothing carried over to look up

        return hashlib.sha256(user.encode()).hexdigest()

    def keep(self, user: str, update: ProgressUpdate) -> None:
        with self._lock:
            key = self._key(user)
            earlier = self._updates.pop(key, ProgressUpdate())
            self._updates[key] = earlier.merge(update)
            while len(self._updates) > self.limit:
                self._updates.popitem(last=False)

    def take(self, user: str) -> ProgressUpdate:
        with self._lock:
            if not self._updates:
                return ProgressUpdate()
            return self._updates.pop(self._key(user), ProgressUpdate())


CARRY_OVER = CarryOver()
_WRITERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="save")


def bounded(call: Callable[[A], R], deadline: float = SAVE_DEADLINE_S) -> Callable[[A], R]:
    """`call`, failing with TimeoutError when the store takes longer than `deadline` seconds.

    A late write may still land; updates are idempotent, so saving it again is harmless.
    """

    def within(argument: A) -> R:
        future = _WRITERS.submit(call, argument)
        try:
            return future.result(timeout=deadline)
        except FutureTimeout as error:
            raise TimeoutError(f"no answer from the store within {deadline} s") from error

    return within


class Saver(Struct):
    """One turn's changes, saved at most once. The host supplies `write` (store + user)."""

    write: Write | None  # None: nowhere to save (no user id)
    pending: ProgressUpdate = field(default_factory=ProgressUpdate)  # unsaved, earlier turns
    changes: ProgressUpdate = field(default_factory=ProgressUpdate)  # this turn's
    attempted: bool = False
    saved: UserProgress | None = None  # the stored state after this turn's write

    def record(self, update: ProgressUpdate) -> None:
        self.changes = self.changes.merge(update)

    @property
    def unsaved(self) -> ProgressUpdate:
        return self.pending.merge(self.changes)

    def flush(self) -> bool:
        """Write everything unsaved in one call. True when nothing is left unsaved.

        A second flush in the same turn never writes again: it reports whether the
        first one saved everything recorded so far.
        """
        everything = self.unsaved
        if everything.is_empty():
            return True
        if self.attempted or self.write is None:
            return False
        self.attempted = True
        try:
            self.saved = write_with_retries(self.write, everything)
        except Exception as error:  # a store fault of any kind: keep it for later
            log.warning("progress not saved, kept for later: %s", type(error).__name__)
            self.pending, self.changes = everything, ProgressUpdate()
            return False
        self.pending, self.changes = ProgressUpdate(), ProgressUpdate()
        return True


def write_with_retries(write: Write, update: ProgressUpdate) -> UserProgress:
    """One write; if it fails at once with a store fault, again with backoff (tenacity,
    imported only then) while within WRITE_RETRY_S of the first try. A timeout is not
    retried: the turn has spent its time. Stamped writes make a late duplicate harmless."""
    from skill.store.base import StoreUnavailable

    try:
        return write(update)
    except StoreUnavailable:
        pass
    from tenacity import (
        Retrying,
        retry_if_exception_type,
        stop_after_delay,
        wait_random_exponential,
    )

    retrying = Retrying(
        stop=stop_after_delay(WRITE_RETRY_S),
        wait=wait_random_exponential(multiplier=0.05, max=0.3),
        retry=retry_if_exception_type(StoreUnavailable),
        reraise=True,
    )
    return retrying(write, update)
