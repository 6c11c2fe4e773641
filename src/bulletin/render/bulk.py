"""OpenSearch / Elasticsearch: a Bulk API NDJSON file of article records, and the index mapping for it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from bulletin.models import Article
from bulletin.render.data import article_record, dumps

DEFAULT_INDEX_NAME = "bulletin"

# Dates carry the precision the page gave ("2023", "2023-02", "2023-02-02", "2023-02-02T09:15");
# the cluster parses each of them as the start of that period.
_DATE_FORMATS = "yyyy||yyyy-MM||yyyy-MM-dd||yyyy-MM-dd'T'HH:mm||strict_date_optional_time"


def bulk_lines(article: Article, index_name: str = DEFAULT_INDEX_NAME) -> tuple[str, str]:
    """The Bulk API action line and source line for one article (`_id` = the article id)."""
    action = {"index": {"_index": index_name, "_id": article.id}}
    return dumps(action), dumps(article_record(article))


def write_bulk(articles: Iterable[Article], out: TextIO, *, index_name: str = DEFAULT_INDEX_NAME) -> int:
    """Bulk API NDJSON (action line, source line, newline-terminated); returns article count."""
    count = 0
    for article in articles:
        action, source = bulk_lines(article, index_name)
        out.write(action + "\n" + source + "\n")
        count += 1
    return count


def opensearch_mapping() -> dict[str, Any]:
    """Index settings and mapping for the exported records (OpenSearch 1+/Elasticsearch 7+).

    Text fields use a CJK bigram analyzer built only from built-in parts (standard tokenizer,
    cjk_width, lowercase, cjk_bigram), like bulletin's own index, so no plugin is needed;
    swap in `ik_max_word` where the IK plugin is installed.
    """
    cjk_text = {"type": "text", "analyzer": "bulletin_cjk"}
    keyword = {"type": "keyword"}
    return {
        "settings": {
            "analysis": {
                "analyzer": {
                    "bulletin_cjk": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["cjk_width", "lowercase", "cjk_bigram"],
                    }
                }
            }
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "id": keyword,
                "title": {**cjk_text, "fields": {"raw": {"type": "keyword", "ignore_above": 512}}},
                "display_title": cjk_text,
                "date": {"type": "date", "format": _DATE_FORMATS},
                "source": {**cjk_text, "fields": {"raw": {"type": "keyword", "ignore_above": 256}}},
                "site": keyword,
                "url": {"type": "keyword", "ignore_above": 2048},
                "origin": {"type": "keyword", "ignore_above": 2048},
                "authors": keyword,
                "credits": {"properties": {"role": keyword, "name": keyword}},
                "tags": keyword,
                "lang": keyword,
                "text": cjk_text,
                "sha256": keyword,
                "imported_at": {"type": "date", "format": "strict_date_optional_time"},
            },
        },
    }
