"""Article metadata from text: credits (撰稿/记者/编辑 …), source, tags, titles, language, site."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from bulletin.extract.bylines import english_byline, latin_credit
from bulletin.extract.rules import match as match_rule
from bulletin.models import Credit

# Roles as printed, longest first so 责任编辑 wins over 编辑. Order is the regex alternation order.
ROLES = (
    "本报记者",
    "特约记者",
    "实习记者",
    "见习记者",
    "首席记者",
    "驻站记者",
    "总台记者",
    "新华社记者",
    "记者",
    "责任编辑",
    "实习编辑",
    "值班编辑",
    "网络编辑",
    "编辑",
    "责编",
    "主编",
    "编审",
    "编校",
    "编译",
    "编发",
    "撰稿人",
    "撰稿",
    "撰文",
    "作者",
    "执笔人",
    "执笔",
    "文字",
    "文图",
    "图文",
    "文/图",
    "图/文",
    "文／图",
    "图／文",
    "文",
    "通讯员",
    "实习生",
    "特约撰稿",
    "摄影",
    "摄像",
    "图片",
    "图",
    "摄",
    "审核",
    "审校",
    "审签",
    "审稿",
    "校对",
    "终审",
    "初审",
    "复审",
    "二审",
    "三审",
    "供稿",
    "翻译",
    "译者",
    "来源",
    "出处",
    "稿源",
    "发布机构",
    "发布单位",
    "策划",
    "统筹",
    "监制",
    "制作",
    "设计",
    "视频",
    "发布",
    "发布者",
)
# Roles whose names are the article's authors (the rest are production credits).
AUTHOR_ROLES = frozenset(
    {
        "本报记者",
        "特约记者",
        "实习记者",
        "见习记者",
        "首席记者",
        "驻站记者",
        "总台记者",
        "新华社记者",
        "记者",
        "撰稿人",
        "撰稿",
        "撰文",
        "作者",
        "执笔人",
        "执笔",
        "文字",
        "文图",
        "图文",
        "文/图",
        "图/文",
        "文／图",
        "图／文",
        "文",
        "通讯员",
        "实习生",
        "特约撰稿",
    }
)
# Labels whose value is the publisher, not a person: 来源 and the forms portals and gazettes print.
SOURCE_ROLES = frozenset({"来源", "出处", "稿源", "发布机构", "发布单位"})
_ROLE_RE = "|".join(sorted(ROLES, key=len, reverse=True))
# A role's name follows a colon, a slash (文/陈静) or a bar (WeChat's 编辑 | 郭佳).
_SEP = r"\s*[:：]\s*|\s*[/／]\s*|\s*[|｜]\s*"
# "撰稿：石 珊　编辑：夏长春": a role, a colon (or slash), then names up to the next role.
# Writer-and-photographer roles may be followed by a plain space too (文/图 陈静): tried first, so
# the slash inside them is not read as a separator.
_PAIR_ROLES = "文[/／]图|图[/／]文"
_CREDIT = re.compile(rf"(?P<pair>{_PAIR_ROLES})(?:\s+|{_SEP})|(?P<role>{_ROLE_RE})(?:{_SEP})")
# A credit line may be wrapped: （记者 张倩） 【编辑:刘欢】 [ 责编：张倩 ] (责编：萧潇、张妍)
# Bullets WeChat and portal templates put before a credit line: ▌来源：潼南发布, ■编辑：刘丽.
_BULLETS = "▌▍▎▐■□●○◆◇▶►▷★☆※◎"
_WRAP_OPEN = "（([【[〔 " + _BULLETS
_WRAP_CLOSE = "）)]】]〕 "
# Parenthesised reporter bylines inside or at the end of a paragraph: （记者 胡晓蓉） (信报记者 蔡雪婧)
_PAREN_BYLINE = re.compile(
    r"[（(]\s*(?P<prefix>[\u4e00-\u9fff·]{0,8}?)(?P<role>记者|通讯员|实习生|撰稿|作者|编辑|责编|责任编辑)"
    r"\s*[:：]?\s*(?P<names>[\u4e00-\u9fff·A-Za-z ,，、　]{2,40}?)\s*[）)]"
)
# "中青报·中青网记者 魏其濛" / "新京报记者 彭冲 山东冠县报道" / "本报记者罗科苏盈发自北京" near a line start.
_LEAD_BYLINE = re.compile(
    r"(?:^|[\s】])\s*[□■]?\s*(?P<prefix>[\u4e00-\u9fff·]{0,12}?)(?P<role>记者|通讯员)\s*"
    r"(?P<names>[\u4e00-\u9fff·]{2,4}(?:[ 　、，,]+[\u4e00-\u9fff·]{2,4}){0,4}?)"
    r"(?:\s*(?:发自|报道|摄影?|[/／]\s*[文图摄]|$|[ 　]+\S))"
)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NAME_SPLIT = re.compile(r"\s*[、，,/／;；|｜]\s*|\s{2,}|　+")
_NAME_CHARS = re.compile(r"[\u3400-\u9fff·•A-Za-z .'-]+")


# A token that names a role, however qualified (本报记者, 新华社记者, 通讯员): never a person.
_ROLE_TOKEN = re.compile(r"[\u4e00-\u9fff·]{0,8}?(?:记者|通讯员|实习生|编辑|责编|撰稿人?|作者|摄影)")
# A multi-character role printed inside a names field starts a run of its own names:
# （记者 张晓明 通讯员 李红）.
_INNER_ROLE = re.compile(
    "(?:(?<=^)|(?<=[\\s　、，,]))(?P<role>"
    + "|".join(sorted((r for r in ROLES if len(r) > 1 and not re.search("[/／]", r)), key=len, reverse=True))
    + ")(?=[\\s　:：]|$)"
)


def role_runs(role: str, value: str) -> list[tuple[str, str]]:
    """(role, names text) for each role printed in `value`, the first run under `role`."""
    runs: list[tuple[str, str]] = []
    start = 0
    for m in _INNER_ROLE.finditer(value):
        runs.append((role, value[start : m.start()]))
        role, start = m.group("role"), m.end()
    runs.append((role, value[start:]))
    return [(r, names) for r, names in runs if names.strip(" 　:：")]


def credits_of(role: str, value: str) -> list[Credit]:
    """The credits a names field after `role` gives, each inner role taking the names after it."""
    return [Credit(run_role, name) for run_role, text in role_runs(role, value) for name in _clean_name(text)]


_GLUED_ROLE = re.compile(r"^(?:实习|特约|本报)?(?:记者|通讯员|编辑)(?=[\u4e00-\u9fff]{2})")


def _clean_name(raw: str) -> list[str]:
    """Split a names field into names and repair stray inner spaces (石 珊 -> 石珊)."""
    names: list[str] = []
    for part in _NAME_SPLIT.split(raw.strip(_WRAP_CLOSE + _WRAP_OPEN + "　 \t")):
        part = _EDITOR_CODE.sub("", part.strip(" 　\t。:："))
        part = part.strip(".") if _CJK.search(part) else latin_credit(part)
        # "记者惠禾": a role glued to the name (also inside "樊亮 张明超 记者惠禾").
        tokens = [_GLUED_ROLE.sub("", t) for t in part.split()]
        tokens = [t for t in tokens if t]
        if not tokens:
            continue
        part = " ".join(tokens)
        if all(_CJK.search(t) for t in tokens) and len(tokens) > 1:
            # Single characters separated by spaces are one name padded for layout (石 珊, 欧阳 修);
            # runs of 2+ characters are separate names (王建宏 张文攀).
            if any(len(t) == 1 for t in tokens) and sum(len(t) for t in tokens) <= 4:
                names.append("".join(tokens))
            else:
                names.extend(tokens)
        else:
            names.append(part)
    return [n for n in names if _plausible_name(n)]


# Editor codes some portals glue to a name (责任编辑：王强_NB1234): not part of it.
_EDITOR_CODE = re.compile(r"\s*[_＿]\s*[A-Za-z]{0,6}\d{1,8}$")


def _plausible_name(name: str) -> bool:
    if not name or len(name) > 40 or not _NAME_CHARS.fullmatch(name) or _ROLE_TOKEN.fullmatch(name):
        return False
    if _CJK.search(name):
        return 2 <= len(name) <= 12
    return any(c.isalpha() for c in name)


def parse_credit_line(line: str) -> tuple[list[Credit], str] | None:
    """Credits on a line made only of credits (`撰稿：石 珊　编辑：夏长春`) with the leftover; else None."""
    text = line.strip().strip(_WRAP_OPEN + _WRAP_CLOSE).strip()
    if not text or len(text) > 120:
        return None
    byline = english_byline(text)
    if byline is not None and byline.whole:
        return [Credit(role, name) for role, name in byline.credits], ""
    matches = list(_CREDIT.finditer(text))
    if not matches or text[: matches[0].start()].strip(_WRAP_OPEN + _WRAP_CLOSE + "　 \t|｜"):
        return None
    credits: list[Credit] = []
    source: list[str] = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[m.end() : end].strip(_WRAP_OPEN + _WRAP_CLOSE + "　 \t|｜")
        role = m.group("pair") or m.group("role")
        if role in SOURCE_ROLES:
            source.append(value)
            continue
        if re.search(r"[。！？!?；;]", value):
            return None  # a sentence that starts with 作者：, not a credit
        found = credits_of(role, value)
        if not found and value:
            # "编辑：" followed by a date or text is not a credit line we understand.
            if re.search(r"\d{4}", value):
                continue
            return None
        credits.extend(found)
    return credits, " ".join(source)


# Where a 来源 value ends: a wide gap, a bar, the next label of the info bar, or a date glued on
# ("人民日报2024-05-13 08:49": two spans with no space between).
_SOURCE_END = re.compile(
    r"\s{2,}|　|\s*[|｜]\s*"
    r"|\s*(?:作者|编辑|责任编辑|发布时间|发布日期|更新时间|时间|日期|浏览|点击|阅读)\s*[:：]"
    r"|\s*(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}(?:\s*[-/.月]|$)"
)


def parse_source(value: str) -> str | None:
    """The publisher named after 来源：, without trailing dates, counters and credits."""
    value = _SOURCE_END.split(value.strip())[0]
    value = value.strip(" 　:：()（）[]【】|｜")
    return value or None if 1 <= len(value) <= 40 else None


def inline_credits(line: str) -> tuple[list[Credit], str]:
    """Bylines inside a paragraph, e.g. a trailing （记者 胡晓蓉）; returns them and the line without them."""
    credits: list[Credit] = []

    def take(m: re.Match[str]) -> str:
        found = credits_of(m.group("role"), m.group("names"))
        if not found:
            return m.group(0)
        credits.extend(found)
        return "" if m.end() == len(line) or m.start() == 0 else m.group(0)

    rest = _PAREN_BYLINE.sub(take, line)
    return credits, rest.strip()


# A line that is only a byline: every name after the role is a reporter (光明日报记者 王建宏 张文攀).
_BYLINE_ONLY = re.compile(
    r"\s*[□■]?\s*(?P<prefix>[\u4e00-\u9fff·]{0,12}?)(?P<role>记者|通讯员)\s*"
    r"(?P<names>[\u4e00-\u9fff·]{2,4}(?:[ 　、，,]+[\u4e00-\u9fff·]{2,4}){0,4})\s*"
)


def lead_byline(line: str) -> list[Credit]:
    """Reporter names from a byline like `新京报记者 彭冲 山东冠县报道` at the start of a short line."""
    m = _BYLINE_ONLY.fullmatch(line) if len(line) <= 60 else None
    m = m or _LEAD_BYLINE.search(line[:60])
    if not m or len(line) > 200:
        return []
    return credits_of(m.group("role"), m.group("names"))


def authors_from(credits: Iterable[Credit]) -> tuple[str, ...]:
    """Names from author-like roles (撰稿, 作者, 记者, 文, 通讯员 …), in order, without repeats."""
    seen: dict[str, None] = {}
    for credit in credits:
        if credit.role in AUTHOR_ROLES:
            seen.setdefault(credit.name, None)
    return tuple(seen)


def dedupe_credits(credits: Iterable[Credit]) -> tuple[Credit, ...]:
    """Credits in first-seen order without exact repeats."""
    return tuple(dict.fromkeys(credits))


# Site names appended to <title>: "标题_潼南区教育委员会", "标题 - 新华网", "标题|xxx".
_TITLE_SEPARATORS = re.compile(r"\s*(?:_{1,2}|\s[-–—|｜·»]\s|[|｜»]|--|——|(?<![\d\s])-(?![\d\s]))\s*")


def strip_site_suffix(title: str) -> str:
    """Remove site names joined to a <title> with _ - | separators; keeps the headline part."""
    title = normalize_space(title)
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    if len(parts) <= 1:
        return title
    # The headline is the longest part (sites put it first; some put the site first).
    return max(parts, key=len)


def normalize_space(text: str) -> str:
    """Collapse whitespace runs (including full-width spaces) to one space and strip."""
    return re.sub(r"[\s\u3000\u00a0\u200b\ufeff]+", " ", text).strip()


def looks_like_title(line: str) -> bool:
    """A first line that reads as a headline: short and not a sentence."""
    line = line.strip()
    if not 2 <= len(line) <= 60:
        return False
    if line[-1] in "。！？!?；;，,：:…" or line.count("。") or line.count("，") > 1:
        return False
    return not re.fullmatch(r"[\d\s:./年月日-]+", line)


def detect_lang(text: str) -> str | None:
    """ "zh" when CJK characters are a real share of the letters, "en" for Latin text, else None."""
    sample = text[:5000]
    cjk = len(_CJK.findall(sample))
    latin = len(re.findall(r"[A-Za-z]", sample))
    if cjk == 0 and latin == 0:
        return None
    if cjk >= 20 or cjk * 3 >= latin:
        return "zh"
    return "en" if latin >= 20 else None


def site_of(url: str | None) -> str | None:
    """The host of a URL without www., or None."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def parse_tags(value: str) -> list[str]:
    """Tags from a 标签/关键词 value: split on separators, # marks dropped."""
    tags = [t.strip(" #＃") for t in re.split(r"[,，、;；|｜#＃\s]+", value)]
    return [t for t in tags if 1 <= len(t) <= 30]


