from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from workbench.errors import SuggestError
from workbench.suggest import NOT_ENOUGH_DATA, OK, PRIOR_ONLY, CodeSuggester


def test_suggester_get_set_params_round_trip() -> None:
    s = CodeSuggester(language="sv", C=2.0)
    params = s.get_params()
    assert params["language"] == "sv"
    assert params["C"] == 2.0
    s.set_params(C=0.1, prior_strength=3.0)
    assert s.C == 0.1
    assert s.get_params()["prior_strength"] == 3.0


def test_suggester_clone_keeps_settings_drops_state(texts, codes) -> None:
    s = CodeSuggester(language="sv", C=0.7, random_state=1).fit(texts, codes)
    c = clone(s)
    assert c.get_params() == s.get_params()
    assert not hasattr(c, "classes_")


def test_suggester_not_fitted_raises() -> None:
    s = CodeSuggester()
    with pytest.raises(NotFittedError):
        s.predict_proba(["hej"])
    with pytest.raises(NotFittedError):
        s.suggest("hej")
    with pytest.raises(NotFittedError):
        s.next_segments(["hej"], 1)


def test_suggester_fit_returns_self_and_shapes(texts, codes) -> None:
    s = CodeSuggester(random_state=0)
    assert s.fit(texts, codes) is s
    proba = s.predict_proba(texts)
    assert proba.shape == (len(texts), 3)
    assert set(s.classes_) == {"wait", "staff", "info"}
    assert ((proba >= 0) & (proba <= 1)).all()
    pred = s.predict(texts)
    assert pred.shape == proba.shape
    assert (pred.sum(axis=1) >= 1).all()


def test_suggester_deterministic_with_random_state(texts, codes) -> None:
    a = CodeSuggester(random_state=3).fit(texts, codes).predict_proba(texts)
    b = CodeSuggester(random_state=3).fit(texts, codes).predict_proba(texts)
    np.testing.assert_array_equal(a, b)
    seeded = CodeSuggester(random_state=3, n_jobs=-1).fit(texts, codes).predict_proba(texts)
    np.testing.assert_array_equal(a, seeded)  # a seed wins over threads: serial fit


def test_suggester_fits_codes_in_threads_without_seed(texts, codes) -> None:
    serial = CodeSuggester().fit(texts, codes)
    threads = CodeSuggester(n_jobs=-1).fit(texts, codes)
    assert threads.learned_.all() and serial.learned_.all()
    # The same optimum up to the solver's tolerance (calibration folds are shuffled unseeded).
    np.testing.assert_allclose(threads.coef_, serial.coef_, atol=0.05)


def test_suggester_accepts_matrix_with_classes(texts, codes) -> None:
    classes = ["wait", "staff", "info"]
    Y = np.array([[c in row for c in classes] for row in codes], dtype=int)
    s = CodeSuggester(random_state=0).fit(texts, Y, classes=classes)
    t = CodeSuggester(random_state=0).fit(texts, codes)
    order = [list(t.classes_).index(c) for c in s.classes_]
    np.testing.assert_allclose(s.predict_proba(texts), t.predict_proba(texts)[:, order])


def test_suggester_matrix_without_classes_is_an_error(texts) -> None:
    with pytest.raises(SuggestError, match="classes"):
        CodeSuggester().fit(texts, np.zeros((len(texts), 2)))


def test_suggester_learns_obvious_codes(texts, codes) -> None:
    s = CodeSuggester(random_state=0).fit(texts, codes)
    assert s.suggest("Jag satt i telefonkön och väntade", k=1)[0].code == "wait"
    assert s.suggest("Personalen var otrevlig igen", k=1)[0].code == "staff"


def test_suggester_status_not_enough_data(texts, codes) -> None:
    codes = [list(c) for c in codes]
    codes[0] = ["wait", "rare"]
    s = CodeSuggester(random_state=0).fit(texts, codes)
    assert s.status_["rare"] == NOT_ENOUGH_DATA
    assert s.status_["wait"] == OK
    j = list(s.classes_).index("rare")
    assert (s.predict_proba(texts)[:, j] == 0).all()
    assert (s.predict(texts)[:, j] == 0).all()
    assert all(x.code != "rare" for x in s.suggest(texts[0], k=5))


def test_suggester_cold_start_uses_codebook(codebook) -> None:
    s = CodeSuggester(codebook=codebook).fit([], [])
    assert set(s.status_.values()) == {PRIOR_ONLY}
    assert "root" not in s.status_
    top = s.suggest("Personalen var otrevlig mot mig", k=1)[0]
    assert (top.code, top.source) == ("staff", "prior")
    assert s.suggest("I had to wait in the queue for an hour", k=1)[0].code == "wait"
    assert s.suggest("Brevet var otydligt", k=1)[0].code == "info"
    assert s.codebook_hash_ is not None


