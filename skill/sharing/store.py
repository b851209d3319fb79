"""The sharing store protocol, implemented beside each progress store
(skill/store/sharing_sqlite.py, skill/store/sharing_dynamodb.py).

Keys are owner keys (skill.progress.owner): an account, or a recognised person in it.
No call scans: each reads or writes records by key. A person with no followers costs
nothing at session start: the only sign of sharing there is a news flag on the progress
record itself (`Nudges.care_news`), read with it.
"""

from __future__ import annotations

from typing import Protocol

from skill.sharing.records import Sharing


class SharingStore(Protocol):
    def sharing(self, owner: str) -> Sharing:
        """One read of the owner's sharing record (empty when there is none)."""
        ...

    def offer_code(self, owner: str, digest: str, name: str, now_ms: int) -> bool:
        """Keep a new code for `owner`, replacing its previous one. False when a live code
        already has this digest (draw another)."""
        ...

    def redeem(self, follower: str, digest: str, label: str, now_ms: int) -> str | None:
        """Use a code: the person's key, now linked to `follower` (who calls them `label`);
        None for a wrong, used or expired code, or the follower's own account's. The code
        is gone after its first use."""
        ...

    def wrong_code(self, account: str, now_ms: int) -> tuple[int, ...]:
        """Record a wrong code by `account`; the wrong-code times that still count."""
        ...

    def unlink(self, person: str, follower: str, now_ms: int) -> None:
        """End one link: the follower is told at their next launch; their waiting
        messages to the person are dropped."""
        ...

    def send(self, person: str, follower: str, text: str, now_ms: int) -> bool:
        """A message for the person's next launch. False unless linked and room is left."""
        ...

    def take_news(self, owner: str) -> Sharing:
        """What waits for the owner (new followers, messages, ended links), now cleared,
        with the news flag."""
        ...

    def forget_account(self, account: str) -> None:
        """SkillDisabled: every link either way of the account and its people, their
        codes and waiting messages. Run before the progress store's delete_user."""
        ...