_PAIR_KEY = re.compile(r"([\u4e00-\u9fff]{1,6})\s*[:：]")
# A date or time ends a value in info bars: "来源：新华网 2023-02-02 09:15"; so do the counters
# and buttons blogs print after the name: "作者:zboygirl 阅读(1660) 评论(5) 编辑 发表于:…".
_VALUE_END = re.compile(
    r"\s*(?:(?:19|20)\d{2}\s*[-/.年]|\d{1,2}:\d{2}|[|｜【\[(（]"
    r"|\s(?:阅读|评论|浏览|点击|编辑|发表|发布|时间|日期|字号|收藏|打印)).*$"
)


def info_pairs(line: str) -> tuple[list[Credit], str | None]:
    """Credits and source from an info bar: `发布时间：2023-02-02 来源：潼南区教委 作者：石珊`."""
    if len(line) > 200:
        return [], None
    keys = list(_PAIR_KEY.finditer(line))
    credits: list[Credit] = []
    source: str | None = None
    for i, m in enumerate(keys):
        key = m.group(1)
        role = next((r for r in ROLES if key.endswith(r)), None)
        if role is None:
            continue
        end = keys[i + 1].start() if i + 1 < len(keys) else len(line)
        value = _VALUE_END.sub("", line[m.end() : end]).strip(" 　[]【】()（）|｜")
        if not value:
            continue
        if role in SOURCE_ROLES:
            source = source or parse_source(value)
        else:
            credits.extend(Credit(role, n) for n in _clean_name(value))
    return credits, source


