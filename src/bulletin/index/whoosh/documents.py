"""Documents as the Whoosh backend writes them: analysed fields, stored values, the writer."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from bulletin.analysis import normalize
from bulletin.index.analyzers import normalized_char_postings, normalized_postings
from bulletin.index.protocol import IndexDoc, PreparedDoc
from bulletin.index.schema import TEXT_FIELDS, make_schema
from bulletin.index.whoosh.translate import CHARS_FIELD

ARRAY_FIELDS = frozenset((*TEXT_FIELDS, CHARS_FIELD))  # what queries read (not the id field)


@lru_cache(maxsize=1)
def _field_boosts() -> dict[str, float]:
    schema = make_schema()
    return {name: float(schema[name].format.field_boost) for name in TEXT_FIELDS}


def prepare(doc: IndexDoc) -> PreparedDoc:
    """Analyse a document's text fields (exactly as the schema's analyzers would)."""
    boosts = _field_boosts()
    normalized = {name: normalize(getattr(doc, name)) for name in TEXT_FIELDS}
    fields = {name: normalized_postings(normalized[name], boosts[name]) for name in TEXT_FIELDS}
    # The chars field's value is title + "\n" + text: normalising the two apart gives the same
    # characters (no fold or conversion spans a line break), and the text is normalised once.
    fields[CHARS_FIELD] = normalized_char_postings(normalized["title"] + "\n" + normalized["text"])
    return PreparedDoc(doc, fields)


def _chars_value(doc: IndexDoc) -> str:
    return doc.title + "\n" + doc.text


def whoosh_fields(doc: IndexDoc) -> dict[str, Any]:
    """The values Whoosh stores and indexes for one document, by schema field."""
    return {
        "id": doc.id,
        "title": doc.title,
        "text": doc.text,
        "source": doc.source,
        "author": doc.author,
        "tag": doc.tag,
        "site": doc.site,
        CHARS_FIELD: _chars_value(doc),
        "date": doc.date_key,
        "time": doc.time_key,
        "source_key": doc.source.encode("utf-8"),
        "group": (doc.group or doc.id).encode("ascii"),
    }


class IndexWriter:
    """Adds and deletes documents inside one writer transaction."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw

    def add(self, doc: IndexDoc) -> None:
        """Add one document (the store guarantees ids are new)."""
        if hasattr(self._raw, "add_prepared"):
            self._raw.add_prepared(prepare(doc))
        else:
            self._raw.add_document(**whoosh_fields(doc))

    def add_prepared(self, prepared: PreparedDoc) -> None:
        """Add a document analysed beforehand (bulk writers only; others analyse again)."""
        if hasattr(self._raw, "add_prepared"):
            self._raw.add_prepared(prepared)
        else:
            self._raw.add_document(**whoosh_fields(prepared.doc))

    def delete(self, article_id: str) -> None:
        """Remove one document by article id."""
        self._raw.delete_by_term("id", article_id)
