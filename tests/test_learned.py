"""Boilerplate learned from the archive: a site's recurring lines go, its article text stays."""

from __future__ import annotations

import sqlite3

from bulletin.extract.learned import MIN_ARTICLES, LineMemory

SITE = "jw.tongnan.gov.cn"
# Furniture this site prints under every article; no rule in rules.py names it.
SLOGAN = "办人民满意的教育，建设教育强区"
TIP = "欢迎投稿：tnjw@163.com，来稿请注明单位及联系电话"
COUNTER = "本文已被浏览 {n} 次"

BODIES = [
    "2月2日,潼南区召开2023年开学暨“五心强校”党建工作推进会。区委常委、宣传部长何礼兵出席会议。\n"
    "会议指出,要坚持立德树人根本任务,不断完善德智体美劳全面培养的教育体系。",
    "3月8日,区教委组织开展“三八”妇女节主题活动,全体女教职工参加。\n"
    "活动中,大家交流工作心得,分享育儿经验,现场气氛热烈。",
    "3月15日,潼南区举行中小学校园安全工作会,各校分管负责人参加会议。\n"
    "会议强调,要压实校园安全主体责任,扎实开展隐患排查整治。",
    "4月2日,区教委开展清明节文明祭扫宣传教育活动,倡导绿色文明祭扫。\n"
    "各校组织学生到烈士陵园缅怀先烈,聆听革命故事,接受红色教育。",
    "4月20日,潼南区2023年春季学校体育运动会在区体育中心开幕。\n"
    "来自全区的一千余名运动员参加田径、球类等项目的比赛。",
    "5月4日,区教委举办青年教师演讲比赛,二十名青年教师同台竞技。\n"
    "选手们讲述自己扎根乡村、爱岗敬业的教育故事,赢得阵阵掌声。",
]


def _article(i: int, body: str) -> str:
    return "\n".join([body, SLOGAN, TIP, COUNTER.format(n=100 + 37 * i)])


def _memory_with_site() -> LineMemory:
    memory = LineMemory()
    for i, body in enumerate(BODIES):
        memory.observe(SITE, _article(i, body))
    return memory


def test_recurring_site_lines_are_stripped_and_article_text_kept() -> None:
    memory = _memory_with_site()
    new = (
        "5月20日,潼南区召开教育系统党风廉政建设工作会,区教委领导班子成员出席。\n"
        "会议要求,要持续加强作风建设,把全面从严治党要求落实到学校管理的各个环节。"
    )
    text = memory.strip(SITE, _article(9, new))
    assert SLOGAN not in text
    assert TIP not in text
    assert "本文已被浏览" not in text  # the counter differs per article, digits are folded
    assert text == new


def test_nothing_is_learned_before_enough_articles() -> None:
    memory = LineMemory()
    for i, body in enumerate(BODIES[: MIN_ARTICLES - 1]):
        memory.observe(SITE, _article(i, body))
    assert SLOGAN in memory.strip(SITE, _article(0, BODIES[0]))


def test_lines_are_learned_per_site() -> None:
    memory = _memory_with_site()
    other = "cq.gov.cn"
    assert memory.is_boilerplate(SITE, TIP)
    assert not memory.is_boilerplate(other, TIP)
    assert TIP in memory.strip(other, _article(0, BODIES[0]))


def test_short_section_headings_are_never_learned() -> None:
    # "会议指出" opens a section in many bulletins of one site; it is article text, not furniture.
    memory = LineMemory()
    for i, body in enumerate(BODIES):
        first, second = body.split("\n")
        memory.observe(SITE, "\n".join([first, "会议指出", second, SLOGAN, COUNTER.format(n=i)]))
    first, second = BODIES[0].split("\n")
    kept = memory.strip(SITE, "\n".join([first, "会议指出", second]))
    assert "会议指出" in kept.splitlines()
    assert set(memory.boilerplate(SITE)) == {"办人民满意的教育,建设教育强区", "本文已被浏览#次"}


def test_a_line_must_recur_in_a_share_of_the_site() -> None:
    memory = LineMemory()
    # A signature used by one correspondent in 5 of the site's 30 articles is below 30%.
    signature = "（潼南区教委办公室 供稿）"
    for i in range(30):
        extra = f"\n{signature}" if i < 5 else ""
        memory.observe(SITE, f"第{i}篇通讯,记录学校的一件新事。{'甲乙丙丁' * (i % 3)}{extra}")
    assert not memory.is_boilerplate(SITE, signature)


def test_observing_the_same_text_twice_counts_once() -> None:
    memory = LineMemory()
    article = _article(0, BODIES[0])
    assert memory.observe(SITE, article)
    for _ in range(10):
        assert not memory.observe(SITE, article)
    assert memory.articles(SITE) == 1
    assert not memory.is_boilerplate(SITE, SLOGAN)


def test_reprinted_article_is_not_stripped_away() -> None:
    # The same article imported from several mirrors recurs whole: stripping it would empty it.
    memory = LineMemory()
    body = BODIES[0]
    for i in range(6):
        memory.observe(SITE, f"{body}\n（转载自镜像站{i}）")
    assert memory.strip(SITE, body) == body


def test_counts_persist_in_the_callers_database(tmp_path: object) -> None:
    path = f"{tmp_path}/archive.sqlite"
    with sqlite3.connect(path) as conn:
        memory = LineMemory(conn)
        for i, body in enumerate(BODIES):
            memory.observe(SITE, _article(i, body))
    conn.close()
    reopened = LineMemory(sqlite3.connect(path))
    assert reopened.articles(SITE) == len(BODIES)
    assert reopened.is_boilerplate(SITE, TIP)
    reopened.forget(SITE)
    assert not reopened.is_boilerplate(SITE, TIP)
