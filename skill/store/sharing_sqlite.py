"""Care partners on SQLite (skill/sharing/store.py), in the progress store's database.

Tables (sharing_tables.py; created with the progress tables, skill/store/sqlite.py):

    care_news         user_id                      the owner's news flag, read with the
                                                   progress (one row, or none)
    care_links        person, follower, names, since, announced
    care_codes        digest, owner, account, name, expires    (codes are never stored)
    care_messages     person, follower, at, text
    care_ended        follower, person, name       "sharing ended" notices
    care_wrong_codes  account, at

Every write runs in one BEGIN IMMEDIATE transaction, and every sharing write first
sweeps expired codes and wrong codes too old to count (SQLite has no TTL).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

from skill.progress import owner as owners
from skill.sharing import codes
from skill.sharing.records import (
    KEEP_WRONG_CODES_MS,
    MAX_WAITING_MESSAGES,
    Link,
    Message,
    Sharing,
    recent_wrong_codes,
)
from skill.store.base import StoreUnavailable, check_user_id

if TYPE_CHECKING:
    from skill.store.sqlite import SQLiteProgressStore


T = TypeVar("T")


class SQLiteSharingStore:
    def __init__(self, progress: SQLiteProgressStore) -> None:
        self.progress = progress

    # -- reads -----------------------------------------------------------------------
    def sharing(self, owner: str) -> Sharing:
        check_user_id(owner)
        return self._run(lambda conn: _read(conn, owner), write=False)

    # -- writes ----------------------------------------------------------------------
    def offer_code(self, owner: str, digest: str, name: str, now_ms: int) -> bool:
        check_user_id(owner)

        def offer(conn: sqlite3.Connection) -> bool:
            if conn.execute("SELECT 1 FROM care_codes WHERE digest = ?", (digest,)).fetchone():
                return False  # a live code has this digest (expired ones were swept)
            conn.execute("DELETE FROM care_codes WHERE owner = ?", (owner,))
            conn.execute(
                "INSERT INTO care_codes VALUES (?, ?, ?, ?, ?)",
                (digest, owner, owners.account_of(owner), name, now_ms + codes.LIFETIME_MS),
            )
            return True

        return self._run(offer, now_ms=now_ms)

    def redeem(self, follower: str, digest: str, label: str, now_ms: int) -> str | None:
        check_user_id(follower)

        def use(conn: sqlite3.Connection) -> str | None:
            row = conn.execute(
                "SELECT owner, account, name FROM care_codes WHERE digest = ? AND expires > ?",
                (digest, now_ms),
            ).fetchone()
            if row is None or row[1] == owners.account_of(follower):
                return None
            person, _, name = row
            conn.execute("DELETE FROM care_codes WHERE digest = ?", (digest,))
            conn.execute(
                "INSERT INTO care_links VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT (person, follower)"
                " DO UPDATE SET follower_name = excluded.follower_name,"
                " person_name = excluded.person_name, announced = 0",
                (person, follower, name, label, now_ms),
            )
            conn.execute(
                "DELETE FROM care_ended WHERE follower = ? AND person = ?", (follower, person)
            )
            conn.execute("INSERT OR IGNORE INTO care_news VALUES (?)", (person,))
            return str(person)

        return self._run(use, now_ms=now_ms)

    def wrong_code(self, account: str, now_ms: int) -> tuple[int, ...]:
        check_user_id(account)

        def record(conn: sqlite3.Connection) -> tuple[int, ...]:
            conn.execute("INSERT INTO care_wrong_codes VALUES (?, ?)", (account, now_ms))
            times = [t for (t,) in conn.execute(
                "SELECT at FROM care_wrong_codes WHERE account = ?", (account,)
            )]  # fmt: skip
            return recent_wrong_codes(times, now_ms)

        return self._run(record, now_ms=now_ms)

    def unlink(self, person: str, follower: str, now_ms: int) -> None:
        check_user_id(person)
        self._run(lambda conn: _unlink(conn, person, follower), now_ms=now_ms)

    def send(self, person: str, follower: str, text: str, now_ms: int) -> bool:
        check_user_id(person)

        def put(conn: sqlite3.Connection) -> bool:
            linked = conn.execute(
                "SELECT 1 FROM care_links WHERE person = ? AND follower = ?", (person, follower)
            ).fetchone()
            (waiting,) = conn.execute(
                "SELECT count(*) FROM care_messages WHERE person = ?", (person,)
            ).fetchone()
            if not linked or waiting >= MAX_WAITING_MESSAGES:
                return False
            conn.execute(
                "INSERT OR REPLACE INTO care_messages VALUES (?, ?, ?, ?)",
                (person, follower, now_ms, text),
            )
            conn.execute("INSERT OR IGNORE INTO care_news VALUES (?)", (person,))
            return True

        return self._run(put, now_ms=now_ms)

    def take_news(self, owner: str) -> Sharing:
        check_user_id(owner)

        def take(conn: sqlite3.Connection) -> Sharing:
            found = _read(conn, owner)
            conn.execute("DELETE FROM care_news WHERE user_id = ?", (owner,))
            conn.execute("DELETE FROM care_messages WHERE person = ?", (owner,))
            conn.execute("DELETE FROM care_ended WHERE follower = ?", (owner,))
            conn.execute("UPDATE care_links SET announced = 1 WHERE person = ?", (owner,))
            return found

        return self._run(take)

    def forget_account(self, account: str) -> None:
        check_user_id(account)
        low, high = account + owners.PERSON_MARK, account + owners.PERSON_MARK[:-1] + "$"

        def forget(conn: sqlite3.Connection) -> None:
            # The account's own key, and its people's keys: one range of the primary key.
            mine = "(? = {0} OR ({0} >= ? AND {0} < ?))"
            for person, follower in conn.execute(
                "SELECT person, follower FROM care_links WHERE " + mine.format("person"),
                (account, low, high),
            ).fetchall():
                _unlink(conn, person, follower)
            for person, follower in conn.execute(
                "SELECT person, follower FROM care_links WHERE " + mine.format("follower"),
                (account, low, high),
            ).fetchall():
                _unlink(conn, person, follower, tell=False)
            for table, column in (
                ("care_news", "user_id"),
                ("care_codes", "owner"),
                ("care_messages", "person"),
                ("care_messages", "follower"),
                ("care_ended", "follower"),  # notices to others stay: only their own words
                ("care_wrong_codes", "account"),
            ):
                conn.execute(
                    f"DELETE FROM {table} WHERE " + mine.format(column), (account, low, high)
                )

        self._run(forget)

    # -- internals -------------------------------------------------------------------
    def _run(
        self,
        work: Callable[[sqlite3.Connection], T],
        write: bool = True,
        now_ms: int | None = None,
    ) -> T:
        try:
            with _transaction(self.progress._conn(), write) as conn:
                if now_ms is not None:
                    conn.execute("DELETE FROM care_codes WHERE expires <= ?", (now_ms,))
                    conn.execute(
                        "DELETE FROM care_wrong_codes WHERE at <= ?",
                        (now_ms - KEEP_WRONG_CODES_MS,),
                    )
                return work(conn)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"sqlite: {exc}") from exc


@contextmanager
def _transaction(conn: sqlite3.Connection, write: bool) -> Iterator[sqlite3.Connection]:
    conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _unlink(conn: sqlite3.Connection, person: str, follower: str, tell: bool = True) -> None:
    row = conn.execute(
        "SELECT person_name FROM care_links WHERE person = ? AND follower = ?", (person, follower)
    ).fetchone()
    conn.execute("DELETE FROM care_links WHERE person = ? AND follower = ?", (person, follower))
    conn.execute("DELETE FROM care_messages WHERE person = ? AND follower = ?", (person, follower))
    if row is not None and tell:
        conn.execute(
            "INSERT OR REPLACE INTO care_ended VALUES (?, ?, ?)", (follower, person, row[0])
        )
        conn.execute("INSERT OR IGNORE INTO care_news VALUES (?)", (follower,))


def _read(conn: sqlite3.Connection, owner: str) -> Sharing:
    followers, new = [], []
    for follower, name, since, announced in conn.execute(
        "SELECT follower, follower_name, since, announced FROM care_links WHERE person = ?"
        " ORDER BY since",
        (owner,),
    ):
        followers.append(Link(follower, name, since))
        if not announced:
            new.append(follower)
    following = [
        Link(person, name, since)
        for person, name, since in conn.execute(
            "SELECT person, person_name, since FROM care_links WHERE follower = ? ORDER BY since",
            (owner,),
        )
    ]
    messages = [
        Message(follower, text, at)
        for follower, text, at in conn.execute(
            "SELECT follower, text, at FROM care_messages WHERE person = ? ORDER BY at", (owner,)
        )
    ]
    ended = [n for (n,) in conn.execute("SELECT name FROM care_ended WHERE follower = ?", (owner,))]
    wrong = [
        t for (t,) in conn.execute("SELECT at FROM care_wrong_codes WHERE account = ?", (owner,))
    ]
    code = conn.execute("SELECT digest FROM care_codes WHERE owner = ?", (owner,)).fetchone()
    return Sharing(
        followers=tuple(followers),
        following=tuple(following),
        new_followers=tuple(new),
        messages=tuple(messages),
        ended=tuple(ended),
        wrong_codes=tuple(sorted(wrong)),
        code=code[0] if code else None,
    )
