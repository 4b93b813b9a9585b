"""Text normalisation and fuzzy token matching (pure Python, no database)."""

from __future__ import annotations

from cryogen_widgets.store._text import normalise, score, sql_fragments, tokens


def test_normalise_spacing_and_punctuation():
    for text in ("PT410", "pt 410", "PT-410", " Pt_410 ", "pt.410"):
        assert normalise(text) == "pt 410"
    assert normalise("SC-086/50-SS-SS") == "sc 086 50 ss ss"
    assert normalise("OFHC-Cu-RRR100 rod 12.7 mm") == "ofhc cu rrr 100 rod 12.7 mm"
    assert tokens("RDK-408D2") == ["rdk", "408", "d", "2"]


def test_score_exact_prefix_typo_and_absent():
    entry = tokens("Cryomech PT420 pulse tube")
    assert score(tokens("pt 420"), entry) == 1.0
    assert 0.85 < score(tokens("cryo 420"), entry) < 1.0  # prefix
    assert 0.45 < score(tokens("cryomeck 420"), entry) < 1.0  # typo, trigram
    assert score(tokens("pt 410"), entry) == 0.0  # another model number is absent
    assert score([], entry) == 1.0


def test_sql_fragments():
    assert sql_fragments("pt") == ["pt"]
    assert sql_fragments("cryo") == ["cry", "ryo"]
