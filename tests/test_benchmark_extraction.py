"""The extraction benchmark's scoring helpers and its leave-one-source-out learning."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from extraction import bulletin_runs, score
from extraction_run import Item
from extraction_score import (
    WILD_METRICS,
    Result,
    body_f1,
    date_ok,
    names_found,
    residue_in,
    title_ok,
)
from extraction_truth import Case, host_of, lang_of, split_names


def test_body_f1_is_bag_of_characters_without_whitespace() -> None:
    assert body_f1("北京 市", "北京市") == 1.0
    assert body_f1("", "北京市") == 0.0
    assert 0.0 < body_f1("北京", "北京市") < 1.0


def test_date_compared_at_the_truths_precision() -> None:
    assert date_ok("2021-01-06 10:00", "2021-01-06")
    assert date_ok("2021年1月6日", "2021-01-06")
    assert date_ok("2021-05-09", "2021")
    assert not date_ok("2021-01-07", "2021-01-06")
    assert not date_ok(None, "2021")


def test_title_ignores_width_and_spacing() -> None:
    assert title_ok("ＡＢＣ 新闻", "ABC新闻")
    assert not title_ok(None, "新闻")


def test_credited_names_are_recall_over_truth_names() -> None:
    names = split_names("王建宏 张文攀")
    assert names == ("王建宏", "张文攀")
    assert names_found(["记者 王建宏"], names) == 1
    assert split_names("Jane Doe and John Roe") == ("Jane Doe", "John Roe")


def test_residue_detector_finds_platform_ui_not_prose() -> None:
    tail = "正文\n预览时标签不可点\n微信扫一扫\n关注该公众号\n在看\n阅读原文"
    assert residue_in(tail) == ["预览时标签不可点", "微信扫一扫", "阅读原文", "在看"]
    assert residue_in("点击「阅读原文」即可体验！\n大家都在看这场比赛") == []
    assert residue_in("首页 上一页 1 2 下一页") == ["上一页", "下一页"]


def test_sources_and_languages() -> None:
    assert host_of("https://www.163.com/a.html") == "163.com"
    assert host_of(None) is None
    assert lang_of("北京市中医管理局") == "zh"
    assert lang_of("Stadia and xCloud") == "en"


def _item(origin: str, source: str, text: str) -> Item:
    return Item(origin, source, b"", False, "site.example", Result(text=text, title="t"))


def test_loso_learns_only_from_other_sources() -> None:
    furniture = "本网站所有内容均为原创，转载请注明出处"
    body = "内容各不相同的一段话，比页脚长得多，读者要读的是这一段正文。"
    items = [_item(f"a{i}", "a", f"第{i}篇：{body}\n{furniture}") for i in range(6)]
    items.append(_item("b0", "b", f"另一来源：{body}\n{furniture}"))
    whole, loso = bulletin_runs(items, {})
    assert furniture not in whole["b0"].text  # learned from source a's six articles
    assert furniture not in loso["b0"].text  # still: a is not held out when b is scored
    assert furniture in loso["a0"].text  # a held out: only b's one article was seen


def test_residue_share_counts_every_text() -> None:
    cases = {"x": Case("x", "s", "zh", title="t")}
    results = {"x": Result(text="正文\n继续滑动看下一个"), "y": Result(text="干净的正文")}
    figures = score(results, {"x": "s", "y": "s"}, cases, WILD_METRICS)
    clean = figures["(all)"]["texts free of residue"]
    assert (clean.num, clean.den) == (1.0, 2.0)
    assert figures["(all)"]["zh title"].value == 0.0
