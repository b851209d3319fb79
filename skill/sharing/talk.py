"""What each care-partner utterance does and says. No ASK SDK: the dialogue table names
an action (skill/conversation/actions/care.py) for each sharing utterance in each phase,
and the action calls one method here.

A sharing question (a yes for a code, the code itself, whom a message is for) is a phase
of the dialogue; what it needs to know next turn is `Answer.pending`, kept bounded in the
session state (skill.conversation.state.care_data).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from msgspec import Struct, field

from skill.progress import owner as owners
from skill.progress.practice import practice_summary
from skill.progress.records import UserProgress
from skill.sharing import codes
from skill.sharing.intents import (
    ASK_ABOUT,
    AWAIT_CODE,
    AWAIT_MESSAGE,
    CONFIRM_SHARE,
    CONFIRM_STOP,
    MESSAGE,
    WHICH,
)
from skill.sharing.records import (
    MAX_LINKS,
    Link,
    Sharing,
    clean_message,
    clean_name,
    locked_until,
)
from skill.sharing.store import SharingStore
from skill.speech.copy import Copy
from skill.speech.script import Item, Pause, Say
from skill.speech.ssml import SayDigits

CODE_TRIES = 5  # draws of a fresh code when one collides with a live code
DIGIT_GAP_S = 0.4  # between the digits of a spoken code


class Said(Struct, frozen=True):
    """What the utterance carried: a first name, a relation, a code, a message (as heard)."""

    name: str | None = None
    relation: str | None = None  # "mum", "daughter": as heard
    code: str | None = None
    message: str | None = None


class Answer(Struct):
    items: list[Item]
    ask: Sequence[Item] | None = None  # a sharing question waits: said again on a reprompt
    pending: dict[str, Any] | None = None  # kept in the session for the next turn


class CareSource(Struct, frozen=True):
    """What the host gives the sharing conversation for one request."""

    store: SharingStore
    progress_of: Callable[[str], UserProgress]  # the progress store's load (one read)
    me: str  # the speaker's owner key: a recognised person, else the account
    local_date: Callable[[str | None], date]  # the request's date in a zone
    who_is: Callable[[str], str] = str.lower

    def partners(self, copy: Copy, now_ms: int, pending: Mapping[str, Any]) -> CarePartners:
        return CarePartners(
            store=self.store,
            progress_of=self.progress_of,
            me=self.me,
            copy=copy,
            now_ms=now_ms,
            local_date=self.local_date,
            pending=pending,
            who_is=self.who_is,
        )


class CarePartners(Struct):
    store: SharingStore
    progress_of: Callable[[str], UserProgress]  # the progress store's load (one read)
    me: str  # the speaker's owner key: a recognised person, else the account
    copy: Copy
    now_ms: int
    local_date: Callable[[str | None], date]  # the request's date in a zone
    pending: Mapping[str, Any] = field(default_factory=dict)
    # Who a name means: "mom", "my mum" and "mother" are one person (the model's
    # RELATION synonyms); a first name is itself.
    who_is: Callable[[str], str] = str.lower

    @staticmethod
    def asking(items: list[Item], again: Say, pending: dict[str, Any]) -> Answer:
        """A sharing question, open until answered; `again` is its reprompt."""
        return Answer(items, [again], pending)

    def not_asked(self, said: Said) -> Answer:
        return Answer([self.say("care.not_asked")])

    # ================================================================ the person shares
    def offer_share(self, said: Said) -> Answer:
        record = self.store.sharing(self.me)
        if len(record.followers) >= MAX_LINKS:
            return Answer([self.say("care.too_many_followers")])
        question = self.say("care.offer_code_question")
        return self.asking(
            [self.say("care.what_is_shared"), question],
            question,
            {"ask": CONFIRM_SHARE, "name": self.follower_name(said)},
        )

    def give_code(self) -> Answer:
        name = clean_name(self.pending.get("name")) or ""
        for _ in range(CODE_TRIES):
            code = codes.new_code()
            if self.store.offer_code(self.me, codes.digest(code), name, self.now_ms):
                break
        else:
            return Answer([self.say("care.no_code")])
        spoken = SayDigits(" ".join(code), digits=code, gap_seconds=DIGIT_GAP_S)
        return Answer(
            [
                self.say("care.code_intro"),
                Pause(0.5),
                spoken,
                Pause(1.0),
                self.say("care.code_again"),
                Pause(0.5),
                spoken,
                Pause(0.5),
                self.say("care.code_how_to_use"),
            ]
        )

    # ================================================================ the follower links
    def follow(self, said: Said) -> Answer:
        if self.locked():
            return Answer([self.say("care.locked")])
        again = self.say("care.code_question_again")
        pending = {"ask": AWAIT_CODE, "name": self.followed_name(said)}
        return self.asking([self.say("care.code_question")], again, pending)

    def use_code(self, said: Said) -> Answer:
        mine = self.store.sharing(self.me)
        if self.locked(mine):
            return Answer([self.say("care.locked")])
        code = codes.heard_code(said.code)
        label = self.followed_name(said) or clean_name(self.pending.get("name")) or ""
        again = self.say("care.code_question_again")
        if code is None:
            heard = self.say("care.code_not_heard")
            return self.asking([heard, again], again, {"ask": AWAIT_CODE, "name": label})
        if len(mine.following) >= MAX_LINKS:
            return Answer([self.say("care.too_many_following")])
        person = self.store.redeem(self.me, codes.digest(code), label, self.now_ms)
        if person is None:
            wrong = self.store.wrong_code(owners.account_of(self.me), self.now_ms)
            if locked_until(wrong, self.now_ms) is not None:
                return Answer([self.say("care.code_wrong_locked")])
            wrong_code = self.say("care.code_wrong")
            return self.asking([wrong_code, again], again, {"ask": AWAIT_CODE, "name": label})
        who = label or self.copy.say("care.them")
        return Answer([self.say("care.linked", who=who)])

    def locked(self, mine: Sharing | None = None) -> bool:
        """The account's wrong codes lock out all its people (`mine`: the speaker's own
        record, already read; the account's, when the speaker is the account)."""
        account = owners.account_of(self.me)
        record = mine if mine is not None and account == self.me else self.store.sharing(account)
        return locked_until(record.wrong_codes, self.now_ms) is not None

    # ================================================================ the follower asks
    def ask_about(self, said: Said) -> Answer:
        record = self.store.sharing(self.me)
        link = self.choose(record, said)
        if isinstance(link, Answer):
            return link
        return Answer(self.adherence(link))

    def adherence(self, link: Link) -> list[Item]:
        progress = self.progress_of(link.key)
        today = self.local_date(progress.time_zone)
        summary = practice_summary(progress, today)
        who = link.name or self.copy.say("care.them")
        items: list[Item] = [
            self.say(
                "care.done_today" if summary.completed_today else "care.not_done_today", who=who
            ),
            self.say("care.this_week", who=who, days=self.days(summary.days_this_week)),
        ]
        if summary.streak > 1:
            items.append(self.say("care.streak", days=self.days(summary.streak)))
        last = summary.last_day
        if last is None:
            items.append(self.say("care.never_done", who=who))
        elif last != today:
            ago = (today - last).days
            when = (
                self.copy.say("care.yesterday")
                if ago == 1
                else self.copy.say("care.days_ago", days=self.days(ago))
            )
            items.append(self.say("care.last_done", who=who, when=when))
        return items

    # ================================================================ encouragement
    def message(self, said: Said) -> Answer:
        text = clean_message(said.message) or clean_message(self.pending.get("message"))
        record = self.store.sharing(self.me)
        target = self.pending.get("to") if self.pending.get("ask") == AWAIT_MESSAGE else None
        link = by_ref(record.following, target) or self.choose(
            record, said, then={"then": MESSAGE, "message": text}
        )
        if isinstance(link, Answer):
            return link
        if text is None:
            return self.ask_message(link)
        return self.deliver(link, text)

    def ask_message(self, link: Link) -> Answer:
        question = self.say("care.message_question", who=link.name or self.copy.say("care.them"))
        pending = {"ask": AWAIT_MESSAGE, "to": ref(link.key), "names": [link.name]}
        return self.asking([question], question, pending)

    def deliver(self, link: Link, text: str) -> Answer:
        who = link.name or self.copy.say("care.them")
        if not self.store.send(link.key, self.me, text, self.now_ms):
            return Answer([self.say("care.message_not_sent", who=who)])
        return Answer([self.say("care.message_kept", who=who, message=text)])

    def chosen(self, said: Said) -> Answer:
        then = self.pending.get("then")
        record = self.store.sharing(self.me)
        link = self.choose(record, said, then=dict(self.pending))
        if isinstance(link, Answer):
            return link
        if then == MESSAGE:
            text = clean_message(self.pending.get("message"))
            if text is None:
                return self.ask_message(link)
            return self.deliver(link, text)
        return Answer(self.adherence(link))

    def choose(
        self, record: Sharing, said: Said, then: Mapping[str, Any] | None = None
    ) -> Link | Answer:
        """The followed person the words name; the only one; or a question."""
        following = record.following
        if not following:
            items = [
                self.say("care.ended", who=name or self.copy.say("care.them"))
                for name in record.ended
            ]
            return Answer([*items, self.say("care.not_following")])
        wanted = self.followed_name(said).lower()
        named = [link for link in following if wanted and self.same(link.name, wanted)]
        if len(named) == 1:
            return named[0]
        gone = [name for name in record.ended if wanted and self.same(name, wanted)]
        if gone and not named:
            return Answer([self.say("care.ended", who=gone[0])])
        names = self.join([self.label(link) for link in following])
        if wanted and not named:  # someone they don't follow: never guess, never echo
            return Answer([self.say("care.only_these", names=names)])
        if len(following) == 1:
            return following[0]
        labels = [self.label(link) for link in following]
        pending = {"then": ASK_ABOUT, **(then or {}), "ask": WHICH, "names": labels}
        which = "care.which_message" if pending["then"] == MESSAGE else "care.which"
        question = self.say(which, names=names)
        pending = {k: v for k, v in pending.items() if v is not None}
        return self.asking([question], question, pending)

    # ================================================================ control
    def who_follows(self, said: Said) -> Answer:
        record = self.store.sharing(self.me)
        items: list[Item] = []
        if record.followers:
            names = self.join([self.label(link) for link in record.followers])
            items.append(self.say("care.followers", names=names))
        else:
            items.append(self.say("care.no_followers"))
        if record.following:
            names = self.join([self.label(link) for link in record.following])
            items.append(self.say("care.you_follow", names=names))
        return Answer(items)

    def stop_sharing(self, said: Said) -> Answer:
        record = self.store.sharing(self.me)
        if not record.followers:
            return Answer([self.say("care.no_followers")])
        wanted = self.follower_name(said).lower()
        named = [link for link in record.followers if wanted and self.same(link.name, wanted)]
        if len(named) == 1 or len(record.followers) == 1:
            link = (named or list(record.followers))[0]
            question = self.say("care.stop_one_question", who=self.label(link))
            pending = {"ask": CONFIRM_STOP, "who": ref(link.key), "names": [self.label(link)]}
            return self.asking([question], question, pending)
        count = len(record.followers)
        question = self.say("care.stop_all_question", count=self.copy.number(count))
        return self.asking([question], question, {"ask": CONFIRM_STOP, "count": count})

    def stop_confirmed(self) -> Answer:
        record = self.store.sharing(self.me)
        who = self.pending.get("who")
        ending = [link for link in record.followers if not who or ref(link.key) == who]
        for link in ending:
            self.store.unlink(self.me, link.key, self.now_ms)
        if not ending:
            return Answer([self.say("care.nothing_changed")])
        return Answer([self.say("care.stopped" if len(ending) == 1 else "care.stopped_all",
                                who=self.label(ending[0]))])  # fmt: skip

    # ================================================================ helpers
    def same(self, name: str, wanted: str) -> bool:
        return self.who_is(name) == self.who_is(wanted)

    def follower_name(self, said: Said) -> str:
        """What the person calls a follower: "Sarah", else "your daughter", else ""."""
        name, relation = clean_name(said.name), clean_name(said.relation)
        if name or not relation:
            return name or ""
        return clean_name(self.copy.say("care.your_relation", relation=relation)) or ""

    @staticmethod
    def followed_name(said: Said) -> str:
        """What a follower calls the person they follow: "mum", "Joan", else ""."""
        return clean_name(said.name) or clean_name(said.relation) or ""

    def say(self, key: str, **values: object) -> Say:
        return Say(self.copy.say(key, **values))

    def label(self, link: Link) -> str:
        return link.name or self.copy.say("care.someone")

    def days(self, count: int) -> str:
        if count == 1:
            return self.copy.say("progress.days.one")
        return self.copy.say("progress.days.many", count=self.copy.number(count))

    def join(self, words: Sequence[str]) -> str:
        return join(self.copy, words)


def join(copy: Copy, words: Sequence[str]) -> str:
    """ "Sarah, Tom and mum"."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {copy.say('exercises.and')} {words[-1]}"


def ref(key: str) -> str:
    """How the session names a linked owner: a digest, never the key (session attributes
    travel through Alexa)."""
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def by_ref(links: Sequence[Link], wanted: object) -> Link | None:
    return next((link for link in links if ref(link.key) == wanted), None)


def news_items(store: SharingStore, owner: str, copy: Copy) -> list[Item]:
    """What waits for the owner's launch, said once: who started following, the
    messages, and links that ended. Taking it clears it."""
    news = store.take_news(owner)
    names = {link.key: link.name for link in news.followers}
    items: list[Item] = []
    for key in news.new_followers:
        name = names.get(key)
        items.append(
            Say(copy.say("care.news_follower", who=name))
            if name
            else Say(copy.say("care.news_follower_unnamed"))
        )
    for message in news.messages:
        name = names.get(message.sender) or copy.say("care.someone_who_follows")
        items.append(Say(copy.say("care.news_message", who=name, message=message.text)))
    for name in news.ended:
        items.append(Say(copy.say("care.ended", who=name or copy.say("care.them"))))
    return items
