"""Plausibility of extracted names: a credit or source names a person or an organisation, never furniture."""

from __future__ import annotations

import re

from bulletin.dumps.residue import is_interface_line

# What page templates print where a byline or source goes: platform names, share buttons, labels,
# placeholders and time words. A name equal to one of these names nobody.
FURNITURE = frozenset(
    (
        "易信",
        "网易",
        "微信",
        "微博",
        "新浪",
        "腾讯",
        "百度",
        "头条",
        "原创",
        "视频",
        "图片",
        "海报",
        "组图",
        "正文",
        "网络",
        "互联网",
        "网友",
        "整理",
        "整合",
        "综合",
        "网络整理",
        "网络综合",
        "未知",
        "佚名",
        "匿名",
        "本站",
        "本网",
        "管理员",
        "小编",
        "收藏本文",
        "超大",
        "新三板",
        "昨天",
        "今天",
        "前天",
        "刚刚",
        "朋友圈",
        "注册登录",
        "关于我们",
        "活动现场",
        "明星组图",
    )
)
# English placeholders and template variables left unfilled.
_PLACEHOLDER = re.compile(
    r"^(?:name|author|admin|administrator|null|none|undefined|unknown|anonymous|by)$", re.I
)
# HTML attributes (size="20"), markup, URLs and bare numbers are not names.
_MARKUP = re.compile(r"[=<>\"{}]|https?:|www\.|^\W*\d[\d\W]*$")
# "王金茹对此文亦有贡献": the standard phrasing for a contributor's credit.
_CONTRIBUTED = re.compile(r"^(.+?)(?:对此文|对本文)亦?有贡献$")
# Labels that end a furniture caption: 东区新闻, 活动现场, 明星组图.
_CAPTION_END = re.compile(r"(?:现场|组图|新闻|整理|本文|图集)$")


def credit_name(name: str) -> str | None:
    """The name as a credit should carry it, or None when it is page furniture."""
    name = name.strip()
    contributed = _CONTRIBUTED.match(name)
    if contributed:
        name = contributed.group(1).strip()
    if not name or not furniture_free(name) or _CAPTION_END.search(name):
        return None
    return name


def furniture_free(value: str) -> bool:
    """False when a value is a platform or button word, a placeholder, markup or a number."""
    value = value.strip()
    if value in FURNITURE or _PLACEHOLDER.match(value) or _MARKUP.search(value):
        return False
    return is_interface_line(value) == (0, 0)


def source_name(value: str | None) -> str | None:
    """A source without the share/report buttons glued after it ("证券市场红周刊 举报"); None if furniture."""
    if not value:
        return None
    tokens = value.split()
    while len(tokens) > 1 and not furniture_free(tokens[-1]):
        tokens.pop()
    value = " ".join(tokens)
    return value if furniture_free(value) else None
