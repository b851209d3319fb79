"""Care partners on DynamoDB (skill/sharing/store.py), in the progress table.

Items (partition key `userId`, like every item in the table):

    <owner>                 the progress item; sharing adds only
        cpn     N   news waits for the next launch (read with the progress: one read)
    <owner>#care            one owner's sharing record, read only when sharing is used
        f#<d>   M   a follower {k: owner key, n: name the person gave, t: since ms}
        nf#<d>  S   that follower is not yet announced (value: the follower's key)
        w#<d>   M   a person this owner follows {k, n: name this owner gave, t}
        m#<t>#<d> M a waiting message {k: follower key, x: text, t: ms}
        mc      N   waiting messages (the condition that bounds them)
        e#<d>   S   "sharing ended" notice: the name of the person who stopped
        cd      S   digest of the owner's outstanding code
        wc, wv  L,N wrong-code times (ms) and their version (account records only)
        own     SS  owner keys of this account with a care record (account records only)
    care-code#<digest>      one live code
        o, a, n S   owner key, its account, the follower's name given by the person
        x       N   expiry, ms by the request clock (checked on every use)
        ttl     N   expiry, epoch seconds: DynamoDB's TTL sweeps expired codes

<d> is a digest of the other side's owner key, so attribute names stay short; the key
itself is in the value. Every call names its item: GetItem, UpdateItem, DeleteItem, and
one TransactWriteItems of Updates and a Delete (which IAM governs by UpdateItem and
DeleteItem); no Scan or Query. A code is used in that transaction: deleted on condition
(live, the same owner's, not the follower's own account's) with both sides of the link,
so it is used once only, and never used up by a link half made.
"""

from __future__ import annotations

import hashlib
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from skill.progress import owner as owners
from skill.sharing import codes
from skill.sharing.records import (
    MAX_WAITING_MESSAGES,
    Link,
    Message,
    Sharing,
    recent_wrong_codes,
)
from skill.store.base import check_user_id
from skill.store.dynamodb import CARE_NEWS, KEY
from skill.store.dynamodb_guards import faults as _faults

if TYPE_CHECKING:
    from skill.store.dynamodb import DynamoDBProgressStore

CARE = "#care"
CODE = "care-code#"
_FOLLOWER, _NEW, _FOLLOWS, _MESSAGE, _ENDED = "f#", "nf#", "w#", "m#", "e#"
_WAITING, _CODE, _WRONG, _WRONG_VERSION, _OWN = "mc", "cd", "wc", "wv", "own"
_RETRIES = 3  # optimistic writes of the wrong-code list
TTL = "ttl"  # template.yaml's TimeToLiveSpecification names this attribute


def _d(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:20]


def _key(value: str) -> dict[str, Any]:
    return {KEY: {"S": value}}


