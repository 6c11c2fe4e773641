"""Header-line text exports: `title: …`, `url: …`, `作者：…` above the body, then `content:` / `正文：`."""

from __future__ import annotations

import re
from collections.abc import Callable

_PAIR = re.compile(r"^\s*([A-Za-z][\w\- ]{0,20}|[\u4e00-\u9fff]{1,6})\s*[:：]\s*(.*)$")
# A header block sits at the very top; a spider writes a handful of fields, never dozens.
_MAX_FIELDS = 16
# Two recognised keys make a header block: one could be a body line such as "时间：上午九点".
_MIN_KNOWN = 2


def split(text: str, field_name: Callable[[str], str | None]) -> tuple[list[tuple[str, str]], str] | None:
    """(key, value) pairs of leading header lines and the body after them; None when the text has none."""
    lines = text.lstrip("\ufeff").splitlines()
    pairs: list[tuple[str, str]] = []
    known = 0
    index = 0
    while index < len(lines) and len(pairs) < _MAX_FIELDS:
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        pair = _PAIR.match(line)
        name = field_name(pair.group(1)) if pair else None
        if pair is None or name is None:
            break
        index += 1
        if name == "body":
            # The body starts here: on this line after the key, or on the next lines.
            rest = pair.group(2).strip()
            return (
                (pairs, "\n".join(([rest] if rest else []) + lines[index:])) if known >= _MIN_KNOWN else None
            )
        pairs.append((pair.group(1), pair.group(2)))
        known += 1
    if known < _MIN_KNOWN:
        return None
    return pairs, "\n".join(lines[index:])
