"""Paths to the real inputs the tests use (../shared beside the repository, and examples/)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLES = REPO / "examples"
CORPUS = SHARED / "corpus" / "dev"
WILD = SHARED / "corpus" / "wild-dev"
# The seed bulletin: ../shared's copy, else the byte-identical copy committed under examples/,
# so the tests built on it run in a fresh clone too.
_SEED_NAME = "tongnan-education-2023.txt"
SEED = SHARED / "seed" / _SEED_NAME if (SHARED / "seed" / _SEED_NAME).exists() else EXAMPLES / _SEED_NAME

# Tests on the seed alone (the name predates the committed copy): they skip only without either.
needs_shared = pytest.mark.skipif(not SEED.exists(), reason="no seed in ../shared or examples/")
needs_corpus = pytest.mark.skipif(not (CORPUS / "pages").exists(), reason="../shared/corpus/dev is missing")
needs_wild = pytest.mark.skipif(not (WILD / "pages").exists(), reason="../shared/corpus/wild-dev is missing")