class DynamoDBSharingStore:
    def __init__(self, progress: DynamoDBProgressStore) -> None:
        self.progress = progress

    @property
    def _client(self) -> Any:
        return self.progress.client

    @property
    def _table(self) -> str:
        return self.progress.table_name

    # -- reads -----------------------------------------------------------------------
    def sharing(self, owner: str) -> Sharing:
        check_user_id(owner)
        return parse_care(self._get(owner + CARE))

    # -- writes ----------------------------------------------------------------------
    def offer_code(self, owner: str, digest: str, name: str, now_ms: int) -> bool:
        check_user_id(owner)
        expires = now_ms + codes.LIFETIME_MS
        with _faults():
            try:
                self._client.update_item(
                    TableName=self._table,
                    Key=_key(CODE + digest),
                    UpdateExpression="SET o = :o, a = :a, n = :n, x = :x, #ttl = :ttl",
                    ConditionExpression="attribute_not_exists(#k) OR x <= :now",
                    ExpressionAttributeNames={"#k": KEY, "#ttl": TTL},
                    ExpressionAttributeValues={
                        ":o": {"S": owner},
                        ":a": {"S": owners.account_of(owner)},
                        ":n": {"S": name},
                        ":x": {"N": str(expires)},
                        ":ttl": {"N": str(expires // 1000 + 1)},
                        ":now": {"N": str(now_ms)},
                    },
                )
            except self._client.exceptions.ConditionalCheckFailedException:
                return False
            old = self._update(
                owner + CARE,
                "SET #cd = :cd",
                {"#cd": _CODE},
                {":cd": {"S": digest}},
                returns="UPDATED_OLD",
            )
            previous = old.get(_CODE, {}).get("S")
            if previous and previous != digest:
                self._client.delete_item(TableName=self._table, Key=_key(CODE + previous))
        self._register(owner)
        return True

    def redeem(self, follower: str, digest: str, label: str, now_ms: int) -> str | None:
        """One read of the code, then one transaction: the code deleted (still live, still
        the same owner's, not the follower's own account's) together with both sides of
        the link, the person's news flag and both registrations. All or nothing: a code
        is never used up by a link half made, nor used twice."""
        check_user_id(follower)
        account = owners.account_of(follower)
        with _faults():
            code = self._get(CODE + digest)
            person = code.get("o", {}).get("S")
            expires = int(code.get("x", {}).get("N", "0"))
            if not isinstance(person, str) or not person or expires <= now_ms:
                return None
            if owners.account_of(person) == account:
                return None
            name = code.get("n", {}).get("S", "")
            delete = {
                "Delete": {
                    "TableName": self._table,
                    "Key": _key(CODE + digest),
                    "ConditionExpression": "x > :now AND a <> :a AND o = :o",
                    "ExpressionAttributeValues": {
                        ":now": {"N": str(now_ms)},
                        ":a": {"S": account},
                        ":o": {"S": person},
                    },
                }
            }
            df, dp = _d(follower), _d(person)
            person_side = _action(
                person + CARE,
                "SET #f = :f, #nf = :k",
                {"#f": _FOLLOWER + df, "#nf": _NEW + df},
                {":f": _link(follower, name, now_ms), ":k": {"S": follower}},
            )
            follower_side = _action(
                follower + CARE,
                "SET #w = :w REMOVE #e",
                {"#w": _FOLLOWS + dp, "#e": _ENDED + dp},
                {":w": _link(person, label, now_ms)},
            )
            flag = _action(person, "SET #n = :one", {"#n": CARE_NEWS}, {":one": {"N": "1"}})
            actions = [delete, *_registered(person_side, person), flag]
            actions += _registered(follower_side, follower)
            token = hashlib.sha256(f"{digest}|{follower}|{now_ms}".encode()).hexdigest()[:36]
            try:
                # The token makes a retried request (a lost reply) succeed again, not fail.
                self._client.transact_write_items(
                    TransactItems=[_table(action, self._table) for action in actions],
                    ClientRequestToken=token,
                )
            except self._client.exceptions.TransactionCanceledException:
                return None  # used or changed since it was read
        return person

    def wrong_code(self, account: str, now_ms: int) -> tuple[int, ...]:
        check_user_id(account)
        with _faults():
            for attempt in range(_RETRIES):
                item = self._get(account + CARE, projection=[_WRONG, _WRONG_VERSION])
                version = int(item.get(_WRONG_VERSION, {}).get("N", "0"))
                times = recent_wrong_codes([*_times(item), now_ms], now_ms)
                try:
                    self._update(
                        account + CARE,
                        "SET #wc = :wc, #wv = :next",
                        {"#wc": _WRONG, "#wv": _WRONG_VERSION},
                        {
                            ":wc": {"L": [{"N": str(t)} for t in times]},
                            ":next": {"N": str(version + 1)},
                            ":v": {"N": str(version)},
                        },
                        condition="attribute_not_exists(#wv) OR #wv = :v",
                    )
                    break
                except self._client.exceptions.ConditionalCheckFailedException:
                    if attempt == _RETRIES - 1:
                        raise
        self._register(account)
        return times

    def unlink(self, person: str, follower: str, now_ms: int) -> None:
        check_user_id(person)
        with _faults():
            self._drop_follower(person, follower, self._get(person + CARE))
            self._end_following(follower, person, tell=True)

    def send(self, person: str, follower: str, text: str, now_ms: int) -> bool:
        check_user_id(person)
        df = _d(follower)
        message = {"M": {"k": {"S": follower}, "x": {"S": text}, "t": {"N": str(now_ms)}}}
        with _faults():
            try:
                self._update(
                    person + CARE,
                    "SET #m = :m, #mc = if_not_exists(#mc, :zero) + :one",
                    {"#m": f"{_MESSAGE}{now_ms:015d}#{df}", "#mc": _WAITING, "#f": _FOLLOWER + df},
                    {":m": message, ":zero": {"N": "0"}, ":one": {"N": "1"},
                     ":max": {"N": str(MAX_WAITING_MESSAGES)}},
                    condition="attribute_exists(#f) AND (attribute_not_exists(#mc) OR #mc < :max)",
                )  # fmt: skip
            except self._client.exceptions.ConditionalCheckFailedException:
                return False
            self._flag(person)
        return True

    def take_news(self, owner: str) -> Sharing:
        check_user_id(owner)
        with _faults():
            # The flag first: news that arrives after this read sets it again.
            # No progress item (condition fails): no flag to clear.
            with suppress(self._client.exceptions.ConditionalCheckFailedException):
                self._update(
                    owner,
                    "REMOVE #n",
                    {"#n": CARE_NEWS, "#k": KEY},
                    None,
                    condition="attribute_exists(#k)",
                )
            item = self._get(owner + CARE)
            taken = [n for n in item if n.startswith((_NEW, _MESSAGE, _ENDED))]
            messages = sum(1 for n in taken if n.startswith(_MESSAGE))
            if taken:
                self._remove(owner + CARE, taken, messages)
        return parse_care(item)

    def forget_account(self, account: str) -> None:
        check_user_id(account)
        with _faults():
            own = self._get(account + CARE, projection=[_OWN]).get(_OWN, {}).get("SS", [])
            keys = sorted({account, *(k for k in own if owners.account_of(k) == account)})
            for key in keys:
                item = self._get(key + CARE)
                record = parse_care(item)
                for link in record.followers:
                    self._end_following(link.key, key, tell=True)
                for link in record.following:
                    self._drop_follower(link.key, key, self._get(link.key + CARE))
                if record.code:
                    self._client.delete_item(TableName=self._table, Key=_key(CODE + record.code))
                self._client.delete_item(TableName=self._table, Key=_key(key + CARE))

    # -- internals -------------------------------------------------------------------
    def _drop_follower(self, person: str, follower: str, item: dict[str, Any]) -> None:
        """Remove a follower from the person's record, with their waiting messages."""
        df = _d(follower)
        names = [_FOLLOWER + df, _NEW + df]
        names += [n for n in item if n.startswith(_MESSAGE) and n.endswith("#" + df)]
        present = [n for n in names if n in item]
        if present:
            self._remove(person + CARE, present, sum(1 for n in present if n.startswith(_MESSAGE)))

    def _end_following(self, follower: str, person: str, tell: bool) -> None:
        """Remove the person from the follower's record; tell the follower at next launch."""
        dp = _d(person)
        try:  # conditional: never creates an empty record where there was none
            old = self._update(
                follower + CARE,
                "REMOVE #w",
                {"#w": _FOLLOWS + dp},
                None,
                condition="attribute_exists(#w)",
                returns="UPDATED_OLD",
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return
        link = old.get(_FOLLOWS + dp)
        if link is None or not tell:
            return
        name = link.get("M", {}).get("n", {}).get("S", "")
        self._update(follower + CARE, "SET #e = :n", {"#e": _ENDED + dp}, {":n": {"S": name}})
        self._flag(follower)

    def _remove(self, key: str, names: list[str], messages: int) -> None:
        aliases = {f"#r{i}": name for i, name in enumerate(names)}
        expression = "REMOVE " + ", ".join(aliases)
        values = None
        if messages:
            aliases["#mc"] = _WAITING
            expression = f"SET #mc = #mc - :taken {expression}"
            values = {":taken": {"N": str(messages)}}
        aliases["#k"] = KEY
        with suppress(self._client.exceptions.ConditionalCheckFailedException):
            self._update(key, expression, aliases, values, condition="attribute_exists(#k)")

    def _flag(self, owner: str) -> None:
        """News for the owner's next launch, on the progress item read at session start."""
        self._update(owner, "SET #n = :one", {"#n": CARE_NEWS}, {":one": {"N": "1"}})

    def _register(self, owner: str) -> None:
        """List a care record under its account, so SkillDisabled finds it by key."""
        with _faults():
            self._update(
                owners.account_of(owner) + CARE,
                "ADD #own :k",
                {"#own": _OWN},
                {":k": {"SS": [owner]}},
            )

    def _get(self, key: str, projection: list[str] | None = None) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        if projection:
            aliases = {f"#p{i}": name for i, name in enumerate(projection)}
            extra = {
                "ProjectionExpression": ", ".join(aliases),
                "ExpressionAttributeNames": aliases,
            }
        with _faults():
            reply = self._client.get_item(
                TableName=self._table, Key=_key(key), ConsistentRead=True, **extra
            )
        item: dict[str, Any] = reply.get("Item") or {}
        return item

    def _update(
        self,
        key: str,
        expression: str,
        names: dict[str, str],
        values: dict[str, Any] | None,
        condition: str | None = None,
        returns: str = "NONE",
    ) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        if values:
            extra["ExpressionAttributeValues"] = values
        if condition:
            extra["ConditionExpression"] = condition
        reply = self._client.update_item(
            TableName=self._table,
            Key=_key(key),
            UpdateExpression=expression,
            ExpressionAttributeNames=names,
            ReturnValues=returns,
            **extra,
        )
        attributes: dict[str, Any] = reply.get("Attributes") or {}
        return attributes


def _action(
    key: str, expression: str, names: dict[str, str], values: dict[str, Any]
) -> dict[str, Any]:
    """An Update of a transaction (the table name is added when it is sent)."""
    return {
        "Update": {
            "Key": _key(key),
            "UpdateExpression": expression,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
    }


def _registered(update: dict[str, Any], owner: str) -> list[dict[str, Any]]:
    """`update` of the owner's care record, and the owner listed under its account: in
    the same Update when the owner is the account (a transaction names an item once)."""
    own = {"#own": _OWN}, {":own": {"SS": [owner]}}
    account = owners.account_of(owner)
    if account == owner:
        body = update["Update"]
        body["UpdateExpression"] += " ADD #own :own"
        body["ExpressionAttributeNames"] |= own[0]
        body["ExpressionAttributeValues"] |= own[1]
        return [update]
    return [update, _action(account + CARE, "ADD #own :own", *own)]


def _table(action: dict[str, Any], table: str) -> dict[str, Any]:
    ((kind, body),) = action.items()
    return {kind: {**body, "TableName": table}}


def _link(key: str, name: str, since_ms: int) -> dict[str, Any]:
    return {"M": {"k": {"S": key}, "n": {"S": name}, "t": {"N": str(since_ms)}}}


def _times(item: dict[str, Any]) -> list[int]:
    return [int(v["N"]) for v in item.get(_WRONG, {}).get("L", []) if "N" in v]


def _parse_link(attr: dict[str, Any]) -> Link:
    body = attr.get("M", {})
    return Link(
        body.get("k", {}).get("S", ""),
        body.get("n", {}).get("S", ""),
        int(body.get("t", {}).get("N", "0")),
    )


def parse_care(item: dict[str, Any]) -> Sharing:
    """A care record (low-level attribute values) as Sharing."""
    followers, following, new, messages, ended = [], [], [], [], []
    for name in sorted(item):
        attr = item[name]
        if name.startswith(_FOLLOWER):
            followers.append(_parse_link(attr))
        elif name.startswith(_FOLLOWS):
            following.append(_parse_link(attr))
        elif name.startswith(_NEW):
            new.append(attr.get("S", ""))
        elif name.startswith(_MESSAGE):
            body = attr.get("M", {})
            messages.append(
                Message(
                    body.get("k", {}).get("S", ""),
                    body.get("x", {}).get("S", ""),
                    int(body.get("t", {}).get("N", "0")),
                )
            )
        elif name.startswith(_ENDED):
            ended.append(attr.get("S", ""))
    return Sharing(
        followers=tuple(sorted(followers, key=lambda link: link.since_ms)),
        following=tuple(sorted(following, key=lambda link: link.since_ms)),
        new_followers=tuple(new),
        messages=tuple(messages),
        ended=tuple(ended),
        wrong_codes=tuple(sorted(_times(item))),
        code=item.get(_CODE, {}).get("S"),
    )
