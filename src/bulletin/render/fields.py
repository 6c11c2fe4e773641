"""The field names of every record bulletin writes (JSON, JSONL, CSV, plain, Markdown, bulk): an interface.

Scripts read these names; change one only as a breaking change. The writers take their
field lists from here and nowhere else.
"""

from __future__ import annotations

# An article as bulletin keeps it (the archive's stored record).
ARTICLE_FIELDS = (
    "id",
    "title",
    "date",
    "source",
    "site",
    "url",
    "origin",
    "authors",
    "credits",
    "tags",
    "lang",
    "text",
    "sha256",
    "imported_at",
)
# The article record as written: `show --json`, `extract --json`, `export` (JSONL, CSV, bulk
# source lines). `display_title` is what listings show: the title, else the text's first
# sentence (bulletin.titles); `title` stays null when the page printed none.
RECORD_FIELDS = (*ARTICLE_FIELDS[:2], "display_title", *ARTICLE_FIELDS[2:])
# Added to a record by `show --json` and `extract --summary`.
SHOWN_FIELDS = ("origins", "summary", "keywords")
GIST_FIELDS = ("summary", "keywords")

# A search or similar hit; `highlights` are [start, end) offsets into `snippet`.
HIT_FIELDS = (
    "rank",
    "id",
    "score",
    "title",
    "display_title",
    "date",
    "source",
    "url",
    "origin",
    "snippet",
    "highlights",
    "copies",
)
# CSV has no place for offsets.
CSV_HIT_FIELDS = tuple(name for name in HIT_FIELDS if name != "highlights")
# Plain (tab-separated) hit lines.
PLAIN_HIT_FIELDS = ("id", "date", "source", "title", "snippet")

# `import --jsonl`: one line per input.
IMPORT_EVENT_FIELDS = ("origin", "status", "id", "title", "reason")

# `duplicates`: a group and its members.
GROUP_FIELDS = ("group", "count", "members")
MEMBER_FIELDS = ("id", "title", "display_title", "date", "source", "origin")
PLAIN_MEMBER_FIELDS = ("id", "date", "source", "title")

# `search --facet` and `stats --json` rows: the key's own name, then "count".
COUNT_FIELD = "count"

# Metadata shown by plain text (`name: value`) and Markdown (`- name: value`), in order.
PLAIN_METADATA_FIELDS = ("title", "date", "source", "site", "url")
MARKDOWN_METADATA_FIELDS = ("id", "date", "source", "url", "authors", "credits", "tags")
