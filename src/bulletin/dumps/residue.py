"""App and page interface residue: the runs of short, sentence-less lines at a text's head or tail.

The mechanism, not a list: a platform's UI (buttons, counters, share bars, pagination, players) survives
scraping as a run of short lines that carry no sentence, at the tail or the head of the text. A run is
cut when it holds what platforms print: one strong phrase (a prompt only an interface shows) or three
button words. The table below names what common platforms print; the run decides how much goes.
"""

from __future__ import annotations

import re

# Phrases only an interface prints (substring match on a short line).
STRONG = (
    "预览时标签不可点",
    "微信扫一扫",
    "扫一扫",
    "继续滑动看下一个",
    "向上滑动看下一个",
    "轻点两下取消",
    "使用完整服务",
    "阅读原文",
    "展开全文",
    "阅读剩余全文",
    "打开App",
    "打开APP",
    "打开app",
    "点击右上角",
    "调查问题加载中",
    "分享到",
    "长按识别",
    "长按二维码",
    "识别二维码",
    "返回顶部",
    "关闭窗口",
    "打印本页",
    "【打印】",
    "【关闭】",
    "收藏本文",
    "写留言",
    "已关注",
    "点击关注",
    "喜欢此内容的人还喜欢",
    "人赞过",
)
# Button and menu words: a whole line (or every token of a line) is one of them.
WEAK = frozenset(
    (
        "赞",
        "在看",
        "分享",
        "留言",
        "收藏",
        "听过",
        "视频",
        "小程序",
        "举报",
        "取消",
        "允许",
        "分析",
        "知道了",
        "关注",
        "评论",
        "点赞",
        "转发",
        "复制链接",
        "微博",
        "微信",
        "朋友圈",
        "QQ",
        "QQ空间",
        "更多",
        "推荐",
        "首页",
        "上一页",
        "下一页",
        "尾页",
        "末页",
        "原创",
        "打印",
        "关闭",
        "顶部",
        "字号",
        "大",
        "中",
        "小",
        "×",
        "✕",
        "投诉",
        "返回",
        "搜索",
        "登录",
        "注册",
        "下载",
        "客户端",
        "相关阅读",
        "相关新闻",
        "热门推荐",
        "责任编辑",
    )
)
_MEDIA = re.compile(r"^(?:音频|视频)?\s*\d{1,2}:\d{2}(?:\s*/\s*\d{1,2}:\d{2})?$")
_TOKENS = re.compile(r"[\s|｜/·•,，、]+")
_SENTENCE_END = re.compile(r"[。！？!?；;]")
# Credit and info lines are short and sentence-less too, but they are the article's own.
_CREDIT = re.compile(
    r"^[（(【\[]?\s*(?:责任编辑|编辑|记者|作者|撰稿|审核|审稿|校对|来源|通讯员|摄影|供稿|编审)\s*[:：]"
)
_PUNCTUATION_ONLY = re.compile(r"^[\W_]+$")
# A line longer than this is prose, not a button.
_SHORT = 24


def is_interface_line(line: str) -> tuple[int, int]:
    """(strong, weak) interface marks a line carries; (0, 0) for an ordinary line."""
    stripped = line.strip()
    if not stripped or len(stripped) > _SHORT * 2:
        return 0, 0
    if any(phrase in stripped for phrase in STRONG):
        return 1, 0
    if _MEDIA.match(stripped):
        return 0, 1
    tokens = [t for t in _TOKENS.split(stripped) if t]
    if tokens and all(t in WEAK or t.isdigit() for t in tokens) and any(t in WEAK for t in tokens):
        return 0, 1
    return 0, 0


def _short_line(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) <= _SHORT and not _SENTENCE_END.search(stripped)


def trim_interface(lines: list[str]) -> list[str]:
    """The lines without interface residue: punctuation-only lines, the head's and the tail's UI runs."""
    kept = [line for line in lines if not _PUNCTUATION_ONLY.match(line.strip())]
    kept = _trim_tail(kept)
    while kept and is_interface_line(kept[0]) != (0, 0) and not _CREDIT.match(kept[0]):
        kept.pop(0)
    return kept


def _trim_tail(lines: list[str]) -> list[str]:
    start = len(lines)
    while start > 0 and (_short_line(lines[start - 1]) or is_interface_line(lines[start - 1]) != (0, 0)):
        start -= 1
    strong = weak = 0
    first = None
    for index in range(start, len(lines)):
        mark_strong, mark_weak = is_interface_line(lines[index])
        if (mark_strong or mark_weak) and first is None:
            first = index
        strong += mark_strong
        weak += mark_weak
    if first is None or (strong == 0 and weak < 3):
        return lines
    # The run goes from its first interface line; the article's own short closing lines before it stay,
    # and so do credit lines inside it.
    return lines[:first] + [line for line in lines[first:] if _CREDIT.match(line.strip())]
