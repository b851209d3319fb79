"""For one request: the sharing store and who is speaking, as the dialogue's care
actions need them (a Household's `care`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from ask_sdk_core.handler_input import HandlerInput

from skill.alexa import context
from skill.alexa.intents import load_spec
from skill.conversation.clock import local_date
from skill.speech.copy import LANGUAGES
from skill.store.base import ProgressStore
from skill.store.factory import sharing_store

if TYPE_CHECKING:
    from skill.sharing.talk import CareSource


def care_of(
    handler_input: HandlerInput, store: ProgressStore, zone: str | None
) -> CareSource | None:
    """None where there is no sharing store or no one to share as. `zone`: the
    speaker's, for a followed person without one of their own."""
    from skill.sharing.talk import CareSource  # the conversation: only when it is answered

    me = context.owner_key(handler_input)
    sharing = sharing_store(store)
    if me is None or sharing is None:
        return None
    return CareSource(
        store=sharing,
        progress_of=store.load,
        me=me,
        local_date=_local_dates(handler_input, zone),
        who_is=who_is,
    )


@lru_cache(maxsize=1)
def _relations() -> dict[str, str]:
    """Every RELATION name in every language's model -> its value id ("mom", "mamá" ->
    "mother")."""
    specs = [load_spec(language) for language in LANGUAGES]
    return {
        name.lower(): value_id
        for spec in specs
        for value_id, names in spec.relation_values.items()
        for name in names
    }


def who_is(words: str) -> str:
    """One form for every way of naming the same relative; a first name as itself."""
    plain = " ".join(words.lower().split())
    for prefix in ("my ", "your ", "mi ", "su ", "tu "):
        plain = plain.removeprefix(prefix)
    return _relations().get(plain, plain)


def _local_dates(handler_input: HandlerInput, mine: str | None) -> Callable[[str | None], date]:
    stamp = context.timestamp(handler_input)

    def today_in(zone: str | None) -> date:
        try:
            return local_date(stamp, zone or mine)
        except ValueError:
            return local_date(stamp, mine)

    return today_in
