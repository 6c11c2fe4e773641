"""Text helpers shared by extraction, search and summaries: CJK character classes and normalisation."""
