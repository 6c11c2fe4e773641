#!/usr/bin/env bash
# A realistic chain: find pages, import them, search, and feed the hits to other tools.
# Run from the repository root:  bash examples/pipeline.sh
set -euo pipefail
archive="${BULLETIN_ARCHIVE:-$(mktemp -d)/archive}"
export BULLETIN_ARCHIVE="$archive"

# 1. Import every page under examples/ (paths from find, one per line; stdout stays clean).
find examples -type f \( -name '*.html' -o -name '*.txt' \) | bulletin import --files-from -

# 2. Search, as JSON lines, and keep what a spreadsheet needs.
bulletin search --jsonl --limit 0 教育 | python3 -c '
import json, sys
for line in sys.stdin:
    hit = json.loads(line)
    print(hit["id"], hit["date"] or "-", hit["title"] or "(untitled)", sep="\t")
'

# 3. Show every hit of a query, one after another (ids are made for xargs).
bulletin search --ids 防溺水 | xargs -n1 bulletin show --no-summary | head -20

# 4. What the archive holds, and a digest of one topic.
bulletin stats
bulletin summarize --plain 学校 | head -15
