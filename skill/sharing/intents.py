"""The care-partner intents and what the conversation calls its questions: light names
the table and its care actions use on every turn, apart from the conversation
(skill/sharing/talk.py), which is imported only when a sharing utterance is answered."""

from __future__ import annotations

SHARE = "ShareProgressIntent"
FOLLOW = "FollowIntent"
CODE = "CodeIntent"
ASK_ABOUT = "FollowerAskIntent"
MESSAGE = "SendMessageIntent"
WHO_FOLLOWS = "WhoFollowsIntent"
STOP_SHARING = "StopSharingIntent"
FOR_WHOM = "ForWhomIntent"
INTENTS = frozenset({SHARE, FOLLOW, CODE, ASK_ABOUT, MESSAGE, WHO_FOLLOWS, STOP_SHARING, FOR_WHOM})

CONFIRM_SHARE, AWAIT_CODE, AWAIT_MESSAGE, WHICH, CONFIRM_STOP = (
    "confirm_share",
    "code",
    "message",
    "which",
    "confirm_stop",
)
