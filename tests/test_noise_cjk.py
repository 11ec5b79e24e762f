"""Chinese and Japanese: lines are measured in characters, not in space-separated words.

A paragraph of 150 ideographs has no spaces: read as one word it looked like a menu item, and the text
engine dropped articles with their menus. The labelled pages are the Chinese and Japanese pages of
trafilatura's evaluation set (../shared/data/extraction), scored by its snippets: each page lists a
few passages of its article (`with`) and of its boilerplate (`without`).
"""

from __future__ import annotations

import re
import unicodedata

from bench.extraction import ours
from cleaner.noise.registry import TextView
from cleaner.noise.text import is_prose
from cleaner.noise.unspaced import UNSPACED, split_unspaced, word_gaps
from tests.devsets import dev_pages

PARAGRAPH = ("市政府星期二宣布，新的地铁线路将在明年春天开通，预计每天可以运送二十万名乘客。"
             "官员表示，这条线路将连接城市东部的住宅区和市中心的商业区，缩短居民的通勤时间。")


def unspaced_characters(text: str) -> list[str]:
    return UNSPACED.findall(text)


def test_an_unspaced_paragraph_is_measured_in_characters() -> None:
    assert word_gaps(PARAGRAPH) == len(unspaced_characters(PARAGRAPH)) // 2 and word_gaps("The tram line") == 2
    assert is_prose(PARAGRAPH)
    assert split_unspaced("地铁线路2024年") == ["地铁", "线路", "2024", "年"]
    assert [line.spaces for line in TextView("首页\n" + PARAGRAPH).content_lines()] == [1, word_gaps(PARAGRAPH)]


def test_a_chinese_article_keeps_its_paragraphs_and_drops_its_menu() -> None:
    menu = ["首页", "新闻", "评论", "文化", "教育", "联系我们", "版权声明"]
    second = ("不过，一些居民担心施工会带来噪音和交通拥堵。市政府承诺，夜间施工将受到严格限制，"
              "并将在主要路口增加交通协管员，以减少对周边居民生活的影响。")
    raw = "\n".join([*menu, PARAGRAPH, second, *menu]) + "\n"

    kept = ours(raw, "text")

    assert PARAGRAPH in kept and second in kept
    assert "联系我们" not in kept


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_the_labelled_chinese_and_japanese_pages() -> None:
    unspaced = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    pages = [page for page in dev_pages("trafilatura_eval", 10_000)
             if len(unspaced.findall(page["html"][:20_000])) > 200]
    assert len(pages) == 5
    found = {"text": 0, "html": 0}
    for page in pages:
        for kind in found:
            clean = _normal(ours(page["noisy_text"] if kind == "text" else page["html"], kind))
            found[kind] += sum(_normal(snippet) in clean for snippet in page["with"])
            assert not any(_normal(snippet) in clean for snippet in page["without"]), (page["id"], kind)
    # of 15 article passages; measured in words these pages kept 7 (text) and 13 (HTML). The text path's
    # NHK page shows each kanji's reading inline (furigana), so its passages cannot match on text.
    assert found["text"] >= 8 and found["html"] >= 14, found