_TRAILING_NAME = re.compile(r"[（(]\s*([\u4e00-\u9fff·]{2,4})\s*[）)]\s*$")


def trailing_author(line: str) -> str | None:
    """A name in brackets closing the last paragraph, e.g. `…外科医生。（袁源）`."""
    m = _TRAILING_NAME.search(line)
    if not m:
        return None
    before = line[: m.start()].rstrip()
    # Only after a finished sentence: "（图）" or "（上）" inside a sentence are not names.
    if before and before[-1] not in "。！？”」.!?":
        return None
    return m.group(1)


def split_names(value: str) -> list[str]:
    """Names in a names field (`王建宏 张文攀`, `赵延东、风笑天`, `石 珊`), cleaned."""
    return _clean_name(value)


# Common Chinese family names (single and compound): a bare 2-4 character value after 来源 is
# a person only when it starts with one of these and does not end like an organisation.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
    "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫"
    "寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻"
    "位厉伊仝区郜海阎练"
)
_COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
    "夏侯",
    "司徒",
)
# Endings of publisher names: 新华网, 光明日报, 教育局, 宣传部, 融媒体中心 …
_ORG_END = re.compile(
    r"(网|报|社|台|局|委|部|厅|站|刊|院|校|所|会|办|处|中心|频道|新闻|集团|公司|政府|在线|电视|广播|杂志|科|队|馆|园|班|组)$"
)