def test_suggester_blends_prior_by_examples(codebook, texts, codes) -> None:
    s = CodeSuggester(codebook=codebook, prior_strength=4.0, random_state=0).fit(texts, codes)
    assert s.status_ == {"wait": OK, "staff": OK, "info": OK}
    np.testing.assert_allclose(s._weights(), [0.5, 0.5, 0.5])
    assert s.suggest(texts[0], k=1)[0].source == "blend"


def test_suggester_rejects_code_outside_codebook(codebook, texts, codes) -> None:
    codes[0] = ["nonsense"]
    with pytest.raises(SuggestError, match="nonsense"):
        CodeSuggester(codebook=codebook).fit(texts, codes)


def test_suggester_codebook_hash_changes_with_codebook(codebook) -> None:
    from dataclasses import replace

    a = CodeSuggester(codebook=codebook).fit([], [])
    changed = replace(codebook, codes=codebook.codes[:-1])
    b = CodeSuggester(codebook=changed).fit([], [])
    assert a.codebook_hash_ != b.codebook_hash_


def test_explain_returns_surface_words_from_text(texts, codes) -> None:
    s = CodeSuggester(random_state=0).fit(texts, codes)
    text = "Väntetiden i kön blev lång när jag ringde"
    terms = s.explain(text, "wait")
    words = {w.lower() for w in text.replace(",", " ").split()}
    assert terms
    assert all(t in words for t, _ in terms)
    assert terms[0][1] > 0
    reason = s.suggest(text, k=1)[0]
    assert reason.reason and all(r in words for r in reason.reason)
    assert reason.because.startswith("because: ")


def test_explain_unknown_code_is_an_error(texts, codes) -> None:
    s = CodeSuggester(random_state=0).fit(texts, codes)
    with pytest.raises(SuggestError, match="nope"):
        s.explain("text", "nope")


def test_partial_fit_changes_predictions(texts, codes) -> None:
    s = CodeSuggester(random_state=0).fit_vocabulary(texts + ["Blanketten var krånglig"])
    s.fit(texts, codes)
    new = "Blanketten var krånglig"
    before = s.predict_proba([new])[0].copy()
    s.partial_fit([new], [["info"]])
    after = s.predict_proba([new])[0]
    j = list(s.classes_).index("info")
    assert after[j] > before[j]
    assert s.n_positive_[j] == 5


def test_partial_fit_new_code_needs_two_examples(texts, codes) -> None:
    s = CodeSuggester(random_state=0).fit(texts, codes)
    s.partial_fit([texts[0]], [["new"]])
    assert s.status_["new"] == NOT_ENOUGH_DATA
    s.partial_fit([texts[1]], [["new"]])
    assert s.status_["new"] == OK


def test_partial_fit_unfitted_fits(texts, codes) -> None:
    s = CodeSuggester(random_state=0).partial_fit(texts, codes)
    assert s.predict_proba(texts).shape == (len(texts), 3)


def test_next_segments_distinct_indices(texts, codes) -> None:
    s = CodeSuggester(random_state=0).fit(texts[::2], codes[::2])
    picks = s.next_segments(texts, 5)
    assert len(picks) == 5
    assert len(set(picks)) == 5
    assert all(0 <= i < len(texts) for i in picks)
    assert sorted(s.next_segments(texts, 100)) == list(range(len(texts)))


def test_next_segments_with_vocabulary_only(texts) -> None:
    s = CodeSuggester(random_state=0).fit_vocabulary(texts)
    picks = s.next_segments(texts, 3)
    assert len(set(picks)) == 3


def test_fit_bad_input_messages(texts) -> None:
    with pytest.raises(SuggestError, match="label lists"):
        CodeSuggester().fit(texts, [["a"]])
    with pytest.raises(SuggestError, match="one string"):
        CodeSuggester().fit("just one text", [["a"]])
    with pytest.raises(SuggestError, match="no codes"):
        CodeSuggester().fit(texts, [[] for _ in texts])
    with pytest.raises(SuggestError, match="language"):
        CodeSuggester(language="de").fit(texts, [["a"] for _ in texts])


def test_suggester_calibration_subsample_keeps_ranking(texts, codes) -> None:
    full = CodeSuggester(random_state=0).fit(texts * 3, codes * 3)
    sub = CodeSuggester(random_state=0, calibration_samples=12).fit(texts * 3, codes * 3)
    np.testing.assert_array_equal(
        full.predict_proba(texts).argmax(axis=1), sub.predict_proba(texts).argmax(axis=1)
    )


def test_predict_threshold_and_codes(texts, codes) -> None:
    s = CodeSuggester(random_state=0).fit(texts, codes)
    everything = s.predict(texts, threshold=0.0)
    assert everything.all()
    assert s.predict_codes([texts[0]])[0] == ["wait"]
