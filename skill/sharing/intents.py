"""The care-partner intents and the session attribute holding an open sharing question:
what the request handlers check on every turn, apart from the conversation
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
YES, NO = "AMAZON.YesIntent", "AMAZON.NoIntent"
INTENTS = frozenset({SHARE, FOLLOW, CODE, ASK_ABOUT, MESSAGE, WHO_FOLLOWS, STOP_SHARING, FOR_WHOM})
# Intents that only mean something as the answer to a sharing question.
ANSWERS = frozenset({YES, NO, CODE, FOR_WHOM, MESSAGE})
ATTRIBUTE = "care"  # the session attribute holding the open sharing question

CONFIRM_SHARE, AWAIT_CODE, AWAIT_MESSAGE, WHICH, CONFIRM_STOP = (
    "confirm_share",
    "code",
    "message",
    "which",
    "confirm_stop",
)
