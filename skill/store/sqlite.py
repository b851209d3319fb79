"""Embedded progress store on stdlib sqlite3: the default for the console and self-hosting.

Same semantics as the DynamoDB store (see base.py for how completed days are derived).
Thread-safe: one connection per thread, WAL so readers never wait for the writer, and
every write in BEGIN IMMEDIATE so concurrent writers queue instead of failing mid-way.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from skill.progress import owner
from skill.progress.nudges import Nudges, NudgeUpdate
from skill.progress.records import (
    SCHEMA_VERSION,
    Position,
    ProgressUpdate,
    UserProgress,
    derive_completed,
    plan_fold,
    required_ids,
    unpack_dates,
)
from skill.store.base import KnownKeys, StoreUnavailable, check_user_id
from skill.store.erasure import LaterErasures
from skill.store.sharing_tables import SHARING_SCHEMA

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    user_id TEXT PRIMARY KEY,
    pos_exercise TEXT, pos_segment TEXT, pos_at INTEGER,
    time_zone TEXT,
    schema_version INTEGER NOT NULL,
    ws INTEGER
);
CREATE TABLE IF NOT EXISTS exercises (
    user_id TEXT NOT NULL, day TEXT NOT NULL, exercise TEXT NOT NULL,
    PRIMARY KEY (user_id, day, exercise)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS day_routines (
    user_id TEXT NOT NULL, day TEXT NOT NULL, required TEXT NOT NULL,
    PRIMARY KEY (user_id, day, required)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS settings (
    user_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS milestones (
    user_id TEXT NOT NULL, milestone TEXT NOT NULL,
    PRIMARY KEY (user_id, milestone)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS completed_history (
    user_id TEXT PRIMARY KEY, packed TEXT NOT NULL
) WITHOUT ROWID;
"""
_TABLES = ("users", "exercises", "day_routines", "settings", "milestones", "completed_history")

# -- nudges and people (see skill/progress/nudges.py and owner.py) ----------------------
# `nudges`: the reminder's alert token and time, the declined offer, the last summary
# card, one row per owner key. `people`: the person keys registered under an account, so
# deleting the account deletes exactly these keys (owner.py explains the key layout).
_NUDGES_SCHEMA = """
CREATE TABLE IF NOT EXISTS nudges (
    user_id TEXT PRIMARY KEY,
    reminder_token TEXT, reminder_time TEXT,
    reminder_offer_declined INTEGER NOT NULL DEFAULT 0,
    summary_card_on TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS people (
    account_id TEXT NOT NULL, person_key TEXT NOT NULL,
    PRIMARY KEY (account_id, person_key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS erasures (
    account_id TEXT PRIMARY KEY
) WITHOUT ROWID;
"""
_OWNER_TABLES = (*_TABLES, "nudges")
_BUSY_TIMEOUT_S = 5.0  # well inside Alexa's 8 s; a write holds the lock for milliseconds
_SETUP_RETRY_S = 0.02  # first back-off when another process holds the setup lock


