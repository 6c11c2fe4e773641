"""Credit lines in the forms Chinese pages print them, read through the whole extractor.

Each form is a class of pages (WeChat's `编辑 | 郭佳`, papers' `本报记者 王小二 刘大伟`, a reporter and a
correspondent in one bracket), so each case is a mechanism, not one page's rule.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from bulletin.extract import extract
from bulletin.models import Credit
from bulletin.readers import RawInput

BODY = "区教委召开全区教育工作会议，部署2023年重点工作。会议要求各校认真落实安全责任。\n" * 3


def _credits(line: str) -> tuple[list[tuple[str, str]], list[str], str]:
    data = f"全区教育工作会议召开\n2023-03-01\n{line}\n{BODY}".encode()
    article = extract(RawInput(origin="credits.txt", data=data, kind="text"), now=datetime(2024, 1, 1))
    return [(c.role, c.name) for c in article.credits], list(article.authors), article.text


@pytest.mark.parametrize(
    ("line", "credits"),
    [
        ("记者|郑一鸣", [("记者", "郑一鸣")]),
        ("编辑 | 郭佳", [("编辑", "郭佳")]),
        ("文 | 冯小刚  图 | 何平", [("文", "冯小刚"), ("图", "何平")]),
        ("责任编辑｜赵敏", [("责任编辑", "赵敏")]),
    ],
)
def test_a_bar_between_role_and_name_is_a_credit(line: str, credits: list[tuple[str, str]]) -> None:
    found, _authors, text = _credits(line)
    assert found == credits
    assert line.split()[0] not in text.splitlines()[0]  # the credit left the body


def test_each_role_inside_one_bracket_names_its_own_people() -> None:
    found, authors, _text = _credits("（记者 张晓明 通讯员 李红）")
    assert found == [("记者", "张晓明"), ("通讯员", "李红")]
    assert authors == ["张晓明", "李红"]


def test_a_paper_s_reporter_byline_names_reporters_not_the_role() -> None:
    found, authors, _text = _credits("本报记者 王小二 刘大伟")
    assert ("记者", "王小二") in found or ("本报记者", "王小二") in found
    assert authors == ["王小二", "刘大伟"]
    assert not any(name.endswith("记者") for _role, name in found)


def test_writer_and_photographer_in_one_role() -> None:
    found, authors, _text = _credits("文/图 陈静")
    assert found == [("文/图", "陈静")] and authors == ["陈静"]


def test_a_role_word_is_never_a_name() -> None:
    for line in ("通讯员 李红", "编辑：本报记者"):
        found, _authors, _text = _credits(line)
        assert not any(name in ("通讯员", "本报记者") for _role, name in found), line


def test_credit_forms_already_read_stay_read() -> None:
    assert _credits("撰稿：石珊  摄影：李涛  初审：王芳  终审：张军")[0] == [
        ("撰稿", "石珊"),
        ("摄影", "李涛"),
        ("初审", "王芳"),
        ("终审", "张军"),
    ]
    assert _credits("责任编辑：赵敏  校对：钱多多")[0] == [("责任编辑", "赵敏"), ("校对", "钱多多")]
    assert _credits("作者：张三、李四")[1] == ["张三", "李四"]
    assert Credit("通讯员", "欧阳娜娜") in [Credit(*c) for c in _credits("(通讯员 欧阳娜娜)")[0]]


@pytest.mark.parametrize(
    ("line", "credits"),
    [
        ("责任编辑：王强_NB1234", [("责任编辑", "王强")]),  # an editor code glued on (portal style)
        ("▌编辑：刘丽", [("编辑", "刘丽")]),  # a bullet before the line (WeChat style)
        ("■审核：陈刚", [("审核", "陈刚")]),
    ],
)
def test_codes_and_bullets_around_a_credit_are_not_part_of_it(
    line: str, credits: list[tuple[str, str]]
) -> None:
    assert _credits(line)[0] == credits
