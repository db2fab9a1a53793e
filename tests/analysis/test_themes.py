"""Emergent themes on hand-made quote sets whose topics, and so whose themes, are known."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

from workbench.analysis import _themes, describe_theme, propose_themes, theme_terms
from workbench.analysis._themes import THEME_COLUMNS
from workbench.suggest import tokenize
from workbench.suggest._embed import resolve_embeddings

# Four information gaps of food-truck owners, four quotes each (segments 1-16).
ENGLISH = {
    "registration": [
        "Which municipality do I register the food truck with?",
        "Registering the food truck with the municipality took weeks.",
        "The municipality register for food trucks was hard to find.",
        "Every municipality wants its own food truck registration.",
    ],
    "fees": [
        "The annual fee surprised us, and the invoice came twice.",
        "How is the fee calculated? The invoice shows no breakdown.",
        "We paid the fee on the invoice before the permit arrived.",
        "A second invoice with a higher fee arrived in March.",
    ],
    "appeal": [
        "How do I appeal the decision?",
        "The appeal had to reach the court three weeks after the decision.",
        "Nobody said where to send an appeal against the decision.",
        "Our appeal of the decision was rejected on a technicality.",
    ],
    "inspection": [
        "The inspection report was full of codes.",
        "What does the inspection report actually mean for us?",
        "After the inspection the report listed remarks in legal language.",
        "The inspection report gave us a grade without reasons.",
    ],
}

# Three Swedish themes, four quotes each (segments 1-12).
SWEDISH = {
    "tillstånd": [
        "Ansökan om serveringstillstånd tog tolv veckor att handlägga.",
        "Vi skickade ansökan om serveringstillstånd i januari.",
        "Handläggaren ville ha en ny ansökan om serveringstillstånd.",
        "Ansökan om serveringstillstånd kräver många bilagor.",
    ],
    "avgift": [
        "Den årliga avgiften för kontrollen var för hög.",
        "Avgiften höjdes utan att någon förklarade varför.",
        "Vi fick betala avgiften två gånger.",
        "Hur räknas avgiften ut, timtaxa eller fast avgift?",
    ],
    "torget": [
        "Vi fick ingen plats på torget för matvagnen.",
        "Platsen på torget lottades ut varje vår.",
        "Matvagnen fick inte stå på torget på söndagar.",
        "Torget hade bara tre platser för matvagnar.",
    ],
}


def quotes(topics: dict[str, list[str]], participants: int = 5) -> pd.DataFrame:
    """One row per quote, segments numbered from 1 in topic order, participants in turn."""
    texts = [t for group in topics.values() for t in group]
    return pd.DataFrame(
        {
            "segment": range(1, len(texts) + 1),
            "participant": [f"P{i % participants + 1:02d}" for i in range(len(texts))],
            "text": texts,
        }
    )


def expected_segments(topics: dict[str, list[str]]) -> set[tuple[int, ...]]:
    """The segments of each topic, as :func:`quotes` numbers them."""
    out, start = set(), 1
    for group in topics.values():
        out.add(tuple(range(start, start + len(group))))
        start += len(group)
    return out


def words_of(texts: list[str]) -> set[str]:
    return {w for t in texts for w in tokenize(t)}


def test_propose_themes_finds_the_english_topics() -> None:
    frame = propose_themes(quotes(ENGLISH))
    assert list(frame.columns) == THEME_COLUMNS
    assert len(frame) == 4
    assert {tuple(s) for s in frame["segments"]} == expected_segments(ENGLISH)
    assert frame["theme"].tolist() == [1, 2, 3, 4]
    assert frame["n_segments"].tolist() == [4, 4, 4, 4]
    by_first = {s[0]: row for s, (_, row) in zip(frame["segments"], frame.iterrows(), strict=True)}
    assert "municipality" in by_first[1]["terms"][:3]
    assert "fee" in by_first[5]["terms"][:2] and "invoice" in by_first[5]["terms"][:2]
    assert "appeal" in by_first[9]["terms"][:2] and "decision" in by_first[9]["terms"][:2]
    assert by_first[13]["label"] == "inspection report"
    assert (frame["cohesion"] > 0.5).all() and (frame["separation"] > 0).all()


def test_propose_themes_finds_the_swedish_topics() -> None:
    frame = propose_themes(quotes(SWEDISH), language="auto")
    assert len(frame) == 3
    assert {tuple(s) for s in frame["segments"]} == expected_segments(SWEDISH)
    by_first = {s[0]: row for s, (_, row) in zip(frame["segments"], frame.iterrows(), strict=True)}
    assert by_first[1]["label"] == "ansökan om serveringstillstånd"
    assert "avgiften" in by_first[5]["terms"][:1]
    assert "torget" in by_first[9]["terms"][:1]


def test_propose_themes_mixed_languages_keep_their_words() -> None:
    mixed = {"fees": ENGLISH["fees"], "torget": SWEDISH["torget"]}
    frame = propose_themes(quotes(mixed))
    assert {tuple(s) for s in frame["segments"]} == expected_segments(mixed)
    for _, row in frame.iterrows():
        texts = [t for group in mixed.values() for t in group]
        members = [texts[s - 1] for s in row["segments"]]
        # No stop word of either language is a term: "på", "för", "the", "and" ...
        assert not {"på", "för", "the", "and", "on"} & set(row["terms"])
        assert {t.lower() for t in row["terms"]} <= words_of(members)


def test_propose_themes_with_k_makes_k_themes_sorted_by_size() -> None:
    data = quotes({**ENGLISH, "extra": ["The fee for the permit was higher this year."]})
    frame = propose_themes(data, k=2)
    assert len(frame) == 2
    assert frame["n_segments"].tolist() == sorted(frame["n_segments"], reverse=True)
    assert sum(frame["n_segments"]) == len(data)
    assert sorted(s for segs in frame["segments"] for s in segs) == list(range(1, 18))


def test_propose_themes_labels_and_terms_are_words_of_the_quotes() -> None:
    data = quotes(ENGLISH)
    frame = propose_themes(data)
    text_of = dict(zip(data["segment"], data["text"], strict=True))
    for _, row in frame.iterrows():
        members = [text_of[s] for s in row["segments"]]
        label_words = set(tokenize(row["label"]))
        assert label_words and label_words <= words_of(members), row["label"]
        assert row["terms"] and {t.lower() for t in row["terms"]} <= words_of(members)
        assert len(row["typical"]) == 3 and set(row["typical"]) <= set(members)


def test_propose_themes_counts_participants() -> None:
    frame = propose_themes(quotes(ENGLISH, participants=3))
    for _, row in frame.iterrows():
        expected = sorted({f"P{(s - 1) % 3 + 1:02d}" for s in row["segments"]})
        assert row["participants"] == expected
        assert row["n_participants"] == len(expected)


def test_propose_themes_is_deterministic_for_a_seed() -> None:
    data = quotes(ENGLISH)
    first = propose_themes(data, seed=3)
    pd.testing.assert_frame_equal(first, propose_themes(data, seed=3))
    shuffled = data.sample(frac=1.0, random_state=1)
    pd.testing.assert_frame_equal(first, propose_themes(shuffled, seed=3))


def test_propose_themes_no_quotes_no_rows() -> None:
    frame = propose_themes(pd.DataFrame(columns=["segment", "participant", "text"]))
    assert frame.empty and list(frame.columns) == THEME_COLUMNS


def test_propose_themes_one_quote_one_theme() -> None:
    data = pd.DataFrame({"segment": [7], "participant": ["P01"], "text": ["The fee was high."]})
    frame = propose_themes(data)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row["segments"] == [7] and row["participants"] == ["P01"]
    assert row["typical"] == ["The fee was high."]
    assert "fee" in tokenize(row["label"])
    assert set(tokenize(row["label"])) <= {"the", "fee", "was", "high"}


def test_propose_themes_two_quotes() -> None:
    data = pd.DataFrame(
        {
            "segment": [1, 2],
            "participant": ["P01", "P02"],
            "text": ["The fee was high.", "The appeal failed."],
        }
    )
    assert propose_themes(data)["segments"].tolist() == [[1, 2]]
    # two one-quote "themes" are none: k is capped at half the quotes, and the frame says so
    capped = propose_themes(data, k=2)
    assert capped["segments"].tolist() == [[1, 2]] and capped.attrs["k_asked"] == 2


def test_propose_themes_identical_quotes_are_one_theme() -> None:
    data = pd.DataFrame(
        {"segment": [1, 2, 3, 4], "participant": ["P01"] * 4, "text": ["Same fee again."] * 4}
    )
    for k in (None, 3):
        frame = propose_themes(data, k=k)
        assert frame["segments"].tolist() == [[1, 2, 3, 4]]
        assert frame["cohesion"].iloc[0] == pytest.approx(1.0)


def test_propose_themes_quotes_without_content_words() -> None:
    data = pd.DataFrame(
        {"segment": [1, 2], "participant": ["P01", "P02"], "text": ["It is.", "Och så."]}
    )
    frame = propose_themes(data)
    assert frame["segments"].tolist() == [[1, 2]]
    assert frame["terms"].iloc[0] == [] and frame["label"].iloc[0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"k": 0}, "k must be at least 1"), ({"language": "de"}, "language must be one of")],
)
def test_propose_themes_refuses_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        propose_themes(quotes(ENGLISH), **kwargs)  # type: ignore[arg-type]


def test_propose_themes_refuses_bad_frames() -> None:
    with pytest.raises(ValueError, match="lack the column"):
        propose_themes(pd.DataFrame({"segment": [1], "text": ["x"]}))
    twice = pd.DataFrame({"segment": [1, 1], "participant": ["a", "b"], "text": ["x", "y"]})
    with pytest.raises(ValueError, match="segment 1 appears more than once"):
        propose_themes(twice)


def test_theme_terms_after_a_merge() -> None:
    merged = ENGLISH["fees"] + ENGLISH["appeal"]
    terms = theme_terms(merged, others=ENGLISH["registration"] + ENGLISH["inspection"])
    assert {"fee", "invoice", "appeal", "decision"} <= set(terms[:4])
    assert not {"municipality", "inspection", "report"} & set(terms)
    assert theme_terms([]) == []


def test_describe_theme_after_a_split() -> None:
    described = describe_theme(ENGLISH["inspection"][:3], others=ENGLISH["fees"])
    assert described.label == "inspection report"
    assert described.terms[:2] == ["inspection", "report"]
    assert len(described.typical) == 3 and 0 < described.cohesion <= 1
    assert describe_theme([]).label == ""


@pytest.mark.skipif(resolve_embeddings("auto") is None, reason="no local sentence model")
def test_propose_themes_with_sentence_embeddings() -> None:
    frame = propose_themes(quotes(ENGLISH), k=4, embeddings="auto")
    assert {tuple(s) for s in frame["segments"]} == expected_segments(ENGLISH)


def test_themes_docstring_examples_run() -> None:
    result = doctest.testmod(_themes)
    assert result.attempted >= 2 and result.failed == 0


def test_theme_terms_keep_the_capital_of_names_only() -> None:
    texts = [
        "We called Skatteverket about the tax form.",
        "Calling Skatteverket about the tax form took hours.",
        "Skatteverket never answered. Forms were lost.",
    ]
    terms = theme_terms(texts, others=ENGLISH["fees"])
    assert "Skatteverket" in terms and "form" in terms
    assert not {"skatteverket", "Form", "Forms"} & set(terms)


def test_propose_themes_learns_word_meaning_from_the_background() -> None:
    # No two quotes of a topic share a word; only the study's other texts tell that a waiter,
    # the staff and a server go together, as do pasta, soup and dessert.
    service = ["The waiter was rude.", "Staff ignored us.", "Our server forgot the order."]
    food = ["The pasta was cold.", "Soup tasted bland.", "Dessert was too sweet."]
    background = [
        "The waiter and the staff were friendly.",
        "Our server and the other staff were slow.",
        "The staff, the waiter and the server all helped.",
        "A waiter brought the server's order.",
        "The waiter ignored us and was rude.",
        "The pasta and the soup were good.",
        "Dessert after the soup was fine.",
        "Pasta, soup and dessert on the menu.",
        "The dessert and pasta tasted of the kitchen.",
        "The soup was cold and bland.",
        "The sweet dessert was too cold.",
    ]
    data = quotes({"service": service, "food": food})
    for seed in (0, 1, 2):
        frame = propose_themes(data, k=2, seed=seed, background=background)
        assert sorted(frame["segments"].tolist()) == [[1, 2, 3], [4, 5, 6]]
        assert sum(frame["n_segments"]) == 6  # the background is never grouped


def test_propose_themes_leaves_out_talk_that_says_nothing() -> None:
    # Transcribed speech: hesitations, notes in brackets, pseudonyms, light verbs.
    talk = {
        "fees": [
            "Yeah, um, the fee [laughs], you know, I think the invoice was just wrong.",
            "Okay so the fee, I mean, the invoice [Person 4] sent, I didn't know why.",
            "The invoice and the fee, honestly, I don't know, it's really a lot.",
        ],
        "avgift": [
            "Eh, avgiften [skratt], jag vet inte, fakturan kom ju bara.",
            "Asså avgiften, ja, fakturan, jag tycker det är konstigt, typ.",
            "Fakturan med avgiften, nån sa att den var fel [skratt].",
        ],
    }
    frame = propose_themes(quotes(talk), k=2)
    said = {w for row in frame.itertuples() for w in [*row.terms, *row.label.split()]}
    noise = {"um", "yeah", "laughs", "person", "know", "think", "okay", "eh", "skratt", "vet"}
    assert not noise & {w.strip(",").lower() for w in said}
    assert {tuple(s) for s in frame["segments"]} == expected_segments(talk)
    assert {"fee", "invoice"} <= set(frame["terms"][frame["segments"].map(min) == 1].iloc[0])


def test_propose_themes_takes_each_quote_language_from_its_column() -> None:
    assert _themes.quote_languages(["ok", "ok", "Vi och de"], "auto", ["sv", "en", "?"]) == [
        "sv",
        "en",
        "sv",  # no language given: its own words tell
    ]
    assert _themes.quote_languages(["ok", "ok"], "en", ["sv", "sv"]) == ["en", "en"]
    # an English answer in a Swedish survey is English when its words clearly say so
    said = [
        "too much paper, too little help",
        "Slow inspection visit",
        "Vi har det bra och vill stanna",
    ]
    assert _themes.quote_languages(said, "auto", ["sv", "sv", "en"]) == ["en", "sv", "sv"]
    data = quotes({"fees": [t.replace("The ", "") for t in ENGLISH["fees"]]})
    data = data.assign(text=["Fee " + t.split()[-1] for t in data["text"]], language="sv")
    frame = propose_themes(data)  # no clue of their own: stemmed as Swedish, as the column says
    assert _themes.quote_languages(list(data["text"]), "auto", list(data["language"])) == (
        ["sv"] * 4
    )
    assert frame["languages"].iloc[0] == {"sv": 4}


def test_themes_judge_a_bilingual_partition_within_each_language() -> None:
    blocks = _themes._language_blocks(["en"] * 6 + ["sv"] * 4)
    assert [b.tolist() for b in blocks] == [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9]]
    assert len(_themes._language_blocks(["en"] * 9 + ["sv"])) == 1  # a stray quote: one set
    assert len(_themes._language_blocks(None)) == 1
    # Two topics in each language; words never cross languages.
    rows = np.array(
        [[1, 0.1, 0, 0], [1, 0, 0, 0], [0.1, 1, 0, 0], [0, 1, 0, 0]]
        + [[0, 0, 1, 0.1], [0, 0, 1, 0], [0, 0, 0.1, 1], [0, 0, 0, 1]],
        dtype=float,
    )
    blocks = _themes._language_blocks(["en"] * 4 + ["sv"] * 4)
    by_language = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    by_topic = np.array([0, 0, 1, 1, 2, 2, 3, 3])
    silhouette = _themes.SILHOUETTE
    # Plain silhouette: the language split looks as good a partition as any.
    assert _themes._criterion(rows, by_language, silhouette, 0) > 0.3
    assert _themes._judged(rows, by_language, silhouette, 0, blocks) == 0.0
    assert _themes._judged(rows, by_topic, silhouette, 0, blocks) > 0.8


# Two Swedish themes told the way people talk: pronouns, modals, "kom", "sen", numbers.
SPOKEN_SV = {
    "avgift": [
        "Ni borde ärligt talat förklara avgiften, sen kom fakturan tre gånger.",
        "Sen kom en faktura till och ni kunde inte förklara avgiften, ärligt.",
        "Ni borde kunna veta varför avgiften på fakturan blev så hög.",
        "Det kom tre fakturor och ingen kunde förklara avgiften för oss.",
    ],
    "torget": [
        "Vi fick ingen plats på torget för matvagnen, det blev inget.",
        "Platsen på torget lottades ut, sen fick matvagnen stå kvar.",
        "Matvagnen kunde inte stå på torget, ni vet hur det blir.",
        "Torget hade bara tre platser för matvagnar, mer blev det inte.",
    ],
}
FUNCTION_WORDS = {
    "ni", "kom", "borde", "sen", "tre", "ärligt", "kunde", "kunna", "veta", "blev", "mer",
    "blir", "vet", "fick", "gånger", "talat",
}  # fmt: skip


def test_propose_themes_labels_and_terms_are_content_words_in_swedish() -> None:
    frame = propose_themes(quotes(SPOKEN_SV), k=2, language="sv")
    assert sorted(map(sorted, frame["segments"])) == [[1, 2, 3, 4], [5, 6, 7, 8]]
    for row in frame.itertuples():
        words = set(tokenize(row.label)) | {t.lower() for t in row.terms}
        assert not words & FUNCTION_WORDS, (row.label, row.terms)
    labels = " ".join(frame["label"])
    assert "avgiften" in labels and "torget" in labels


def test_propose_themes_counts_the_languages_of_each_theme() -> None:
    both = pd.concat([quotes(ENGLISH).assign(language="en"), quotes(SWEDISH).assign(language="sv")])
    both["segment"] = range(1, len(both) + 1)
    frame = propose_themes(both, k=7)
    assert sorted(map(str, frame["languages"])) == ["{'en': 4}"] * 4 + ["{'sv': 4}"] * 3
    assert not frame.attrs["by_language"] and not frame.attrs["language_split"]


def test_propose_themes_a_split_by_language_is_no_theme(monkeypatch: pytest.MonkeyPatch) -> None:
    both = pd.concat([quotes(ENGLISH).assign(language="en"), quotes(SWEDISH).assign(language="sv")])
    both["segment"] = range(1, len(both) + 1)
    real = _themes._group

    def by_language(vectors, k, seed, settings, languages=None):  # type: ignore[no-untyped-def]
        if k is not None:
            return real(vectors, k, seed, settings, languages)
        return np.array([0 if x == "en" else 1 for x in languages], dtype=np.int64)

    # an estimate that finds only the languages: the themes are found within each instead
    monkeypatch.setattr(_themes, "_group", by_language)
    frame = propose_themes(both)
    assert frame.attrs["by_language"] and not frame.attrs["language_split"]
    assert len(frame) > 2 and all(len(x) == 1 for x in frame["languages"])
    groups = {tuple(s) for s in frame["segments"]}
    assert {tuple(range(1, 5)), tuple(range(17, 21))} <= groups  # registration, tillstånd
    # a chosen k keeps what it found, and the frame says when that is just the languages
    two = propose_themes(both, k=2)
    assert two.attrs["language_split"] == (sorted(map(len, two["languages"])) == [1, 1])


def test_split_by_language_needs_one_group_per_language_each_of_one_language() -> None:
    langs = ["en"] * 10 + ["sv"] * 10
    split = _themes._split_by_language
    assert split(np.array([0] * 10 + [1] * 10), langs)
    assert split(np.array([0] * 10 + [1] * 9 + [0]), langs)  # 10 of 11: still one language
    assert not split(np.array([0] * 10 + [1] * 5 + [0] * 5), langs)
    assert not split(np.array([0] * 5 + [1] * 5 + [2] * 10), langs)  # themes in a language
    assert not split(np.array([0] * 10 + [1] * 10), ["en"] * 20)


def test_propose_themes_caps_k_at_half_the_quotes() -> None:
    frame = propose_themes(quotes(ENGLISH), k=500)
    assert len(frame) == 8 and frame.attrs["k_asked"] == 500
    assert "k_asked" not in propose_themes(quotes(ENGLISH), k=8).attrs


def test_describe_theme_orders_every_quote_by_how_typical_it_is() -> None:
    texts = [
        "Our cat sleeps on the warm windowsill all afternoon.",
        *ENGLISH["fees"],
    ]
    found = describe_theme(texts, others=ENGLISH["appeal"], language="en")
    assert sorted(found.order) == list(range(5)) and found.order[-1] == 0
    assert [texts[i] for i in found.order[:3]] == found.typical
