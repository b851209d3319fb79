"""The one-time sharing code: six digits, drawn with `secrets`, kept only as a digest.

A code has no leading zero: AMAZON.NUMBER sends what was heard as a number, and "zero
four ..." would come back one digit short.
"""

from __future__ import annotations

import hashlib
import secrets

DIGITS = 6
LIFETIME_MS = 24 * 60 * 60 * 1000  # from the request that gave it, by the request's clock
_LOW, _SPAN = 10 ** (DIGITS - 1), 9 * 10 ** (DIGITS - 1)


def new_code() -> str:
    return str(_LOW + secrets.randbelow(_SPAN))


def digest(code: str) -> str:
    """What the store keys a code by. The code itself is never stored.

    A digest of six digits can be reversed by trying all 900,000 codes, so the digest
    only keeps codes out of plain sight; what keeps them safe is single use, the 24-hour
    life and the lock-out on wrong codes (records.locked_until).
    """
    return hashlib.sha256(b"care-partner-code:" + code.encode("ascii")).hexdigest()


def heard_code(value: object) -> str | None:
    """Six digits from what Alexa heard (AMAZON.NUMBER sends digits), else None."""
    if not isinstance(value, str):
        return None
    digits = "".join(ch for ch in value if not ch.isspace())
    if len(digits) != DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    return digits
