"""Names and texts safe in a plain-text ledger (hledger, Beancount), ADR 0063.

Whatever a person typed (a fund's name, a purpose, a payee, a memo, a person's name) never
becomes syntax in an export:

- **account components** are ASCII: a snake_case code (``hardship_aid``) becomes CamelCase
  (``HardshipAid``); any other text (``费用``, ``a  b``, a name holding a newline) becomes
  ``<Prefix>-<first 8 hex digits of its SHA-256>``, and the text itself is kept in the account's
  declaration (a comment in hledger, ``name:`` metadata in Beancount);
- **texts** (descriptions, narrations, notes) are written on one line: a backslash, a double
  quote, and every control, format, separator, private-use, surrogate or unassigned character
  is escaped (``\\n``, ``\\u2028`` …), so nothing in a text can end its line, its string or its
  comment, and the original can be read back exactly. hledger reads ``word:`` in a comment as a
  tag (``type:`` even changes an account's type) and ``;`` in a description as the start of a
  comment, so for hledger ``:`` and ``;`` are escaped too.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

_CODE = re.compile(r"[a-z][a-z0-9]*(_[a-z][a-z0-9]*)*")  # CamelCase of these is one-to-one
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\"}
HASH_DIGITS = 8


def camel(code: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in str(code).replace("-", "_").split("_") if part)


def is_code(text: str) -> bool:
    return _CODE.fullmatch(text) is not None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest().upper()


def components(texts: Iterable[str], prefix: str, reserved: Iterable[str] = ()) -> dict[str, str]:
    """Each text → an account component: CamelCase for a code (unless reserved for another
    account), else ``<prefix>-<8 hex digits>`` (all 64 when two texts share their first 8)."""
    unique = sorted(set(texts))
    taken = set(reserved)
    hashed = [t for t in unique if not is_code(t) or camel(t) in taken]
    width = HASH_DIGITS if len({_digest(t)[:HASH_DIGITS] for t in hashed}) == len(hashed) else 64
    out = {t: camel(t) for t in unique if t not in hashed}
    out.update({t: f"{prefix}-{_digest(t)[:width]}" for t in hashed})
    return out


def one_line(text: str, also: str = "") -> str:
    """The text on one line, escaped as described above (``also``: more characters to escape)."""
    out = []
    for char in text:
        if char in _SHORT:
            out.append(_SHORT[char])
        elif char in also or unicodedata.category(char) in _UNSAFE_CATEGORIES:
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
        else:
            out.append(char)
    return "".join(out)


def hledger_text(text: str) -> str:
    return one_line(text, also=":;")


def beancount_string(text: str) -> str:
    return '"' + one_line(text) + '"'
