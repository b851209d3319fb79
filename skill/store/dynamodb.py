"""Progress store on DynamoDB: one item per user, written only with UpdateItem.

Item layout (partition key `userId`; names chosen so every write is one atomic UpdateItem
with no read first, and concurrent writers commute):

    d#<YYYY-MM-DD>  SS   exercise ids finished that local date, plus "@<sig>" markers
                         naming the routine(s) required when they were recorded
    rq#<sig>        SS   the required exercise ids of routine <sig> (set once)
    pe, ps, pa      S,S,N  position exercise, segment, saved_at (pa stays after a clear,
                         so an older position from another device cannot come back)
    s#<key>         S|N|BOOL  one attribute per setting, so settings merge key by key
    ms              SS   milestones announced
    tz              S    last known IANA time zone
    sv              N    schema version
    hc              S    completed dates older than the d# window, packed (records.pack_dates)
    ha              S    the archived dates' figures (progress/earlier.py), when any
    hv              N    history version: +1 on every fold, the condition that makes folds safe
    px              SS   archives to delete with the account: "-" its own, people's digests

The archive, a second item keyed `<key>#archive` (never read by a session; `archive()`):

    a#<first date>  S    completed dates moved out of hc together, packed

Years of use (records.DETAIL_DAYS): d# attributes are kept for the newest date only;
older ones are folded into hc. A fold rides along with a normal write, planned from the
item this store last saw for the user (its session-start read, or the previous write's
ALL_NEW reply), and is conditional on hv being unchanged since then, so a device that saw
an older item never overwrites a newer fold; it writes without the fold instead (one
more call, rarely). Old items are migrated the same way, MAX_FOLD_DAYS dates per write.
Once hc spans more than earlier.ARCHIVE_AFTER_DAYS, a fold also moves its dates older
than earlier.KEEP_DAYS to the archive: the archive key is listed in the account's `pp`,
the archive item written, then the record's fold sets hc and ha (two more calls every
two months or so). Ten years of practice keep the record under 1 KB: one write unit.

Nudges (skill/progress/nudges.py), written in the same UpdateItem:

    rmt, rmh        S,S  the daily reminder's alert token and local HH:MM (both or neither)
    rmx             BOOL the reminder offer was declined
    wcd             S    local date the last weekly summary card was sent
    cpn             N    care partners' news waits (sharing_dynamodb.py; never save())

People (skill/progress/owner.py): a recognised person's record is an item of its own,
keyed `<userId>#person#<digest>`; the account's item lists those keys in

    pp              SS   person keys registered under this account

A person key is added to `pp` (with the person's item created, in one transaction) before
that person's first write from this process, so SkillDisabled deletes the account's item
and exactly the items `pp` names (GetItem and DeleteItem only: no Scan).
`ws` (N) stamps the last write that stored choices; older writes leave them out, and seen
items are written only while they exist (dynamodb_guards.py, base.ProgressStore.save).

Top-level attributes rather than maps: ADD/SET on a path inside a map fails when the map
does not exist yet, which would cost a read or a second write.

botocore is imported and the client built on first use (skill/store/dynamodb_client.py),
so importing the skill needs no AWS region, credentials or network.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from skill.progress import owner
from skill.progress.earlier import EarlierDays
from skill.progress.nudges import Nudges, NudgeUpdate
from skill.progress.records import (
    SCHEMA_VERSION,
    Position,
    ProgressUpdate,
    UserProgress,
    derive_completed,
    routine_signature,
    unpack_dates,
)
from skill.store import dynamodb_history as history
from skill.store.base import KnownKeys, check_user_id
from skill.store.dynamodb_guards import KEY_NAME, Tombstones, guard, registration
from skill.store.dynamodb_guards import faults as _faults
from skill.store.dynamodb_history import VersionedFold, add_fold, fold_for

KEY = KEY_NAME
_DAY, _RULE, _SETTING, _MARK = "d#", "rq#", "s#", "@"
_HISTORY, _EARLIER = "hc", "ha"
_PLANNED_FOLDS = 1024  # users whose next fold is remembered (one entry each, small)

# Bounded client: a stuck endpoint costs ~1 s per attempt, 3 attempts in all with
# DynamoDB's short non-throttling backoff (25 ms base), so a failure surfaces in ~3.2 s
# (measured), inside Alexa's 8 s. Throttling backs off longer (jitter up to 1 s, then 2 s).
# total_max_attempts, not max_attempts: botocore's max_attempts counts RETRIES, so
# max_attempts=3 would make 4 attempts (measured 4.3 s against a silent server).
CLIENT_OPTIONS: dict[str, Any] = {
    "connect_timeout": 1,
    "read_timeout": 1,
    "retries": {"mode": "standard", "total_max_attempts": 3},
    "max_pool_connections": 20,  # threaded hosts (Flask) share one client
}


class DynamoDBProgressStore(Tombstones):
    def __init__(
        self,
        table_name: str,
        endpoint_url: str | None = None,
        region_name: str | None = None,
    ) -> None:
        self.table_name = table_name
        self.endpoint_url = endpoint_url
        self.region_name = region_name
        self._client: Any = None
        self._lock = threading.Lock()
        self._folds: OrderedDict[str, VersionedFold] = OrderedDict()
        self._registered: set[str] = set()  # person keys already listed under their account
        self._known = KnownKeys()  # items seen stored: written only while they exist

    @property
    def client(self) -> Any:
        """The boto3 DynamoDB client, built once on first use (thread-safe)."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._build_client()
        return self._client

    def prepare(self) -> None:
        """Build the client now (Lambda init, before a SnapStart snapshot): loading the
        service model and endpoint rules and resolving credentials cost ~200 ms once."""
        _ = self.client

    def close_connections(self) -> None:
        """Drop kept connections (after a snapshot restore); the client stays usable.

        botocore keeps up to max_pool_connections alive between calls, so a warm
        container's next call reuses one (no TCP or TLS handshake); a connection the
        server has closed is detected and replaced by urllib3 before reuse.
        """
        if self._client is not None:
            self._client.close()

    def _build_client(self) -> Any:
        from skill.store.dynamodb_client import build_client

        return build_client(self.region_name, self.endpoint_url, CLIENT_OPTIONS)

    # -- protocol ------------------------------------------------------------------
    def load(self, user_id: str) -> UserProgress:
        check_user_id(user_id)
        with _faults():
            # Strongly consistent: a session started right after another device's write
            # must see it.
            reply = self.client.get_item(
                TableName=self.table_name, Key=self._key(user_id), ConsistentRead=True
            )
        return self._seen(user_id, reply.get("Item"))

    def save(
        self,
        user_id: str,
        update: ProgressUpdate,
        required_exercises: Sequence[str],
        stamp: int | None = None,
    ) -> UserProgress:
        check_user_id(user_id)
        signature = routine_signature(required_exercises)
        if update.is_empty():
            return self.load(user_id)
        # A failed condition drops the whole write, so each retry leaves out what may be
        # stale: first the fold (another device folded since), then the choices (a
        # later-stamped write made them), then the position (another device saved a newer one).
        # Exercises are never lost; the rare case costs a call or two.
        attempts: list[tuple[ProgressUpdate, VersionedFold | None]] = [
            (update, self._planned_fold(user_id))
        ]
        if attempts[0][1] is not None:
            attempts.append((update, None))
        if stamp is not None and update.has_choices():
            attempts.append((update.without_choices(), None))
        if update.position is not None:
            attempts.append((attempts[-1][0].without_position(), None))
        self._register_person(user_id)
        if attempts[0][1] is not None and attempts[0][1].archived:
            self._archive(user_id, attempts[0][1].archived)
        existing = user_id in self._known
        with _faults():
            for number, (attempt, fold) in enumerate(attempts, 1):
                request = build_update(
                    attempt, signature, required_exercises, fold, stamp=stamp, existing=existing
                )
                try:
                    reply = self._update(user_id, request)
                    break
                except self.client.exceptions.ConditionalCheckFailedException:
                    if number == len(attempts):
                        raise
        self.after_write()
        return self._seen(user_id, reply.get("Attributes"))

    def delete_user(self, user_id: str) -> None:
        """The account's item and every person item and archive it registered; the
        account's last, so a redelivered event after a fault still finds the rest."""
        check_user_id(user_id)
        account = owner.account_of(user_id)
        with _faults():
            reply = self.client.get_item(
                TableName=self.table_name,
                Key=self._key(account),
                ConsistentRead=True,
                ProjectionExpression="#pp, #px",
                ExpressionAttributeNames={"#pp": _PEOPLE, "#px": history.ARCHIVES},
            )
            item = reply.get("Item") or {}
            people = item.get(_PEOPLE, {}).get("SS", [])
            archives = history.archive_keys(account, item.get(history.ARCHIVES, {}).get("SS", []))
            for key in [*archives, *sorted(people)]:
                # only keys under this account (archive keys are built from it)
                if key in archives or owner.account_of(key) == account:
                    self.client.delete_item(TableName=self.table_name, Key=self._key(key))
            self.client.delete_item(TableName=self.table_name, Key=self._key(account))
        with self._lock:  # registered and known stay: a late write must not register again
            for key in [account, *people]:
                self._folds.pop(key, None)
                self._known.add(key)

    def archive(self, user_id: str) -> frozenset[str]:
        """Every completed date moved to the user's archive (one GetItem; no session reads
        it: UserProgress.earlier carries what the answers need)."""
        check_user_id(user_id)
        with _faults():
            return history.read_archive(self.client, self.table_name, user_id)

    def _archive(self, user_id: str, dates: frozenset[str]) -> None:
        with _faults():
            history.write_archive(self.client, self.table_name, user_id, dates)

    def _register_person(self, user_id: str) -> None:
        """List a person key under its account before the person's first write (once per
        process and key: an idempotent ADD, so a repeat after a restart costs one call)."""
        if not owner.is_person_key(user_id) or user_id in self._registered:
            return
        with _faults():
            self.client.transact_write_items(
                TransactItems=registration(self.table_name, KEY, user_id, _PEOPLE)
            )
        with self._lock:
            self._registered.add(user_id)
        self._known.add(user_id)

    # -- internals -----------------------------------------------------------------
    def _seen(self, user_id: str, item: dict[str, Any] | None) -> UserProgress:
        """Parse an item just read or written, and plan the user's next fold from it."""
        progress = parse_item(item)
        if item:
            self._known.add(user_id)
        fold = fold_for(item, progress)
        with self._lock:
            self._folds.pop(user_id, None)
            if fold is not None:
                self._folds[user_id] = fold
                while len(self._folds) > _PLANNED_FOLDS:
                    self._folds.popitem(last=False)
        return progress

    def _planned_fold(self, user_id: str) -> VersionedFold | None:
        with self._lock:
            return self._folds.get(user_id)

    @staticmethod
    def _key(user_id: str) -> dict[str, Any]:
        return {KEY: {"S": user_id}}

    def _update(self, user_id: str, request: dict[str, Any]) -> dict[str, Any]:
        reply: dict[str, Any] = self.client.update_item(
            TableName=self.table_name,
            Key=self._key(user_id),
            ReturnValues="ALL_NEW",
            **request,
        )
        return reply


