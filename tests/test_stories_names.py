"""Story grouping: names and headlines (synthetic articles, no corpus text)."""

from __future__ import annotations

from briefing.stories import cluster_labels

# One subject (a levy on harbour freight), two events: each pair is about its own person.
_LEVY = (
    "{who} said on {day} that the harbour freight levy would double for container ships. "
    "Shipping firms warned that the freight levy would raise prices at the harbour. "
    "{who} told reporters the levy on container freight would fund new harbour cranes, "
    "and {who} promised a review of the levy next year."
)


def _event(who: str, day: str) -> str:
    return _LEVY.format(who=who, day=day)


def test_cluster_labels_same_subject_different_people_are_two_stories() -> None:
    texts = [
        _event("Senator Oswin Tarrel", "Monday"),
        _event("Senator Oswin Tarrel", "Monday").replace("double", "nearly double"),
        _event("Governor Bettany Quill", "Friday"),
        _event("Governor Bettany Quill", "Friday").replace("double", "rise sharply"),
    ]
    labels = cluster_labels(texts)
    assert labels[0] == labels[1] and labels[2] == labels[3]
    assert labels[0] != labels[2]


def _one_person_texts() -> list[str]:
    return [
        _event("Senator Oswin Tarrel", "Monday"),
        _event("Senator Oswin Tarrel", "Monday").replace("double", "nearly double"),
        _event("Senator Oswin Tarrel", "Friday"),
        _event("Senator Oswin Tarrel", "Friday").replace("double", "rise sharply"),
    ]


def test_cluster_labels_same_subject_same_people_stay_one_story() -> None:
    # The control: the same four texts with one person are one story, so the names are what split them.
    assert len(set(cluster_labels(_one_person_texts()))) == 1


def test_cluster_labels_reports_published_weeks_apart_are_two_stories() -> None:
    texts = _one_person_texts()
    same_week = ["2026-03-02", "2026-03-03", "2026-03-06", None]
    assert len(set(cluster_labels(texts, dates=same_week))) == 1
    years_apart = ["2023-03-02", "2023-03-03", "2026-03-06", "2026-03-07"]
    labels = cluster_labels(texts, dates=years_apart)
    assert labels[0] == labels[1] and labels[2] == labels[3]
    assert labels[0] != labels[2]


def test_cluster_labels_matching_headlines_lift_a_pair_and_different_ones_never_split_it() -> None:
    a = (
        "Crews repaired the tramline near the old mill after a storm bent the overhead wires. "
        "The mill stood idle."
    )
    b = "Overhead wires on the tramline were bent, officials said, and engineers worked through the night."
    fillers = [
        "A bakery opened on the high street selling rye loaves and seed cakes.",
        "The chess club elected a new treasurer at its annual meeting in the library.",
    ]
    texts = [a, b, *fillers]
    apart = cluster_labels(texts, distance=0.6)
    assert apart[0] != apart[1]
    same = ["Storm bends tramline wires", "Storm bends tramline wires", "Bakery opens", "Chess club vote"]
    lifted = cluster_labels(texts, distance=0.6, titles=same)
    assert lifted[0] == lifted[1]
    close = cluster_labels(texts, distance=0.95)
    assert close[0] == close[1]
    other = ["Night shift for tram engineers", "Mill district cleanup", "Bakery opens", "Chess club vote"]
    assert cluster_labels(texts, distance=0.95, titles=other)[0] == close[1]