def looks_like_person(value: str) -> bool:
    """A bare Chinese personal name (尹娟, 欧阳修), not a publisher (新华网, 江西日报)."""
    value = value.strip()
    if not re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", value) or _ORG_END.search(value):
        return False
    return value[0] in _SURNAMES or value.startswith(_COMPOUND_SURNAMES)


_NAMES_ONLY = re.compile(r"[\u4e00-\u9fff·]{2,4}(?:[ 　、，,]+[\u4e00-\u9fff·]{2,4}){0,5}")
_POSTED_BY = re.compile(
    r"^\s*([\w\u4e00-\u9fff·.-]{2,20})\s*(?:发表于|发布于|posted\s+(?:on|at))", re.IGNORECASE
)
_BRACKET_NAME = re.compile(r"[\[【]\s*([\u4e00-\u9fff·]{2,4})\s*[\]】]")
_INFO_SEPARATORS = re.compile(r"\s*[|｜•·]\s*")
# Forum and blog info bars: "发布时间 2005/03/15 22:36:13 by duscha".
_BY_HANDLE = re.compile(r"(?:^|\s)by\s+([\w\u4e00-\u9fff·.-]{2,20})(?=\s|$|[〓|｜)）\]】])", re.IGNORECASE)


def _is_button(word: str) -> bool:
    return match_rule(word) is not None


