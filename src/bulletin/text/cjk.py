"""The one definition of CJK character ranges: Unicode blocks and the named classes built from them.

Each class is the inside of a regex character class (put it in brackets, add to it); the compiled
single-character patterns come with it. Modules pick the class whose job they share and never
spell ranges of their own.
"""

from __future__ import annotations

import re

# Unicode blocks, as regex range fragments.
HAN = "\u4e00-\u9fff"  # CJK Unified Ideographs: the common Chinese characters
HAN_EXT_A = "\u3400-\u4dbf"  # CJK Unified Ideographs Extension A (rare characters)
HAN_COMPAT = "\uf900-\ufaff"  # CJK Compatibility Ideographs
HAN_SUPPLEMENT = "\U00020000-\U0003134f"  # Extensions B-H, outside the BMP
IDEOGRAPHIC_ZERO = "\u3007"  # 〇, a numeral written among ideographs
CJK_PUNCTUATION = "\u3000-\u303f"  # CJK Symbols and Punctuation: 、。「」 and the ideographic space
KANA = "\u3040-\u30ff"  # Hiragana and Katakana
HANGUL = "\uac00-\ud7af"  # Hangul Syllables
FULLWIDTH = "\uff00-\uffef"  # Halfwidth and Fullwidth Forms: ，：（） and full-width Latin

# Chinese characters of the BMP: what names, language shares and summary bigrams count.
IDEOGRAPHS = HAN_EXT_A + HAN + HAN_COMPAT
# What search indexes as CJK (bigrams, one-character queries): ideographs of every plane, 〇,
# kana and hangul, i.e. every script written without spaces between words.
INDEXED = IDEOGRAPHIC_ZERO + KANA + HAN_EXT_A + HAN + HANGUL + HAN_COMPAT + HAN_SUPPLEMENT
# Characters of CJK-style text, its punctuation and full-width forms included: a "." or ";"
# beside one is Chinese-style punctuation.
WIDE = CJK_PUNCTUATION + KANA + HAN_EXT_A + HAN + HANGUL + HAN_COMPAT + FULLWIDTH

IDEOGRAPH = re.compile(f"[{IDEOGRAPHS}]")
INDEXED_CHAR = re.compile(f"[{INDEXED}]")
WIDE_CHAR = re.compile(f"[{WIDE}]")
