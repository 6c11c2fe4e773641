"""Paths to the real inputs the tests use (../shared beside the repository, and examples/)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "tongnan-education-2023.txt"
CORPUS = SHARED / "corpus" / "dev"
EXAMPLES = REPO / "examples"

needs_shared = pytest.mark.skipif(not SEED.exists(), reason="../shared is not beside the repository")
needs_corpus = pytest.mark.skipif(not (CORPUS / "pages").exists(), reason="../shared/corpus/dev is missing")
WILD = SHARED / "corpus" / "wild-dev"
needs_wild = pytest.mark.skipif(not (WILD / "pages").exists(), reason="../shared/corpus/wild-dev is missing")