def build_update(
    update: ProgressUpdate,
    signature: str,
    required_exercises: Sequence[str],
    fold: VersionedFold | None = None,
    *,
    stamp: int | None = None,
    existing: bool = False,
) -> dict[str, Any]:
    """UpdateItem arguments for one update: ADD sets, SET scalars, position only if newer,
    choices only if stamped no older than the stored ones, only into an item that still
    exists when `existing`, and a fold of old dates into the history when one is planned."""
    names: dict[str, str] = {"#sv": "sv"}
    values: dict[str, Any] = {":sv": {"N": str(SCHEMA_VERSION)}}
    sets = ["#sv = :sv"]
    adds: list[str] = []
    removes: list[str] = []
    conditions: list[str] = []
    guard(update, stamp, existing, names, values, sets, conditions)

    for i, (day, ids) in enumerate(sorted(update.exercises_done.items())):
        names[f"#d{i}"] = _DAY + day
        values[f":d{i}"] = {"SS": [*sorted(ids), _MARK + signature]}
        adds.append(f"#d{i} :d{i}")
    if update.exercises_done:
        names["#rq"] = _RULE + signature
        values[":rq"] = {"SS": sorted(set(required_exercises))}
        sets.append("#rq = if_not_exists(#rq, :rq)")

    pos = update.position
    if update.clear_position or pos is not None:
        names.update({"#pe": "pe", "#ps": "ps"})
        if update.clear_position:
            removes += ["#pe", "#ps"]
        else:
            assert pos is not None
            values.update({":pe": {"S": pos.exercise}, ":ps": {"S": pos.segment}})
            sets += ["#pe = :pe", "#ps = :ps"]
        if pos is not None:
            # Equal times pass, so repeating the same update stays one call.
            names["#pa"] = "pa"
            values[":pa"] = {"N": str(pos.saved_at)}
            sets.append("#pa = :pa")
            conditions.append("(attribute_not_exists(#pa) OR #pa <= :pa)")

    for i, (key, value) in enumerate(sorted(update.settings.items())):
        names[f"#s{i}"] = _SETTING + key
        values[f":s{i}"] = _attr(value)
        sets.append(f"#s{i} = :s{i}")
    if update.milestones:
        names["#ms"] = "ms"
        values[":ms"] = {"SS": sorted(update.milestones)}
        adds.append("#ms :ms")
    if update.time_zone:
        names["#tz"] = "tz"
        values[":tz"] = {"S": update.time_zone}
        sets.append("#tz = :tz")

    if fold is not None:
        add_fold(fold, update, names, values, sets, removes, conditions)

    _nudge_expressions(update.nudges, names, values, sets, removes)
    expression = "SET " + ", ".join(sets)
    if adds:
        expression += " ADD " + ", ".join(adds)
    if removes:
        expression += " REMOVE " + ", ".join(removes)
    request: dict[str, Any] = {
        "UpdateExpression": expression,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
    }
    if conditions:
        request["ConditionExpression"] = " AND ".join(conditions)
    return request


