"""HTML extraction: the extractor registry, the combiner's choice and its record, failures, the two modes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cleaner.cli import main
from cleaner.config import Config, ConfigError
from cleaner.extract import combine as combine_module
from cleaner.extract.combine import combine, votes
from cleaner.extract.extractors import EXTRACTORS, Extracted, Extractor
from cleaner.io.readers import RawInput
from cleaner.pipeline import prepare
from tests.devsets import dev_pages

ARTICLE = " ".join(["Volunteers filled sandbags along the river on Tuesday as forecasters warned that heavy rain "
                    "and melting snow could push the water to record highs by the weekend."] * 3)
PAGE = f"""<html><head><title>River towns brace for floods</title></head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a></nav>
<article><h1>River towns brace for floods</h1><p>{ARTICLE}</p>
<p>The mayor said the town had learned from the floods of 2019, when hundreds of homes were damaged, and had
bought new pumps and barriers with money from the regional fund.</p></article>
<footer>Copyright 2024 The Gazette</footer></body></html>"""


class Fixed(Extractor):
    """A stand-in extractor with a fixed answer (text, None, or an exception to raise)."""

    package = "cleaner"
    description = "test double"

    def __init__(self, name: str, answer: str | None | Exception) -> None:
        self.name = name
        self.answer = answer

    def extract(self, html: str, url: str | None, options: dict[str, Any]) -> Extracted | None:
        if isinstance(self.answer, Exception):
            raise self.answer
        return None if self.answer is None else Extracted(self.answer)


@pytest.fixture
def doubles(monkeypatch: pytest.MonkeyPatch):
    """Register stand-in extractors for one test; returns the function that adds one."""
    def add(name: str, answer: str | None | Exception) -> str:
        monkeypatch.setitem(EXTRACTORS, name, Fixed(name, answer))
        return name

    return add


def html_document(config: Config, page: str = PAGE):
    return prepare(RawInput("page.html", "page.html", page, "html", kind="html"), config)


def test_every_extractor_is_registered_with_its_package_version() -> None:
    assert {"trafilatura", "trafilatura_precision", "readability", "resiliparse"} <= set(EXTRACTORS)
    options = Config()["extract"]
    for name, extractor in EXTRACTORS.items():
        described = extractor.describe(options)
        assert described["name"] == name
        assert described["version"][0].isdigit(), described
        extracted = extractor.extract(PAGE, None, options)
        assert extracted is not None and "sandbags" in extracted.text, name


def test_the_output_most_others_agree_with_wins_and_the_record_says_so(doubles) -> None:
    story, other = ARTICLE, "Subscribe to our newsletter for the latest deals and offers every single week"
    names = [doubles("lonely", other), doubles("first", story), doubles("second", story + " Share this")]
    result = combine(PAGE, None, Config()["extract"], names, "accurate")
    assert result.text == story
    assert result.extraction["chosen"] == "first" and result.extractor["name"] == "first"
    agree, score = result.extraction["agreement"], result.extraction["score"]
    assert set(agree) == set(score) == set(names) and agree["lonely"] < agree["second"] <= agree["first"]
    assert score["first"] == max(score.values())


def test_a_tie_goes_to_the_extractor_listed_first(doubles) -> None:
    names = [doubles("b_listed_first", ARTICLE), doubles("a_listed_second", ARTICLE)]
    for order in (names, names[::-1]):
        assert combine(PAGE, None, Config()["extract"], order, "accurate").extraction["chosen"] == order[0]


def test_an_extractor_that_raises_or_finds_nothing_is_left_out_and_recorded(doubles) -> None:
    names = ["trafilatura", doubles("broken", RuntimeError("parser exploded")), doubles("silent", None),
             doubles("blank", "  \n")]
    config = Config({"extract": {"accurate_extractors": names}})
    document = html_document(config)
    extraction = document.metadata["tool"]["extraction"]
    assert extraction["failed"] == {"broken": "RuntimeError: parser exploded", "silent": "no text",
                                    "blank": "no text"}
    assert extraction["chosen"] == "trafilatura" and extraction["agreement"] == {}
    assert "sandbags" in document.raw


def test_when_every_extractor_fails_the_visible_page_is_cleaned_and_the_failures_kept(doubles) -> None:
    names = [doubles("broken", ValueError("bad page")), doubles("silent", None)]
    document = html_document(Config({"extract": {"accurate_extractors": names}}))
    assert document.metadata["text_from"] == "visible_text"
    assert document.metadata["tool"]["extractor"]["name"] == "cleaner.visible_text"
    assert document.metadata["tool"]["extraction"]["chosen"] is None
    assert set(document.metadata["tool"]["extraction"]["failed"]) == set(names)
    assert "Home | News" in document.raw


def test_the_mode_decides_which_extractors_run() -> None:
    fast = html_document(Config({"extract": {"mode": "fast"}})).metadata["tool"]["extraction"]
    assert fast["candidates"] == ["trafilatura"] and fast["agreement"] == {}
    accurate = html_document(Config()).metadata["tool"]["extraction"]
    assert accurate["mode"] == Config()["extract"]["mode"] == "accurate"
    assert accurate["candidates"] == Config()["extract"]["accurate_extractors"]
    assert set(accurate["agreement"]) == set(accurate["candidates"])


@pytest.mark.parametrize("overrides", [{"mode": "slow"}, {"fast_extractor": "nope"},
                                       {"accurate_extractors": []}, {"accurate_extractors": ["readability", "nope"]},
                                       {"accurate_extractors": ["readability", "readability"]}])
def test_a_bad_extraction_setting_is_refused(overrides: dict) -> None:
    with pytest.raises(ConfigError, match="extract"):
        Config({"extract": overrides})


def test_the_cli_switches_the_mode(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    modes = {}
    for flag in ([], ["--extract-mode", "fast"]):
        out = tmp_path / f"out{len(flag)}"
        result = CliRunner().invoke(main, ["clean", str(page), "--out", str(out), *flag])
        assert result.exit_code == 0, result.output
        [line] = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
        modes[tuple(flag)] = json.loads(line)["metadata"]["tool"]["extraction"]["mode"]
    assert modes == {(): "accurate", ("--extract-mode", "fast"): "fast"}


def test_real_pages_give_the_same_record_twice_and_a_choice_among_the_candidates() -> None:
    for record in dev_pages("cleanportaleval", 5, min_gold_words=100):
        first, again = (html_document(Config(), record["html"]) for _ in range(2))
        assert first.to_json() == again.to_json()
        extraction = first.metadata["tool"]["extraction"]
        assert extraction["chosen"] in extraction["candidates"]
        assert first.metadata["tool"]["extractor"]["name"] == extraction["chosen"]


def test_agreement_is_bag_of_words_f1_and_the_lean_favours_the_text_the_others_contain() -> None:
    def bags(texts: dict[str, str]) -> dict:
        return {name: combine_module.word_bag(text) for name, text in texts.items()}

    agree, lean = votes(bags({"a": "one two three four", "b": "one two three five", "c": "six seven"}))
    assert agree == {"a": 0.375, "b": 0.375, "c": 0.0} and lean == {"a": 0.0, "b": 0.0, "c": 0.0}
    agree, lean = votes(bags({"short": "one two", "long": "One two three four"}))
    assert agree == {"short": 0.6667, "long": 0.6667} and lean == {"short": 0.5, "long": -0.5}
    assert votes(bags({"alone": "one two"})) == ({}, {})
    assert combine_module.bag_f1(combine_module.word_bag(""), combine_module.word_bag("x")) == 0.0


def test_rule_families_disabled_on_extracted_text_still_run_on_other_text() -> None:
    from cleaner.document import Document
    from cleaner.noise.engine import enabled_rules, find_noise

    config = Config({"noise": {"disabled_rules_extracted": ["newsletter_prompt"]}})
    raw = f"{ARTICLE}\n\nSign up for our newsletter to get the best stories in your inbox every morning.\n\n{ARTICLE}\n"
    rules = {}
    for content_type in ("text", "html"):
        document = Document(id="d", source="s", raw=raw, metadata={"content_type": content_type})
        rules[content_type] = {span.rule for span in find_noise(document, config)}
    assert any(rule.startswith("newsletter_prompt_v") for rule in rules["text"])
    assert not any(rule.startswith("newsletter_prompt_v") for rule in rules["html"])
    assert len(enabled_rules(config, extracted=True)) < len(enabled_rules(config))
    with pytest.raises(ConfigError, match="disabled_rules_extracted"):
        Config({"noise": {"disabled_rules_extracted": ["newsletter_prompt_v1"]}})
