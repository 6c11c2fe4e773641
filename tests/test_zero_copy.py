"""Segment sub-files are read in place: the reader must behave exactly like io.BytesIO."""

from __future__ import annotations

import io
import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin.index.whoosh.zero_copy import ViewFile

OPS = st.lists(
    st.one_of(
        st.tuples(st.just("read"), st.integers(-1, 40)),
        st.tuples(st.just("readline"), st.integers(-1, 40)),
        st.tuples(st.just("readinto"), st.integers(0, 40)),
        st.tuples(st.just("seek"), st.integers(0, 80)),
        st.tuples(st.just("seek_end"), st.integers(-80, 0)),
        st.tuples(st.just("seek_cur"), st.integers(-5, 20)),
    ),
    max_size=30,
)


def _apply(handle: object, op: str, n: int) -> object:
    if op == "readinto":
        buffer = bytearray(n)
        got = handle.readinto(buffer)  # type: ignore[attr-defined]
        return got, bytes(buffer[:got])
    if op == "seek":
        return handle.seek(n)  # type: ignore[attr-defined]
    if op == "seek_end":
        return handle.seek(n, io.SEEK_END)  # type: ignore[attr-defined]
    if op == "seek_cur":
        position = handle.tell()  # type: ignore[attr-defined]
        return handle.seek(max(-position, n), io.SEEK_CUR)  # type: ignore[attr-defined]
    return getattr(handle, op)(n)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=60).map(lambda b: b.replace(b"x", b"\n")), OPS)
def test_view_file_reads_like_bytesio(data: bytes, ops: list[tuple[str, int]]) -> None:
    mine, theirs = ViewFile(memoryview(data)), io.BytesIO(data)
    for op, n in ops:
        assert _apply(mine, op, n) == _apply(theirs, op, n), (op, n)
        assert mine.tell() == theirs.tell()


def test_pickles_load_one_after_another_from_a_view() -> None:
    data = pickle.dumps({"a": [1, 2]}, 2) + pickle.dumps("潼南", 0) + b"tail"
    handle = ViewFile(memoryview(data))
    assert pickle.load(handle) == {"a": [1, 2]}  # type: ignore[arg-type]
    assert pickle.load(handle) == "潼南"  # type: ignore[arg-type]
    assert handle.read() == b"tail"