# -- nudges (skill/progress/nudges.py) ---------------------------------------------------
_REMINDER_TOKEN, _REMINDER_TIME, _OFFER_DECLINED, _CARD_DAY = "rmt", "rmh", "rmx", "wcd"
CARE_NEWS = "cpn"  # care partners: news waits (skill/store/sharing_dynamodb.py sets it)
_PEOPLE = "pp"


def _nudge_expressions(
    change: NudgeUpdate,
    names: dict[str, str],
    values: dict[str, Any],
    sets: list[str],
    removes: list[str],
) -> None:
    """The nudges part of one UpdateItem: SET what is new, REMOVE a forgotten reminder."""
    if change.reminder_token is not None:
        names.update({"#rmt": _REMINDER_TOKEN, "#rmh": _REMINDER_TIME})
        values.update(
            {":rmt": {"S": change.reminder_token}, ":rmh": {"S": change.reminder_time or ""}}
        )
        sets += ["#rmt = :rmt", "#rmh = :rmh"]
    elif change.forget_reminder:
        names.update({"#rmt": _REMINDER_TOKEN, "#rmh": _REMINDER_TIME})
        removes += ["#rmt", "#rmh"]
    if change.reminder_offer_declined:
        names["#rmx"] = _OFFER_DECLINED
        values[":rmx"] = {"BOOL": True}
        sets.append("#rmx = :rmx")
    if change.summary_card_on:
        names["#wcd"] = _CARD_DAY
        values[":wcd"] = {"S": change.summary_card_on}
        sets.append("#wcd = :wcd")


