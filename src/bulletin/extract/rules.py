"""The one rule table for boilerplate lines: what to drop, where the article ends, what is metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Action(Enum):
    """What a matching line does to the body."""

    DROP = "drop"  # remove this line only
    END = "end"  # remove this line and everything after it (the article is over)
    META = "meta"  # remove from the body; lines.py reads it (credits, source, tags)


@dataclass(frozen=True)
class Rule:
    """One boilerplate pattern; `pattern` is matched against a whole stripped line."""

    name: str
    action: Action
    pattern: re.Pattern[str]
    why: str


def _rule(name: str, action: Action, pattern: str, why: str) -> Rule:
    return Rule(name, action, re.compile(pattern, re.IGNORECASE), why)


# Punctuation a real sentence ends with; prompts and buttons never have it.
_NO_SENTENCE = r"[^。！？!?；;，,“”\"]"
_COLON = r"\s*[:：]\s*"
# Page furniture never contains a full stop; a paragraph that mentions 版权所有 does.
_FURNITURE = r"[^。！？!?]"

# Order matters only for speed; every rule is tried on every line. Patterns use fullmatch on the
# stripped line, so a rule never removes a paragraph that merely mentions the phrase.
RULES: tuple[Rule, ...] = (
    # --- folding and "more" buttons ---------------------------------------------------------
    _rule(
        "expand",
        Action.DROP,
        r"[【\[（(]?\s*(展开|阅读|查看)全文\s*[>»›…]*\s*[】\]）)]?",
        "mobile pages fold long articles behind a 展开全文 / 阅读全文 button",
    ),
    _rule(
        "click-more",
        Action.DROP,
        r"[【\[（(]?\s*点击(这里|此处)?(查看|阅读|浏览|进入|下载|播放)" + _NO_SENTENCE + r"{0,20}",
        "点击查看原文 / 点击查看更多 links that survive as text",
    ),
    _rule(
        "open-more",
        Action.DROP,
        r"(查看|阅读|浏览)(更多|原文)" + _NO_SENTENCE + r"{0,10}",
        "查看更多 / 阅读原文 links",
    ),
    # --- comments: the article is over ----------------------------------------------------------
    _rule(
        "comments",
        Action.END,
        r"[【\[]?\s*(评论|评论列表|发表评论|网友评论|全部评论|最新评论|热门评论|我要评论|评论区|(\d+\s*)?条评论)\s*[】\]]?"
        r"\s*(\(\d+\)|（\d+）|\d+)?\s*[:：]?",
        "comment sections follow the article; nothing after their heading is article text",
    ),
    _rule(
        "related",
        Action.END,
        r"[【\[]?\s*(相关(文章|阅读|新闻|报道|推荐|链接|资讯)|热门(推荐|文章|新闻|阅读)|推荐阅读|延伸阅读|猜你喜欢|"
        r"精彩推荐|更多(精彩|推荐|新闻)|你可能(还)?(感兴趣|喜欢)|大家都在看|为你推荐)\s*[】\]]?\s*[:：]?",
        "related-article lists are the first thing after the body on most news templates",
    ),
    _rule(
        "notice",
        Action.END,
        r"[【\[]?\s*"
        + _NO_SENTENCE
        + r"{0,12}(著作权|版权|侵权|免责|转载)(声明|公告|说明|须知)\s*[】\]]?\s*[:：]?",
        "a 反侵权公告 / 版权声明 heading: the site's legal notice follows the article, never sits inside it",
    ),
    _rule(
        "en-comments",
        Action.END,
        r"(\d+\s+)?(comments?|leave a (reply|comment)|related (articles|stories|posts)|read more|"
        r"more from \S.{0,30}|you may also like|recommended( for you)?)\s*:?",
        "the same markers on English pages",
    ),
    # --- prompts to follow, share, scan ---------------------------------------------------------
    _rule(
        "follow",
        Action.DROP,
        r"(欢迎|请|扫码|长按|点击|一键)?关注" + _NO_SENTENCE + r"{1,12}",
        "关注教育新动态 / 关注我们: short follow prompts (a sentence with punctuation stays)",
    ),
    _rule(
        "scan",
        Action.DROP,
        r".{0,12}(扫一扫|扫码|二维码|长按识别)" + _NO_SENTENCE + r"{0,20}",
        "扫一扫 / QR-code prompts",
    ),
    _rule(
        "share",
        Action.DROP,
        r"(分享到|分享至|转发到|一键分享|分享\s*[:：])\s*[:：]?" + _NO_SENTENCE + r"{0,40}",
        "share bars: 分享到 微信 微博 QQ空间",
    ),
    _rule(
        "share-en",
        Action.DROP,
        r"(share|share (this|on|via|the story|this (article|story|page))|follow us( on)?)\s*[:：]?\s*"
        r"((facebook|twitter|x|email|e-mail|whatsapp|linkedin|reddit|pinterest|telegram|print|"
        r"copy( the)? link|messenger|flipboard|threads|bluesky|wechat|weibo|sms|more)[\s,|/·•]*){0,12}",
        "English share rows and buttons: Share this: Facebook Twitter Email, Share this article",
    ),
    _rule(
        "advert-en",
        Action.DROP,
        r"(advertisement|advertising|sponsored( content)?|ad|story continues below( advertisement)?)",
        "English advertisement slots left as text: Advertisement, Story continues below advertisement",
    ),
    _rule(
        "newsletter-en",
        Action.DROP,
        r"(subscribe|sign up)( now| today| here)?( (to|for)) (our|the)( free)?\b[^.!?]{0,80}"
        r"(newsletters?|briefings?|alerts?|updates|emails?)\b[^.!?]{0,80}[.!]?",
        "English newsletter prompts: Subscribe to our newsletter, Sign up for our daily briefing …",
    ),
    _rule(
        "photo-credit-en",
        Action.DROP,
        r"[(\[]?(photo|photograph|image|picture|video|illustration)s?( by| credit)?\s*[:：]?\s*"
        r"[^.!?]{1,80}/\s*(getty( images)?|reuters|ap|afp|epa|shutterstock|alamy|pa( media)?|xinhua"
        r"|[A-Z][\w ]{1,30})[)\]]?",
        "English photo credits: Photo: Jane Doe/Getty Images (a name, a slash, an agency)",
    ),
    _rule(
        "relative-time-en",
        Action.DROP,
        r"(updated|published|posted|last updated)\s*:?\s*(\d{1,3}|an?|one)\s+"
        r"(seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago",
        "English relative time stamps: Updated 2 hours ago",
    ),
    _rule(
        "read-more-en",
        Action.DROP,
        r"(read more|read also|also read|related|see also|more on this story)\s*[:：]\s*[^.!?]{1,120}",
        "English links to other stories: Read more: Council budget approved",
    ),
    _rule(
        "tags",
        Action.META,
        r"(标签|关键字|关键词|tags?)" + _COLON + r".{0,200}|(#[^#\s]{1,30}#?\s*)+",
        "标签: #… lines (often spam on scraped mirrors) and 关键词 lines; metadata keeps real tags",
    ),
    # --- navigation and page furniture ----------------------------------------------------------
    _rule(
        "breadcrumb",
        Action.DROP,
        r"(当前位置|您的位置|你的位置|您现在的位置|所在位置|位置)" + _COLON + r".{0,120}",
        "breadcrumbs: 当前位置：首页 > 新闻",
    ),
    _rule(
        "crumb-path",
        Action.DROP,
        r"(首页|主页|网站首页|home)\s*([>»＞/→]\s*" + _NO_SENTENCE + r"{1,20}\s*)+",
        "breadcrumbs without a label: 首页 > 要闻 > 正文",
    ),
    _rule(
        "font-size",
        Action.DROP,
        r".{0,40}[【\[]?\s*字[体号]\s*[:：]?\s*[【\[]?\s*[大小]\s*[】\]]?\s*[【\[]?\s*中.{0,60}",
        "【字体：大 中 小】 (or 小 中 大) text-size switches, usually on the info bar",
    ),
    _rule(
        "views",
        Action.DROP,
        _FURNITURE
        + r"{0,80}((浏览次数|阅读次数|点击次数|点击数|访问次数)\s*[:：]|(浏览量|阅读量|人气)\s*[:：]?\s*\d)"
        + _FURNITURE
        + r"{0,60}",
        "info bars with 浏览次数 / 阅读量 counters",
    ),
    _rule(
        "print-close",
        Action.DROP,
        r"(\s*[【\[]?\s*[←<«]?\s*(打印本页|打印此页|打印文章|打印|关闭窗口|关闭本页|关闭|收藏本页|收藏|返回顶部|回到顶部|"
        r"返回首页|返回列表|返回|纠错|我要纠错|字号|默认|大|中|小|推荐给朋友|发送给朋友)\s*[】\]]?\s*[|｜]?)+",
        "打印本页 / 关闭窗口 / 【纠错】 button rows",
    ),
    _rule(
        "prev-next",
        Action.DROP,
        r"(上一篇|下一篇|上一条|下一条|上一页|下一页|阅读下一篇|前一篇|后一篇)\s*[:：]?.{0,80}",
        "上一篇/下一篇 links to neighbouring articles",
    ),
    _rule(
        "pager",
        Action.DROP,
        r"[【\[]?\s*(第\s*\d+\s*页\s*[/／,，]?\s*共\s*\d+\s*页|共\s*\d+\s*页)" + _NO_SENTENCE + r"{0,40}",
        "page counters of split articles: 第1页/共1页 << 上一页 | 下一页 >>",
    ),
    _rule("sohu-back", Action.DROP, r"返回.{1,10}[，,]\s*查看更多", "portal 'back to site, see more' links"),
    _rule("report", Action.DROP, r"(举报|投诉)\s*[/／]?\s*(反馈|举报|投诉)?", "report/feedback buttons"),
    _rule(
        "disclaimer",
        Action.DROP,
        r"(免责声明|特别声明|版权声明)\s*[:：].{0,300}|.{0,40}(不代表本(站|网|平台)|仅代表作者本人).{0,200}",
        "reprint disclaimers appended by portals",
    ),
    _rule(
        "en-disclaimer",
        Action.DROP,
        r"(notice|disclaimer|note)\s*:\s*the (content|views|opinions|article)s? "
        r"(above|expressed|in this).{0,400}",
        'the English twin of the platform disclaimer ("Notice: The content above ... is uploaded by a user")',
    ),
    # --- footers -------------------------------------------------------------------------------------
    _rule(
        "copyright",
        Action.DROP,
        _FURNITURE
        + r"{0,120}(版权所有|copyright|©|\(c\)\s*\d{4}|all rights reserved|未经授权|禁止转载)"
        + _FURNITURE
        + r"{0,200}",
        "copyright footers",
    ),
    _rule(
        "icp",
        Action.DROP,
        _FURNITURE + r"{0,120}(ICP\s*(备|证)|公网安备|网安备|增值电信)" + _FURNITURE + r"{0,200}",
        "ICP licence / police registration footers",
    ),
    _rule(
        "tech-support",
        Action.DROP,
        _FURNITURE + r"{0,80}(技术支持|主办单位|承办单位|网站维护|建议使用.{0,20}浏览器|网站地图|联系我们|"
        r"站点地图|设为首页|加入收藏)\s*[:：]?" + _FURNITURE + r"{0,120}",
        "site footers: 技术支持 / 主办单位 / 联系我们",
    ),
    # --- lines that belong to metadata ------------------------------------------------------------
    _rule(
        "source",
        Action.META,
        r"[（(【\[]?\s*(稿件|信息|文章|新闻)?(来源|出处)" + _COLON + r"[^。！？]{1,60}",
        "来源：xxx lines: the publisher goes to Article.source",
    ),
    _rule(
        "editor",
        Action.META,
        r"[（(【\[]?\s*(责任编辑|责编|编辑|审核|审校|校对|终审|初审|复审)\s*[:：/／].{0,60}",
        "责任编辑 / 审核 lines: credits, not text",
    ),
)


def match(line: str) -> Rule | None:
    """The first rule whose pattern matches the whole stripped line, or None."""
    stripped = line.strip()
    if not stripped or len(stripped) > 400:
        return None
    for rule in RULES:
        if rule.pattern.fullmatch(stripped):
            return rule
    return None
