"""Print DynamoDB calls per care-partner turn, through the skill (Lambda entry path).

    .venv/bin/python benchmarks/care_partner_calls.py

Runs against DYNAMODB_ENDPOINT if set, else a moto server on 127.0.0.1. Not a test.
Aims: a session start stays one GetItem for a person with no followers and for one with
followers but nothing new; every call is GetItem, UpdateItem, DeleteItem or a transaction
of those (what template.yaml grants); no turn makes more than ten calls.
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skill.progress.owner import owner_key
from skill.progress.records import ProgressUpdate
from skill.store.dynamodb import DynamoDBProgressStore
from tests.household import HouseholdConversation
from tests.store_fixtures import ROUTINE, CallCounter, MotoServer, create_table

MUM_ACCOUNT, MUM = "amzn1.ask.account.BENCH-MUM", "amzn1.ask.person.BENCH-MUM"
SARAH = "amzn1.ask.account.BENCH-SARAH"
NOON = "2026-11-30T12:00:00Z"
# template.yaml grants GetItem, UpdateItem, DeleteItem; a TransactWriteItems of Updates and
# a Delete is authorised by those.
GRANTED = {"GetItem", "UpdateItem", "DeleteItem", "TransactWriteItems"}


def main() -> None:
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ.setdefault(key, "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ.setdefault("DEFAULT_TIME_ZONE", "UTC")
    server = None if os.environ.get("DYNAMODB_ENDPOINT") else MotoServer()
    endpoint = os.environ.get("DYNAMODB_ENDPOINT") or server.endpoint  # type: ignore[union-attr]

    from skill.alexa.app import build_skill, invoke

    store = DynamoDBProgressStore(create_table(endpoint), endpoint_url=endpoint)
    store.save(
        owner_key(MUM_ACCOUNT, MUM),
        ProgressUpdate(exercises_done={"2026-11-30": frozenset(ROUTINE)}),
        ROUTINE,
    )
    counter = CallCounter.attach(store.client)
    skill = build_skill(store=store)
    talks = {
        "mum": HouseholdConversation(
            user_id=MUM_ACCOUNT, person_id=MUM, api_endpoint="https://127.0.0.1:1", timestamp=NOON
        ),
        "sarah": HouseholdConversation(
            user_id=SARAH, api_endpoint="https://127.0.0.1:1", timestamp=NOON
        ),
    }
    used: Counter[str] = Counter()
    worst = 0
    code = ""

    def turn(label: str, who: str, intent: str | None, **slots: tuple[str, str | None]) -> Any:
        nonlocal worst
        talk = talks[who]
        event = talk.launch() if intent is None else talk.intent(intent, slots or None)
        counter.reset()
        answer = invoke(skill, event)
        talk.receive(answer)
        used.update(counter.calls)
        worst = max(worst, counter.total)
        calls = ", ".join(f"{op} {n}" for op, n in sorted(counter.calls.items())) or "none"
        print(f"  {label:<44} {counter.total:>2} call(s)  [{calls}]")
        return answer

    print(f"endpoint {endpoint}\nCalls per turn:")
    turn("mum: first launch, no followers (aim: GetItem 1)", "mum", None)  # + the welcome
    turn("mum: share my progress with Sarah", "mum", "ShareProgressIntent", name=("Sarah", None))
    said = turn("mum: yes (the code)", "mum", "AMAZON.YesIntent")
    ssml = said["response"]["outputSpeech"]["ssml"]
    code = "".join(re.findall(r'interpret-as="digits">(\d)<', ssml))[:6]
    turn("sarah: launch", "sarah", None)
    turn("sarah: follow my mum", "sarah", "FollowIntent", relation=("mum", "mother"))
    turn("sarah: a wrong code", "sarah", "CodeIntent", code=("123456", None))
    turn("sarah: the code", "sarah", "CodeIntent", code=(code, None))
    turn("sarah: how is mum doing", "sarah", "FollowerAskIntent")
    turn("sarah: tell her well done", "sarah", "SendMessageIntent", message=("well done", None))
    talks["mum"].end()
    turn("mum: launch with news", "mum", None)
    talks["mum"].end()
    turn("mum: launch, followed, nothing new (aim: 1)", "mum", None)
    turn("mum: who follows me", "mum", "WhoFollowsIntent")
    turn("mum: stop sharing", "mum", "StopSharingIntent")
    turn("mum: yes", "mum", "AMAZON.YesIntent")
    counter.reset()
    invoke(skill, talks["sarah"].skill_disabled())
    used.update(counter.calls)
    print(f"  {'sarah: SkillDisabled':<44} {counter.total:>2} call(s)")
    print(f"\nOperations used: {sorted(used)} (aim: within {sorted(GRANTED)})")
    print(f"Most calls in one turn: {worst} (aim: at most 10)")
    counter.detach()
    if server is not None:
        server.stop()


if __name__ == "__main__":
    main()