def _parse_nudges(item: dict[str, Any]) -> Nudges:
    token = item.get(_REMINDER_TOKEN, {}).get("S")
    at = item.get(_REMINDER_TIME, {}).get("S")
    return Nudges(
        reminder_token=token if token and at else None,
        reminder_time=at if token and at else None,
        reminder_offer_declined=bool(item.get(_OFFER_DECLINED, {}).get("BOOL")),
        summary_card_on=item.get(_CARD_DAY, {}).get("S"),
        care_news=CARE_NEWS in item,
    )


def _attr(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int):
        return {"N": str(value)}
    return {"S": str(value)}


def _value(attr: dict[str, Any]) -> Any:
    if "N" in attr:
        return _int(attr["N"])
    if "BOOL" in attr:
        return bool(attr["BOOL"])
    if "S" in attr:
        return attr["S"]
    if "SS" in attr:
        return list(attr["SS"])
    return None


def _int(text: str) -> int:
    # Numbers are stored as integers; read them back as int, never Decimal.
    return int(Decimal(text))


def parse_item(item: dict[str, Any] | None) -> UserProgress:
    """A stored item (low-level attribute values) as UserProgress."""
    if not item:
        return UserProgress()
    days: dict[str, frozenset[str]] = {}
    marks: dict[str, list[str]] = {}
    rules: dict[str, frozenset[str]] = {}
    settings: dict[str, Any] = {}
    for name, attr in item.items():
        if name.startswith(_DAY):
            members = attr.get("SS", [])
            day = name[len(_DAY) :]
            days[day] = frozenset(m for m in members if not m.startswith(_MARK))
            marks[day] = [m[len(_MARK) :] for m in members if m.startswith(_MARK)]
        elif name.startswith(_RULE):
            rules[name[len(_RULE) :]] = frozenset(attr.get("SS", []))
        elif name.startswith(_SETTING):
            settings[name[len(_SETTING) :]] = _value(attr)
    routines = {day: [rules[s] for s in sigs if s in rules] for day, sigs in marks.items()}
    history = unpack_dates(item.get(_HISTORY, {}).get("S", ""))
    position = None
    if "pe" in item and "pa" in item:
        position = Position(item["pe"]["S"], item.get("ps", {}).get("S", ""), _int(item["pa"]["N"]))
    return UserProgress(
        exercises_by_date=days,
        completed_days=derive_completed(days, routines) | history,
        position=position,
        settings=settings,
        milestones=frozenset(item.get("ms", {}).get("SS", [])),
        time_zone=item.get("tz", {}).get("S"),
        schema_version=_int(item["sv"]["N"]) if "sv" in item else SCHEMA_VERSION,
        nudges=_parse_nudges(item),
        earlier=EarlierDays.unpack(item.get(_EARLIER, {}).get("S")),
    )