class SQLiteProgressStore(LaterErasures):
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._ready = False
        self._connections: list[sqlite3.Connection] = []
        self._known = KnownKeys()  # records seen stored: written only while they exist

    # -- connections ---------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                # Each connection is used only by its own thread; check_same_thread=False
                # just lets close() run from another thread.
                conn = sqlite3.connect(
                    self.path,
                    timeout=_BUSY_TIMEOUT_S,
                    isolation_level=None,
                    check_same_thread=False,
                )
                conn.execute("PRAGMA synchronous=NORMAL")  # durable across app crashes in WAL
                conn.execute("PRAGMA secure_delete=ON")  # deleted rows are zeroed, not left
                with self._lock:
                    if not self._ready:
                        _set_up(conn)  # once per store, before any other thread connects
                        self._ready = True
                    self._connections.append(conn)
            except sqlite3.Error as exc:
                raise StoreUnavailable(f"sqlite: {exc}") from exc
            self._local.conn = conn
        return conn

    def close(self) -> None:
        """Close every thread's connection (tests, shutdown)."""
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    # -- protocol ------------------------------------------------------------------
    def load(self, user_id: str) -> UserProgress:
        check_user_id(user_id)
        conn = self._conn()
        try:
            conn.execute("BEGIN")  # one snapshot for all the selects
            try:
                if _exists(conn, user_id):
                    self._known.add(user_id)
                return self._read(conn, user_id)
            finally:
                conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"sqlite: {exc}") from exc

    def save(
        self,
        user_id: str,
        update: ProgressUpdate,
        required_exercises: Sequence[str],
        stamp: int | None = None,
    ) -> UserProgress:
        check_user_id(user_id)
        signature_ids = ",".join(required_ids(required_exercises))
        if update.is_empty():
            return self.load(user_id)
        conn = self._conn()
        try:
            if owner.is_person_key(user_id) and user_id not in self._known:
                self._register_person(conn, user_id)
            conn.execute("BEGIN IMMEDIATE")
            try:
                if user_id in self._known and not _exists(conn, user_id):
                    raise StoreUnavailable("sqlite: the record was deleted; not written again")
                if self._write(conn, user_id, update, signature_ids, stamp):
                    _write_nudges(conn, user_id, update.nudges)
                state = self._fold(conn, user_id, self._read(conn, user_id))
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            self._known.add(user_id)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"sqlite: {exc}") from exc
        self.after_write()
        return state

    # -- erases left for later (skill/store/erasure.py) ------------------------------
    def leave_tombstone(self, account: str) -> None:
        self._autocommit("INSERT OR IGNORE INTO erasures VALUES (?)", (account,))

    def tombstones(self) -> list[str]:
        try:
            return [a for (a,) in self._conn().execute("SELECT account_id FROM erasures")]
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"sqlite: {exc}") from exc

    def clear_tombstone(self, account: str) -> None:
        self._autocommit("DELETE FROM erasures WHERE account_id = ?", (account,))

    def _autocommit(self, statement: str, values: tuple[str, ...]) -> None:
        try:
            self._conn().execute(statement, values)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"sqlite: {exc}") from exc

    def _register_person(self, conn: sqlite3.Connection, user_id: str) -> None:
        """List a person under its account and create its record, in a transaction of its
        own before the person's first write from this process; later writes need both."""
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "INSERT OR IGNORE INTO people VALUES (?, ?)", (owner.account_of(user_id), user_id)
            )
            conn.execute(
                "INSERT OR IGNORE INTO users (user_id, schema_version) VALUES (?, ?)",
                (user_id, SCHEMA_VERSION),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        self._known.add(user_id)

    def delete_user(self, user_id: str) -> None:
        """The account's record and every registered person's under it, in one transaction."""
        check_user_id(user_id)
        account = owner.account_of(user_id)
        conn = self._conn()
        try:
            conn.execute("BEGIN IMMEDIATE")
            keys = [account] + [
                key
                for (key,) in conn.execute(
                    "SELECT person_key FROM people WHERE account_id = ?", (account,)
                )
            ]
            for table in _OWNER_TABLES:
                conn.executemany(f"DELETE FROM {table} WHERE user_id = ?", [(k,) for k in keys])
            conn.execute("DELETE FROM people WHERE account_id = ?", (account,))
            conn.execute("COMMIT")
            for key in keys:  # a late write for any of them must not start them again
                self._known.add(key)
            # The old pages stay in the write-ahead log until a checkpoint copies them back
            # (zeroed, with secure_delete) and empties it.
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreUnavailable(f"sqlite: {exc}") from exc

    # -- internals -----------------------------------------------------------------
    @staticmethod
    def _write(
        conn: sqlite3.Connection,
        user_id: str,
        update: ProgressUpdate,
        required: str,
        stamp: int | None,
    ) -> bool:
        """The update's rows; its choices only when no later-stamped write has been.
        True when the choices (the nudges among them) are to be written."""
        conn.execute(
            "INSERT INTO users (user_id, schema_version) VALUES (?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET schema_version = excluded.schema_version",
            (user_id, SCHEMA_VERSION),
        )
        for day, ids in update.exercises_done.items():
            conn.executemany(
                "INSERT OR IGNORE INTO exercises VALUES (?, ?, ?)",
                [(user_id, day, ex) for ex in ids],
            )
            conn.execute(
                "INSERT OR IGNORE INTO day_routines VALUES (?, ?, ?)", (user_id, day, required)
            )
        stored_at = conn.execute(
            "SELECT pos_at FROM users WHERE user_id = ?", (user_id,)
        ).fetchone()[0]
        current = True  # the choices are no older than any stored: conditional on the stamp
        if stamp is not None and update.has_choices():
            current = (
                conn.execute(
                    "UPDATE users SET ws = ? WHERE user_id = ? AND (ws IS NULL OR ws <= ?)",
                    (stamp, user_id, stamp),
                ).rowcount
                == 1
            )
        if update.position_applies(stored_at):
            pos = update.position
            if update.clear_position:
                stamp = pos.saved_at if pos else stored_at  # keep the newest time seen
                values: tuple[Any, ...] = (None, None, stamp)
            else:
                assert pos is not None
                values = (pos.exercise, pos.segment, pos.saved_at)
            conn.execute(
                "UPDATE users SET pos_exercise = ?, pos_segment = ?, pos_at = ? WHERE user_id = ?",
                (*values, user_id),
            )
        conn.executemany(
            "INSERT OR IGNORE INTO milestones VALUES (?, ?)",
            [(user_id, m) for m in update.milestones],
        )
        if not current:
            return False
        if update.time_zone:
            conn.execute(
                "UPDATE users SET time_zone = ? WHERE user_id = ?", (update.time_zone, user_id)
            )
        conn.executemany(
            "INSERT INTO settings VALUES (?, ?, ?) "
            "ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value",
            [(user_id, k, json.dumps(v)) for k, v in update.settings.items()],
        )
        return True

    @classmethod
    def _fold(cls, conn: sqlite3.Connection, user_id: str, state: UserProgress) -> UserProgress:
        """Fold detail dates older than the window into the packed history, in the same
        transaction as the write (records.plan_fold); returns the state after it."""
        history = state.completed_days - state.exercises_by_date.keys()  # folded before
        fold = plan_fold(state.exercises_by_date.keys(), state.completed_days, history, None)
        if fold is None:
            return state
        conn.execute(
            "INSERT INTO completed_history VALUES (?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET packed = excluded.packed",
            (user_id, fold.history),
        )
        for table in ("exercises", "day_routines"):
            conn.executemany(
                f"DELETE FROM {table} WHERE user_id = ? AND day = ?",
                [(user_id, day) for day in fold.days],
            )
        return cls._read(conn, user_id)

    @staticmethod
    def _history(conn: sqlite3.Connection, user_id: str) -> frozenset[str]:
        row = conn.execute(
            "SELECT packed FROM completed_history WHERE user_id = ?", (user_id,)
        ).fetchone()
        return unpack_dates(row[0]) if row else frozenset()

    @classmethod
    def _read(cls, conn: sqlite3.Connection, user_id: str) -> UserProgress:
        row = conn.execute(
            "SELECT pos_exercise, pos_segment, pos_at, time_zone, schema_version "
            "FROM users WHERE user_id = ?",
            (user_id,),
        ).fetchone()
        if row is None:
            return UserProgress(nudges=_read_nudges(conn, user_id))  # care news may wait
        pos_exercise, pos_segment, pos_at, time_zone, schema_version = row
        days: dict[str, set[str]] = {}
        for day, ex in conn.execute(
            "SELECT day, exercise FROM exercises WHERE user_id = ?", (user_id,)
        ):
            days.setdefault(day, set()).add(ex)
        routines: dict[str, list[frozenset[str]]] = {}
        for day, required in conn.execute(
            "SELECT day, required FROM day_routines WHERE user_id = ?", (user_id,)
        ):
            routines.setdefault(day, []).append(frozenset(required.split(",")))
        by_date = {d: frozenset(ids) for d, ids in days.items()}
        settings = {
            k: json.loads(v)
            for k, v in conn.execute(
                "SELECT key, value FROM settings WHERE user_id = ?", (user_id,)
            )
        }
        milestones = frozenset(
            m
            for (m,) in conn.execute(
                "SELECT milestone FROM milestones WHERE user_id = ?", (user_id,)
            )
        )
        position = (
            Position(pos_exercise, pos_segment or "", int(pos_at))
            if pos_exercise is not None and pos_at is not None
            else None
        )
        return UserProgress(
            exercises_by_date=by_date,
            completed_days=derive_completed(by_date, routines) | cls._history(conn, user_id),
            position=position,
            settings=settings,
            milestones=milestones,
            time_zone=time_zone,
            schema_version=int(schema_version),
            nudges=_read_nudges(conn, user_id),
        )


def _set_up(conn: sqlite3.Connection, deadline_s: float = _BUSY_TIMEOUT_S) -> None:
    """WAL mode and the tables, safe when many processes open a fresh file at once.

    Switching the journal mode does not wait on the busy timeout, and a schema script run
    in autocommit can meet another process's lock half-way: both fail at once with
    "database is locked". So: skip what is done already, create the tables in one
    BEGIN IMMEDIATE transaction (which does wait), and retry the switch with a short
    back-off until the deadline.
    """
    give_up = time.monotonic() + deadline_s
    pause = _SETUP_RETRY_S
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in (_SCHEMA + _NUDGES_SCHEMA + SHARING_SCHEMA).split(";"):
                    if statement.strip():
                        conn.execute(statement)
                columns = {row[1] for row in conn.execute("PRAGMA table_info(users)")}
                if "ws" not in columns:  # a file from before write stamps
                    conn.execute("ALTER TABLE users ADD COLUMN ws INTEGER")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return
        except sqlite3.OperationalError as exc:
            if not _is_lock(exc) or time.monotonic() + pause > give_up:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.25)


