"""The one policy for untrusted scraped text on its way out: what is removed, escaped or joined.

Every output goes through here: terminal views and plain lines remove the characters below,
JSON escapes them (inside a JSON string `\\u202e` is the same value, but no viewer acts on it),
CSV and Markdown remove them. Input decoding removes only what breaks parsers (`tidy_decoded`).
"""

from __future__ import annotations

import re

# Bidirectional overrides, embeddings, isolates and marks: they can make text display in an
# order other than the one it has (a "Trojan Source" file name, a reversed URL).
_BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
# DEL and the C1 controls (0x80-0x9f, e.g. CSI 0x9b, which a terminal reads as ESC [).
_C1 = "\x7f-\x9f"
# C0 controls except tab and newline, then the above: never printed.
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f{_C1}{_BIDI}]")
_LINE_BREAKS = re.compile(r"[\t\r\n\u2028\u2029\x0b\x0c\x85]+")
# json.dumps escapes C0 controls itself but leaves these raw (line and paragraph separators too,
# which some JavaScript readers take for line ends).
_JSON_RAW = re.compile(f"[{_C1}{_BIDI}\u2028\u2029]")
# Decoded input: NULs and C0 controls break parsers and terminals and never carry article text
# (form feed and carriage return are kept: they separate lines in some dumps).
_DECODED_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def safe(text: str | None) -> str:
    """Scraped text with every control and bidi-override character removed (newlines kept)."""
    if not text:
        return ""
    if text.isprintable():  # no control, format or separator character: nothing to remove
        return text
    return _UNSAFE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def one_line(text: str | None) -> str:
    """Safe text squeezed onto one line (tabs and line breaks become spaces)."""
    if not text:
        return ""
    if text.isprintable():  # every unsafe character and line break is unprintable: a C-speed check
        return text.strip()
    return safe(_LINE_BREAKS.sub(" ", text)).strip()


def escape_json(encoded: str) -> str:
    """JSON text (from json.dumps) with the characters it leaves raw written as \\uXXXX escapes.

    Outside strings JSON holds only ASCII, so every match is inside a string, where the
    escape means the same character: parsers read back exactly what was encoded.
    """
    if encoded.isascii():
        return encoded
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


def tidy_decoded(text: str) -> str:
    """Decoded page text without the control characters no article holds."""
    return _DECODED_CONTROLS.sub("", text)
