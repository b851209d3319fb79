"""Whose progress: the Alexa account, or one recognised person within it.

One shared home, one Alexa account, several people: when Alexa recognises the
speaker (a voice profile and "personalize skills" on), the request carries a
personId and that person's progress, settings, place and reminder are their own.
Without one, everything belongs to the account, as before.

Key layout, the same in every store:

    <userId>                          the account's own record (and its registry
                                      of the people below it)
    <userId>#person#<32 hex>          one recognised person's record

The person part is a digest of the personId: the stored key stays short and
bounded, and the raw id appears nowhere in storage. Alexa user ids never contain
"#", so the account part of any key is unambiguous. Every store registers a
person key under its account before (or with) the person's first write, so
deleting an account (SkillDisabled) is one known set of keys, never a scan.
"""

from __future__ import annotations

PERSON_MARK = "#person#"
_DIGEST_CHARS = 32


def person_digest(person_id: str) -> str:
    if not isinstance(person_id, str) or not person_id or len(person_id) > 1024:
        raise ValueError("bad person id")
    import hashlib  # here: only a recognised voice needs it (no first answer's import)

    return hashlib.sha256(person_id.encode()).hexdigest()[:_DIGEST_CHARS]


def owner_key(user_id: str, person_id: str | None = None) -> str:
    """The key a person's (or, without a person, the account's) progress is stored under."""
    if not isinstance(user_id, str) or not user_id or PERSON_MARK in user_id:
        raise ValueError("bad user id")
    if not person_id:
        return user_id
    return f"{user_id}{PERSON_MARK}{person_digest(person_id)}"


def account_of(key: str) -> str:
    """The account a stored key belongs to (the key itself for an account's record)."""
    return key.split(PERSON_MARK, 1)[0]


def is_person_key(key: str) -> bool:
    return PERSON_MARK in key
