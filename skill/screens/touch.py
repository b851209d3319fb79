"""A touch stands for an utterance: each button of the step screen sends the word
(SendEvent arguments ["next"]) that maps to the intent the voice would give, so the
dialogue table answers a touch exactly as it answers speech."""

from __future__ import annotations

from collections.abc import Sequence

from skill.conversation import table

INTENT_FOR = {"next": table.NEXT, "pause": table.PAUSE, "stop": table.STOP}


def intent_for(arguments: Sequence[object] | None) -> str:
    """The intent a touch stands for; an unknown touch is heard as a fallback."""
    first = arguments[0] if arguments else None
    return INTENT_FOR.get(first, table.FALLBACK) if isinstance(first, str) else table.FALLBACK
