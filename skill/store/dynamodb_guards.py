"""What keeps a DynamoDB write honest (skill/store/dynamodb.py has the item layout):
botocore faults as StoreUnavailable, the transaction that registers a person, and the
conditions that stop a late write from going back in time or recreating a deleted item.
"""

from __future__ import annotations

from typing import Any, Literal

from skill.progress.records import SCHEMA_VERSION, ProgressUpdate
from skill.store.base import StoreUnavailable
from skill.store.erasure import LaterErasures

WRITE_STAMP = "ws"  # N: the stamp of the last write that stored choices
KEY_NAME = "userId"  # the table's partition key (dynamodb.KEY)


class faults:
    """Turn every botocore fault into StoreUnavailable (the caller retries next turn)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: BaseException | None, tb: Any) -> Literal[False]:
        if exc is None:
            return False
        from botocore.exceptions import BotoCoreError, ClientError

        if isinstance(exc, ClientError):
            code = exc.response.get("Error", {}).get("Code", "ClientError")
            raise StoreUnavailable(f"dynamodb: {code}") from exc
        if isinstance(exc, BotoCoreError):
            raise StoreUnavailable(f"dynamodb: {type(exc).__name__}") from exc
        return False


def registration(table: str, key_name: str, person_key: str, people: str) -> list[dict[str, Any]]:
    """TransactItems listing a person under its account and creating the person's item.

    One transaction: botocore fills its idempotency token once and repeats it on a retry,
    so a retry landing after a delete is not applied again (DynamoDB keeps the token ten
    minutes), and there is never a person item its account does not list.
    """
    from skill.progress.owner import account_of

    return [
        {
            "Update": {
                "TableName": table,
                "Key": {key_name: {"S": account_of(person_key)}},
                "UpdateExpression": "ADD #pp :pp",
                "ExpressionAttributeNames": {"#pp": people},
                "ExpressionAttributeValues": {":pp": {"SS": [person_key]}},
            }
        },
        {
            "Update": {
                "TableName": table,
                "Key": {key_name: {"S": person_key}},
                "UpdateExpression": "SET #sv = if_not_exists(#sv, :sv)",
                "ExpressionAttributeNames": {"#sv": "sv"},
                "ExpressionAttributeValues": {":sv": {"N": str(SCHEMA_VERSION)}},
            }
        },
    ]


def guard(
    update: ProgressUpdate,
    stamp: int | None,
    existing: bool,
    names: dict[str, str],
    values: dict[str, Any],
    sets: list[str],
    conditions: list[str],
) -> None:
    """An UpdateItem's guards: the item must still exist (when it was seen stored), and
    the update's choices must be stamped no older than the stored ones."""
    if existing:
        names["#key"] = KEY_NAME
        conditions.append("attribute_exists(#key)")  # true exactly while the item exists
    if stamp is not None and update.has_choices():
        names["#ws"] = WRITE_STAMP
        values[":ws"] = {"N": str(stamp)}
        sets.append("#ws = :ws")
        conditions.append("(attribute_not_exists(#ws) OR #ws <= :ws)")


TOMBSTONES = "erase#pending"  # item key: accounts whose erase failed, to be completed
_ERASING = "ac"  # SS on that item


class Tombstones(LaterErasures):
    """Failed erases written where DynamoDB may still take a write: an item of their own
    (not the account's, whose writes were failing), completed by a later successful write
    or SkillDisabled (skill/store/erasure.py)."""

    table_name: str
    client: Any

    def leave_tombstone(self, account: str) -> None:
        with faults():
            self.client.update_item(
                TableName=self.table_name,
                Key={KEY_NAME: {"S": TOMBSTONES}},
                UpdateExpression="ADD #ac :ac",
                ExpressionAttributeNames={"#ac": _ERASING},
                ExpressionAttributeValues={":ac": {"SS": [account]}},
            )

    def tombstones(self) -> list[str]:
        with faults():
            reply = self.client.get_item(
                TableName=self.table_name, Key={KEY_NAME: {"S": TOMBSTONES}}, ConsistentRead=True
            )
        return list((reply.get("Item") or {}).get(_ERASING, {}).get("SS", []))

    def clear_tombstone(self, account: str) -> None:
        with faults():
            self.client.update_item(
                TableName=self.table_name,
                Key={KEY_NAME: {"S": TOMBSTONES}},
                UpdateExpression="DELETE #ac :ac",
                ExpressionAttributeNames={"#ac": _ERASING},
                ExpressionAttributeValues={":ac": {"SS": [account]}},
            )
