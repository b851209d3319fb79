"""The DynamoDB record's history: folds of old detail dates into `hc`, and the archive
item that takes hc's oldest dates (layout in skill/store/dynamodb.py's docstring)."""

from __future__ import annotations

from typing import Any

from skill.progress import owner
from skill.progress.earlier import EarlierDays, plan_archive, summarise
from skill.progress.records import (
    Fold,
    ProgressUpdate,
    UserProgress,
    pack_dates,
    plan_fold,
    unpack_dates,
)

ARCHIVE_KEY = "#archive"
ARCHIVES = "px"  # SS on the account's item: "-" (its own archive) and people's digests
_OWN = "-"
_DAY, _HISTORY, _HISTORY_VERSION, _EARLIER, _ARCHIVED = "d#", "hc", "hv", "ha", "a#"


def archive_key(user_id: str) -> str:
    return user_id + ARCHIVE_KEY


class VersionedFold:
    """A fold planned from an item, valid while the item's history version is `version`;
    `archived` leave hc for the archive, and `earlier` are the figures after that."""

    def __init__(
        self,
        fold: Fold,
        version: int | None,
        archived: frozenset[str] = frozenset(),
        earlier: EarlierDays | None = None,
    ) -> None:
        self.fold, self.version = fold, version
        self.archived, self.earlier = archived, earlier


def fold_for(item: dict[str, Any] | None, progress: UserProgress) -> VersionedFold | None:
    """The fold due on this item (records.plan_fold), or None; `progress` is the item parsed."""
    if not item:
        return None
    history = unpack_dates(item.get(_HISTORY, {}).get("S", ""))
    fold = plan_fold(progress.exercises_by_date.keys(), progress.completed_days, history)
    if fold is None:
        return None
    version = int(item[_HISTORY_VERSION]["N"]) if _HISTORY_VERSION in item else None
    folded = unpack_dates(fold.history)
    archived = plan_archive(folded, max(progress.exercises_by_date))
    if not archived:
        return VersionedFold(fold, version)
    kept = Fold(fold.days, pack_dates(folded - archived))
    earlier = progress.earlier  # a date at or before its last is counted there already
    new = [d for d in archived if earlier is None or d > earlier.last]
    return VersionedFold(kept, version, archived, summarise(new, earlier))


def add_fold(
    planned: VersionedFold,
    update: ProgressUpdate,
    names: dict[str, str],
    values: dict[str, Any],
    sets: list[str],
    removes: list[str],
    conditions: list[str],
) -> None:
    """SET the new history and its version, REMOVE the folded d# attributes, on condition
    that the history version is still the one the fold was planned from."""
    names.update({"#hc": _HISTORY, "#hv": _HISTORY_VERSION})
    values[":hc"] = {"S": planned.fold.history}
    values[":hv"] = {"N": str((planned.version or 0) + 1)}
    sets += ["#hc = :hc", "#hv = :hv"]
    if planned.earlier is not None:
        names["#ha"] = _EARLIER
        values[":ha"] = {"S": planned.earlier.pack()}
        sets.append("#ha = :ha")
    if planned.version is None:  # the item must still exist: never revive a deleted history
        conditions.append("(attribute_exists(#sv) AND attribute_not_exists(#hv))")
    else:
        values[":hv0"] = {"N": str(planned.version)}
        conditions.append("#hv = :hv0")
    written = set(update.exercises_done)  # one expression cannot both ADD and REMOVE a path
    for i, day in enumerate(d for d in planned.fold.days if d not in written):
        names[f"#f{i}"] = _DAY + day
        removes.append(f"#f{i}")


def read_archive(client: Any, table: str, user_id: str) -> frozenset[str]:
    reply = client.get_item(
        TableName=table, Key={"userId": {"S": archive_key(user_id)}}, ConsistentRead=True
    )
    dates: set[str] = set()
    for name, attr in (reply.get("Item") or {}).items():
        if name.startswith(_ARCHIVED):
            dates |= unpack_dates(attr.get("S", ""))
    return frozenset(dates)


def archive_keys(account: str, marks: list[str]) -> list[str]:
    """The archive items an account's `px` marks name."""
    return sorted(
        archive_key(account if mark == _OWN else f"{account}{owner.PERSON_MARK}{mark}")
        for mark in marks
    )


def write_archive(client: Any, table: str, user_id: str, dates: frozenset[str]) -> None:
    """Dates leaving the record, into the archive item; marked on the account's item
    first (a digest, or "-" for its own), so deleting the account finds it: two
    idempotent writes, every two months or so."""
    key = archive_key(user_id)
    mark = user_id.split(owner.PERSON_MARK, 1)[1] if owner.is_person_key(user_id) else _OWN
    client.update_item(
        TableName=table,
        Key={"userId": {"S": owner.account_of(user_id)}},
        UpdateExpression="ADD #px :px",
        ExpressionAttributeNames={"#px": ARCHIVES},
        ExpressionAttributeValues={":px": {"SS": [mark]}},
    )
    client.update_item(
        TableName=table,
        Key={"userId": {"S": key}},
        UpdateExpression="SET #a = :a",
        ExpressionAttributeNames={"#a": _ARCHIVED + min(dates)},
        ExpressionAttributeValues={":a": {"S": pack_dates(dates)}},
    )
