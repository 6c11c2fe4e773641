#!/usr/bin/env bash
# A realistic chain: find pages, import them (and a scraper feed and a web archive), search,
# feed the hits to other tools, and export. Run from the repository root:  bash examples/pipeline.sh
set -euo pipefail
work="$(mktemp -d)"
export BULLETIN_ARCHIVE="${BULLETIN_ARCHIVE:-$work/archive}"

# 1. Import every page under examples/ (paths from find, one per line; stdout stays clean).
find examples -type f \( -name '*.html' -o -name '*.txt' \) | bulletin import --files-from -

# 2. A scraper's JSON-lines feed and a WARC capture go in the same way.
bulletin import examples/scraped.jsonl examples/capture.warc.gz

# 3. Search as JSON lines and keep what a spreadsheet needs (jq if you have it, else Python).
if command -v jq >/dev/null; then
  bulletin search --jsonl --limit 0 教育 | jq -r '[.id, (.date // "-"), (.title // "(untitled)")] | @tsv'
else
  bulletin search --jsonl --limit 0 教育 | python3 -c '
import json, sys
for line in sys.stdin:
    hit = json.loads(line)
    print(hit["id"], hit["date"] or "-", hit["title"] or "(untitled)", sep="\t")
'
fi

# 4. Show every hit of a query, one after another (ids are made for xargs).
bulletin search --ids 防溺水 | xargs -n1 bulletin show --no-summary | head -20

# 5. What the archive holds, a digest of one topic, and the same bulletin republished elsewhere.
bulletin stats
bulletin summarize --plain 学校 | head -15
bulletin duplicates || true   # exit 1: no groups

# 6. Hand the archive on: a CSV of 2023's articles, and a bulk file for an OpenSearch cluster.
bulletin export --since 2023 --format csv -o "$work/2023.csv"
bulletin export --format opensearch -o "$work/bulletin.ndjson"
ls -l "$work"