def header_byline(line: str, *, has_date: bool, strict: bool = False) -> list[str]:
    """Author names printed without a role near the headline.

    `赵延东、风笑天` alone on the line under the title, `ggjjzhzz 发表于 2005-9-15`, a name in
    brackets on the dated info bar (`2004年7月16日08:19 [ 黄宇 ]`) or after "by" on it.
    """
    line = line.strip()
    if _NAMES_ONLY.fullmatch(line):
        if any(_ROLE_TOKEN.fullmatch(token) for token in _NAME_SPLIT.split(line) for token in token.split()):
            return []  # "本报记者 王小二 刘大伟": a byline with its role (lead_byline reads it)
        names = _clean_name(line)
        if any(_is_button(n) for n in names):
            return []  # "北京 举报": a dateline and a button, not two names
        # Away from the headline a short line (无聊, 编者按) is more often a heading than a byline:
        # `strict` asks every name to start with a family name.
        return names if not strict or all(looks_like_person(n) for n in names) else []
    m = _POSTED_BY.match(line)
    if m:
        return [m.group(1)]
    # "By Emily Burack | Jan 3, 2024", "Updated 3 May | By JOHN SMITH": the whole names.
    for part in [line, *_INFO_SEPARATORS.split(line)]:
        byline = english_byline(part)
        if byline is not None and byline.authors():
            return byline.authors()
    if has_date:
        m = _BRACKET_NAME.search(line) or _BY_HANDLE.search(line)
        if m:
            return [m.group(1)]
    return []
