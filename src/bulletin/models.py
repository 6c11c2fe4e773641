"""The Article record: one frozen dataclass and one JSON shape used everywhere."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

# The public record's field order is defined with every output's fields (re-exported here).
from bulletin.render.fields import ARTICLE_FIELDS, RECORD_FIELDS

__all__ = ["ARTICLE_FIELDS", "RECORD_FIELDS", "Article", "Credit"]


@dataclass(frozen=True)
class Credit:
    """One credit line entry as printed on the page, e.g. 撰稿 / 石珊."""

    role: str
    name: str


@dataclass(frozen=True)
class Article:
    """A cleaned article with its metadata.

    `date` is ISO 8601 at the precision the page gives: "2023", "2023-02",
    "2023-02-02" or "2023-02-02T09:15" (never padded with invented parts).
    """

    id: str
    sha256: str
    origin: str
    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    site: str | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()
    credits: tuple[Credit, ...] = ()
    tags: tuple[str, ...] = ()
    lang: str | None = None
    imported_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the record as bulletin keeps it, a plain dict in ARTICLE_FIELDS order (outputs add
        `display_title`: bulletin.render.data.article_record)."""
        raw = asdict(self)
        record: dict[str, Any] = {name: raw[name] for name in ARTICLE_FIELDS}
        record["authors"] = list(self.authors)
        record["credits"] = [{"role": c.role, "name": c.name} for c in self.credits]
        record["tags"] = list(self.tags)
        return record

    def with_changes(self, **changes: Any) -> Article:
        """Return a copy with some fields replaced."""
        return replace(self, **changes)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Rebuild an Article from `to_dict()` output (unknown keys are ignored)."""
        return cls(
            id=data["id"],
            sha256=data["sha256"],
            origin=data.get("origin") or "",
            text=data.get("text") or "",
            title=data.get("title"),
            date=data.get("date"),
            source=data.get("source"),
            site=data.get("site"),
            url=data.get("url"),
            authors=tuple(data.get("authors") or ()),
            credits=tuple(Credit(c["role"], c["name"]) for c in data.get("credits") or ()),
            tags=tuple(data.get("tags") or ()),
            lang=data.get("lang"),
            imported_at=data.get("imported_at"),
        )


def article_id(sha256_hex: str) -> str:
    """Short stable id derived from the content hash (12 hex digits: 48 bits)."""
    return sha256_hex[:12]
