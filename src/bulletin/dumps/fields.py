"""The fields a scraper wrote above a text dump (front matter or header lines), peeled off the body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bulletin.dumps import front_matter, header_lines

# Every spelling of a field that scrapers, CMS exports and spiders use, by the field bulletin keeps.
# Keys are compared lower-cased with spaces, "-" and "_" removed.
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "contenttitle", "标题", "题目", "文章标题", "主题"),
    "date": (
        "date",
        "pubdate",
        "publishdate",
        "publishtime",
        "published",
        "publishedat",
        "time",
        "datetime",
        "created",
        "日期",
        "时间",
        "发布时间",
        "发布日期",
        "发文日期",
        "成文日期",
    ),
    "source": ("source", "sitename", "site", "publisher", "来源", "出处", "信息来源", "发布机构", "发文机关"),
    "author": ("author", "authors", "by", "byline", "作者", "撰稿", "记者"),
    "url": (
        "url",
        "link",
        "href",
        "sourceurl",
        "urlsource",
        "originalurl",
        "链接",
        "原文链接",
        "网址",
        "原文地址",
    ),
    "tags": ("tags", "tag", "keywords", "categories", "标签", "关键词"),
    "body": ("content", "body", "text", "正文", "内容"),
}
_FIELD_OF = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
# An "author" that is an organisation (a spider often files the publishing site there) is the source.
_ORGANISATION = re.compile(
    r"(网站|网|办公室|办|局|部|厅|委员会|委|政府|中心|报社|日报|晚报|报|杂志社|通讯社|社|电视台|台|协会|学会|"
    r"学院|大学|学校|医院|公司|集团|银行|研究院|研究所|法院|检察院|新闻办|宣传部|council|ministry|office|"
    r"agency|news|times|daily|press)$",
    re.IGNORECASE,
)


@dataclass
class DumpFields:
    """What the scraper recorded about the article, and the body text below it."""

    body: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    author: str | None = None
    url: str | None = None
    tags: list[str] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)

    def hints(self) -> dict[str, str]:
        """The recorded fields as extraction hints (only those given)."""
        given = {"title": self.title, "date": self.date, "source": self.source, "url": self.url}
        return {key: value for key, value in given.items() if value}


def field_name(key: str) -> str | None:
    """The bulletin field a scraper's key stands for, or None when it is not one bulletin knows."""
    return _FIELD_OF.get(re.sub(r"[\s_\-]+", "", key).lower())


def peel(text: str) -> DumpFields:
    """Split a text dump into the scraper's recorded fields and its body (all body when none are found)."""
    found = front_matter.split(text) or header_lines.split(text, field_name)
    if found is None:
        return DumpFields(body=text)
    pairs, body = found
    result = DumpFields(body=body)
    for key, value in pairs:
        name = field_name(key)
        value = value.strip()
        if not value:
            continue
        if name == "tags":
            result.tags.extend(t for t in re.split(r"[,，;；、\s]+", value.strip("[]")) if t.strip("'\""))
        elif name in ("title", "date", "source", "author", "url"):
            if getattr(result, name) is None:
                setattr(result, name, value)
        elif name != "body":
            result.extra[key] = value
    if result.author and not result.source and _ORGANISATION.search(result.author):
        result.source, result.author = result.author, None
    result.tags = [t.strip("'\"") for t in result.tags]
    return result
