"""Erasing a user (AlexaSkillEvent.SkillDisabled) so that it completes, or says it didn't.

Alexa sends SkillDisabled once and never again, so a store fault must not simply drop it:

1. `erase()` retries the store's delete with backoff (tenacity) within ERASE_BUDGET_S,
   inside the Lambda's 7 s timeout;
2. if it still fails, it logs one ERROR line beginning ERASE_FAILED (no user id: an
   operator alarms on the words; template.yaml has the metric filter and alarm), and
   leaves a tombstone where the store still takes a write (a DynamoDB item of its own; a
   SQLite table written outside the failing transaction);
3. the erase completes later: the next SkillDisabled of anyone completes every tombstone,
   and a process that left one, or could not even leave one, completes it after its next
   successful write of any user. Only when the process dies before that, with no tombstone
   written, is the erase lost, and ERASE_FAILED ... "no tombstone" has said so.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from skill.progress import owner
from skill.store.base import StoreUnavailable

log = logging.getLogger("skill")

ERASE_BUDGET_S = 3.0  # retries start within this; one more attempt may follow for the tombstone
ERASE_FAILED = "ERASE_FAILED"  # stable: the CloudWatch metric filter matches these words


class Erasable(Protocol):
    def delete_user(self, user_id: str) -> None: ...


def erase(store: Erasable, user_id: str, budget_s: float = ERASE_BUDGET_S) -> bool:
    """Delete the user, retrying within the budget. False when it had to be left for later."""
    from tenacity import (  # imported here: ~0.1 s, paid only by SkillDisabled
        Retrying,
        retry_if_exception_type,
        stop_after_delay,
        wait_random_exponential,
    )

    account = owner.account_of(user_id)
    retrying = Retrying(
        stop=stop_after_delay(budget_s),
        wait=wait_random_exponential(multiplier=0.1, max=1.0),
        retry=retry_if_exception_type(StoreUnavailable),
        reraise=True,
    )
    try:
        for attempt in retrying:
            with attempt:
                store.delete_user(account)
    except StoreUnavailable as error:
        later = getattr(store, "erase_later", None)
        if not callable(later):  # a store that could not even be opened
            what = "no tombstone, nothing kept"
        elif later(account):
            what = "tombstone left, completed later"
        else:
            what = "no tombstone: kept in this process until a write succeeds"
        log.error(
            "%s: user data not erased after %d attempts in %.0f s (%s); %s",
            ERASE_FAILED,
            retrying.statistics.get("attempt_number", 0),
            budget_s,
            error,
            what,
        )
        return False
    complete = getattr(store, "complete_erasures", None)
    if callable(complete):
        complete()
    return True


class LaterErasures:
    """For a store: erases left for later, kept durably as tombstones where the store can
    (leave_tombstone / tombstones / clear_tombstone), else in this process."""

    _unerased: set[str]
    _tombstone_left: bool = False

    def delete_user(self, user_id: str) -> None:
        raise NotImplementedError

    def leave_tombstone(self, account: str) -> None:
        raise NotImplementedError

    def tombstones(self) -> list[str]:
        raise NotImplementedError

    def clear_tombstone(self, account: str) -> None:
        raise NotImplementedError

    def erase_later(self, account: str) -> bool:
        """Remember a failed erase; True when a durable tombstone was written."""
        pending = self._pending()
        with _LOCK:
            pending.add(account)
        try:
            self.leave_tombstone(account)
        except StoreUnavailable:
            return False
        with _LOCK:
            pending.discard(account)
        self._tombstone_left = True
        return True

    def complete_erasures(self) -> int:
        """Erase every account left for later (tombstones and this process's); how many."""
        done = 0
        with _LOCK:
            mine = set(self._pending())
        for account in mine:
            self.delete_user(account)
            with _LOCK:
                self._pending().discard(account)
            done += 1
        for account in self.tombstones():
            self.delete_user(account)
            self.clear_tombstone(account)
            done += 1
        self._tombstone_left = False
        return done

    def after_write(self) -> None:
        """After any user's successful write: complete what this process left for later."""
        if not (self._tombstone_left or self._pending()):
            return
        try:
            count = self.complete_erasures()
        except StoreUnavailable:
            return  # the next write tries again
        log.warning("%d erase(s) left for later are now complete", count)

    def _pending(self) -> set[str]:
        if not hasattr(self, "_unerased"):
            self._unerased = set()
        return self._unerased


_LOCK = threading.Lock()
