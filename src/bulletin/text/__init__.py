"""Text helpers shared by every layer: CJK character classes, normalisation, the sanitising policy."""
