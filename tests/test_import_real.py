"""booklet import scored on real programmes, against what a careful reader extracts.

The fixtures (tests/fixtures/import/real/, their sources in its README) are excerpts of
programmes from the web; each NAME.yaml beside them was written by hand. The scorer
(tests/import_scoring.py) matches items by day, start and title and compares each field.

Thresholds, set a little under what the importer reaches so that a change that loses ground
on any fixture or any pattern fails:

- every fixture: precision >= 0.90, recall >= 0.95, exact titles >= 0.85, speakers >= 0.85,
  kinds >= 0.70, rooms >= 0.85, start and end >= 0.95, every session heading reported and
  never an item, every source line in the result or named by a note;
- the mean over the fixtures of each pattern: precision >= 0.95, recall >= 0.98, titles,
  speakers and rooms >= 0.90, kinds >= 0.85, times >= 0.95.
"""

from __future__ import annotations

import pytest

from .conftest import FIXTURES
from .import_scoring import Score, score_fixture, table

REAL = FIXTURES / "import" / "real"
SOURCES = sorted(p for p in REAL.iterdir() if p.suffix in (".txt", ".xml", ".json"))

PER_FIXTURE = {"precision": 0.90, "recall": 0.95, "titles": 0.85, "speakers": 0.85,
               "kinds": 0.70, "rooms": 0.85, "times": 0.95, "sessions": 1.0}  # fmt: skip
PER_PATTERN = {"precision": 0.95, "recall": 0.98, "titles": 0.90, "speakers": 0.90,
               "kinds": 0.85, "rooms": 0.90, "times": 0.95}  # fmt: skip


@pytest.fixture(scope="module")
def scores() -> dict[str, Score]:
    return {path.stem: score_fixture(path) for path in SOURCES}


def test_every_fixture_has_its_expected_result_and_source():
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    assert len(SOURCES) >= 10
    for path in SOURCES:
        assert path.with_suffix(".yaml").exists(), path.name
        assert f"`{path.name}`" in readme, f"{path.name} has no source in the README"


@pytest.mark.parametrize("name", [p.stem for p in SOURCES])
def test_fixture_scores(scores, name):
    score = scores[name]
    low = {
        m: round(score.measure(m), 2)
        for m, least in PER_FIXTURE.items()
        if score.measure(m) < least
    }
    assert not low, f"{name}: {low}\n" + "\n".join(score.misses)
    assert not score.uncovered, f"{name}: lines neither imported nor reported: {score.uncovered}"


def test_pattern_scores(scores):
    patterns = sorted({p for s in scores.values() for p in s.patterns})
    assert {"title-speakers", "affiliations", "honorifics", "tables", "times", "days", "rooms",
            "kinds", "frab", "sessions"} <= set(patterns)  # fmt: skip
    low = []
    for pattern in patterns:
        group = [s for s in scores.values() if pattern in s.patterns]
        for measure, least in PER_PATTERN.items():
            mean = sum(s.measure(measure) for s in group) / len(group)
            if mean < least:
                low.append(f"{pattern} {measure} {mean:.2f} < {least}")
    assert not low, "\n".join(low) + "\n" + table(list(scores.values()))
