"""The query language parser: structure of parsed queries and malformed-query messages."""

from __future__ import annotations

import pytest

from bulletin.errors import QueryError
from bulletin.query import And, Everything, Not, Or, Word, parse_query, positive_words


def test_words_are_anded() -> None:
    assert parse_query("潼南 教育") == And((Word("潼南"), Word("教育")))


def test_phrase_or_word() -> None:
    assert parse_query('"双减" OR 五心强校') == Or((Word("双减", phrase=True), Word("五心强校")))


def test_field_and_negation() -> None:
    assert parse_query("title:潼南 -教育") == And((Word("潼南", field="title"), Not(Word("教育"))))
    assert parse_query("NOT 教育") == Not(Word("教育"))


def test_field_phrase_both_spellings() -> None:
    assert parse_query('title:"教育 发展"') == Word("教育 发展", field="title", phrase=True)
    assert parse_query('author:"石 珊"') == Word("石 珊", field="author", phrase=True)


def test_parentheses_group() -> None:
    assert parse_query("(防溺水 OR 学位) 分配") == And((Or((Word("防溺水"), Word("学位"))), Word("分配")))


def test_unknown_field_is_plain_text() -> None:
    # Headlines pasted with a colon must still be searchable as text.
    assert parse_query("关于:通知") == Word("关于:通知")
    assert parse_query("Re:Zero") == Word("Re:Zero")


def test_a_field_takes_a_group_and_a_space_after_its_colon() -> None:
    either = Or((Word("通知", field="title"), Word("公告", field="title")))
    assert parse_query("title:(通知 OR 公告)") == either
    assert parse_query("title: 通知") == Word("通知", field="title")
    assert parse_query('title: "教育 发展"') == Word("教育 发展", field="title", phrase=True)
    assert parse_query("-title:(通知 OR 公告) 学校") == And((Not(either), Word("学校")))
    # A field named inside the group keeps its own field.
    assert parse_query("title:(通知 source:教委)") == And(
        (Word("通知", field="title"), Word("教委", field="source"))
    )
    assert parse_query("title:通知(图)") == Word("通知(图)", field="title")


def test_parentheses_inside_a_word_are_text() -> None:
    assert parse_query("通知(2023)第一号") == Word("通知(2023)第一号")
    # Pasted headlines end in (图) or (转载): the parenthesis belongs to the word.
    assert parse_query("明星挨打事件回顾(图)") == Word("明星挨打事件回顾(图)")
    assert parse_query("(潼南 回顾(图))") == And((Word("潼南"), Word("回顾(图)")))


def test_empty_query_matches_everything() -> None:
    assert parse_query("") == Everything()
    assert parse_query("   ") == Everything()


def test_lowercase_operators_are_words() -> None:
    assert parse_query("rock and roll") == And((Word("rock"), Word("and"), Word("roll")))


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ('"双减', "unbalanced quote"),
        ("(潼南 教育", "never closed"),
        ("潼南)", "has no '('"),
        ("潼南 AND", "ends with an operator"),
        ("OR 潼南", "needs words on both sides"),
        ("()", "empty parentheses"),
        ("title:", "title: in query 'title:' needs a word after it"),
        ("潼南 source: ", "source: in query '潼南 source: ' needs a word after it"),
        ("title: OR 通知", "needs a word after it"),
        ("sourse:通知", "sourse: in query 'sourse:通知' is not a field; did you mean source:?"),
        ("titel:通知", "did you mean title:?"),
        ("date:2023", "is not a field; dates are chosen with --since and --until"),
        ("Sourse: 通知", "the fields are title, text, source, author, tag, site"),
    ],
)
def test_malformed_queries_explain_themselves(query: str, fragment: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_query(query)
    message = str(info.value)
    assert fragment in message and "\n" not in message
    assert query.strip() in message or repr(query) in message


def test_positive_words_skip_negations() -> None:
    words = positive_words(parse_query("潼南 -教育 (学位 OR NOT 分配)"))
    assert [w.text for w in words] == ["潼南", "学位"]