def _is_lock(exc: sqlite3.OperationalError) -> bool:
    message = str(exc).lower()
    return "locked" in message or "busy" in message


def _exists(conn: sqlite3.Connection, user_id: str) -> bool:
    return conn.execute("SELECT 1 FROM users WHERE user_id = ?", (user_id,)).fetchone() is not None


def _write_nudges(conn: sqlite3.Connection, user_id: str, change: NudgeUpdate) -> None:
    """The nudges part of a save (the person's registration is written before its first)."""
    if change.is_empty():
        return
    conn.execute("INSERT OR IGNORE INTO nudges (user_id) VALUES (?)", (user_id,))
    if change.forget_reminder:
        conn.execute(
            "UPDATE nudges SET reminder_token = NULL, reminder_time = NULL WHERE user_id = ?",
            (user_id,),
        )
    if change.reminder_token is not None:
        conn.execute(
            "UPDATE nudges SET reminder_token = ?, reminder_time = ? WHERE user_id = ?",
            (change.reminder_token, change.reminder_time, user_id),
        )
    if change.reminder_offer_declined:
        conn.execute("UPDATE nudges SET reminder_offer_declined = 1 WHERE user_id = ?", (user_id,))
    if change.summary_card_on:
        conn.execute(
            "UPDATE nudges SET summary_card_on = ? WHERE user_id = ?",
            (change.summary_card_on, user_id),
        )


def _read_nudges(conn: sqlite3.Connection, user_id: str) -> Nudges:
    row = conn.execute(
        "SELECT reminder_token, reminder_time, reminder_offer_declined, summary_card_on "
        "FROM nudges WHERE user_id = ?",
        (user_id,),
    ).fetchone()
    news = conn.execute("SELECT 1 FROM care_news WHERE user_id = ?", (user_id,)).fetchone()
    if row is None:
        return Nudges(care_news=news is not None)
    token, at, declined, card = row
    return Nudges(token, at, bool(declined), card, care_news=news is not None)
