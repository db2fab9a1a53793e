from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench.suggest as suggest
from workbench.ingest import detect_language
from workbench.suggest import tokenize
from workbench.suggest._text import TextFeatures


def test_all_names_exist() -> None:
    for name in suggest.__all__:
        assert hasattr(suggest, name)


def test_detect_language_swedish_and_english() -> None:
    assert detect_language("Jag ringde och fick vänta i kö") == "sv"
    assert detect_language("I called and had to wait in the queue") == "en"
    assert detect_language("Väntetiden") == "sv"


def test_tokenize_keeps_letters_and_inner_hyphens() -> None:
    assert tokenize("E-post, väntetid: 40 min!") == ["e-post", "väntetid", "40", "min"]


def test_text_features_state_round_trip() -> None:
    docs = ["Kön var lång", "The staff were rude", "Informationen var otydlig"]
    feats = TextFeatures().fit(docs)
    meta, arrays = feats.state()
    again = TextFeatures.from_state(meta, arrays)
    assert (feats.transform(docs) != again.transform(docs)).nnz == 0
    assert again.feature_names() == feats.feature_names()


def test_text_features_match_sklearn_transform() -> None:
    docs = ["Kön var lång, kön!", "The staff were rude", "", "Informationen var otydlig"]
    feats = TextFeatures(char_weight=0.5).fit(docs[:2] + docs[3:])
    expected = np.hstack(
        [feats.word.transform(docs).toarray(), 0.5 * feats.char.transform(docs).toarray()]
    )
    np.testing.assert_allclose(feats.transform(docs).toarray(), expected)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from(list("abcåäöAB É-.,!\t\n ")), max_size=40),
        min_size=1,
        max_size=6,
    )
)
def test_text_features_match_sklearn_on_any_text(docs: list[str]) -> None:
    """Character n-grams counted word by word (and remembered per word) give exactly the
    vectoriser's values, for short words, repeated words and any whitespace."""
    feats = TextFeatures(char_ngram_range=(2, 5))
    try:
        feats.fit(docs)
    except ValueError:  # nothing to learn from (no term at all)
        return
    expected = np.hstack(
        [feats.word.transform(docs).toarray(), feats.char.transform(docs).toarray()]
    )
    for _ in range(2):  # the second time from the per-word memory
        np.testing.assert_allclose(feats.transform(docs).toarray(), expected, atol=1e-12)
