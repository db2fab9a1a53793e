"""Text features: tokens, language guess, stems and the TF-IDF vectoriser.

Everything works without nltk data: tokens come from a Unicode regex, stems from nltk's
Snowball stemmers (rule-based, no data files), and the stop-word lists are sklearn's English
list plus a short Swedish list kept here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from nltk.stem import SnowballStemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from workbench.ingest import detect_language

from ._embed import Embedder, Tuning, load_embedder, load_tuned

__all__ = [
    "SWEDISH_STOP_WORDS",
    "TextFeatures",
    "detect_language",
    "stem",
    "tokenize",
]

LANGUAGE_CHOICES = ("auto", "sv", "en")
_TUNED = "embedding_tuned_"  # array names of a fine-tune's parameters in a saved state

_TOKEN = re.compile(r"\w+(?:[-']\w+)*", re.UNICODE)

SWEDISH_STOP_WORDS = frozenset(
    [
        "och",
        "i",
        "att",
        "det",
        "som",
        "en",
        "på",
        "är",
        "av",
        "för",
        "med",
        "till",
        "den",
        "har",
        "de",
        "inte",
        "om",
        "ett",
        "han",
        "men",
        "var",
        "jag",
        "sig",
        "från",
        "vi",
        "så",
        "kan",
        "man",
        "när",
        "år",
        "säger",
        "hon",
        "under",
        "också",
        "efter",
        "eller",
        "nu",
        "sin",
        "där",
        "vid",
        "mot",
        "ska",
        "skulle",
        "kommer",
        "ut",
        "får",
        "finns",
        "vara",
        "hade",
        "alla",
        "andra",
        "mycket",
        "än",
        "här",
        "då",
        "sedan",
        "över",
        "bara",
        "in",
        "blir",
        "upp",
        "även",
        "vad",
        "två",
        "dem",
        "du",
        "henne",
        "hennes",
        "hans",
        "honom",
        "min",
        "mitt",
        "mina",
        "mig",
        "dig",
        "din",
        "ditt",
        "dina",
        "oss",
        "vår",
        "vårt",
        "våra",
        "er",
        "ert",
        "era",
        "deras",
        "dess",
        "denna",
        "detta",
        "dessa",
        "vilken",
        "vilket",
        "vilka",
        "vem",
        "hur",
        "varför",
        "åt",
        "ju",
        "väl",
        "nog",
        "ja",
        "nej",
        "eh",
        "öh",
        "mm",
        "liksom",
        "typ",
        "alltså",
        "någon",
        "något",
        "några",
        "inget",
        "ingen",
        "inga",
        "sina",
        "sitt",
        "sedan",
        "både",
        "blev",
        "varit",
        "vart",
        "vilkas",
        "samma",
        "sådan",
        "sådant",
        "sådana",
    ]
)


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens (letters, digits, inner hyphens and apostrophes).

    >>> tokenize("Kön var lång, väntetiden 40 min!")
    ['kön', 'var', 'lång', 'väntetiden', '40', 'min']
    """
    return _TOKEN.findall(text.lower())


def surface_tokens(text: str) -> list[str]:
    """Word tokens as written in ``text`` (case kept), in the order of :func:`tokenize`."""
    return _TOKEN.findall(text)


@lru_cache(maxsize=2)
def _stemmer(lang: str) -> SnowballStemmer:
    return SnowballStemmer("swedish" if lang == "sv" else "english")


@lru_cache(maxsize=200_000)
def stem(token: str, lang: str) -> str:
    """The Snowball stem of a lower-cased ``token`` in ``lang`` (``"sv"`` or ``"en"``)."""
    return str(_stemmer(lang).stem(token))


def stop_words(lang: str) -> frozenset[str]:
    """Stop words for ``lang``."""
    return SWEDISH_STOP_WORDS if lang == "sv" else frozenset(ENGLISH_STOP_WORDS)


def resolve_language(text: str, language: str) -> str:
    """``language`` unless it is ``"auto"``, in which case the guess for ``text``."""
    return detect_language(text) if language == "auto" else language


def stem_pairs(text: str, language: str, drop_stop_words: bool) -> list[tuple[str, str]]:
    """``(surface, stem)`` for each kept token of ``text``."""
    lang = resolve_language(text, language)
    stops = stop_words(lang) if drop_stop_words else frozenset()
    return [
        (tok, stem(tok.lower(), lang)) for tok in surface_tokens(text) if tok.lower() not in stops
    ]


def word_ngrams(stems: Sequence[str], ngram_max: int) -> list[str]:
    """Stem n-grams from 1 to ``ngram_max``, joined with spaces."""
    grams = list(stems)
    for n in range(2, ngram_max + 1):
        grams.extend(" ".join(stems[i : i + n]) for i in range(len(stems) - n + 1))
    return grams


def _word_analyzer(
    language: str, ngram_max: int, drop_stop_words: bool
) -> Callable[[str], list[str]]:
    def analyze(text: str) -> list[str]:
        stems = [s for _, s in stem_pairs(text, language, drop_stop_words)]
        return word_ngrams(stems, ngram_max)

    return analyze


class TextFeatures:
    """Word-stem n-gram and character n-gram TF-IDF, side by side (rows L2-normalised per block).

    Parameters
    ----------
    language : {"auto", "sv", "en"}
        Stemming language; ``"auto"`` guesses it per text.
    word_ngram_max : int
        Longest stem n-gram.
    char_ngram_range : (int, int)
        Character n-gram lengths inside word boundaries (``char_wb``); ``(0, 0)`` turns them off.
    drop_stop_words : bool
        Leave stop words out of the word n-grams.
    min_df : int
        Ignore terms in fewer documents.
    char_weight : float
        Scale of the character block relative to the word block.
    embeddings : str, optional
        A local sentence-transformers model (name or folder) whose unit vectors are appended
        as a third, dense block (see :mod:`workbench.suggest._embed`); None for none.
    embedding_weight : float
        Scale of the embedding block.

    Attributes
    ----------
    tuning : Tuning or None
        A fine-tune of the embedding model (set by :class:`CodeSuggester` when it fine-tunes);
        the block then comes from the tuned model.
    """

    def __init__(
        self,
        language: str = "auto",
        word_ngram_max: int = 2,
        char_ngram_range: tuple[int, int] = (2, 5),
        drop_stop_words: bool = False,
        min_df: int = 1,
        char_weight: float = 1.0,
        embeddings: str | None = None,
        embedding_weight: float = 1.0,
    ) -> None:
        self.language = language
        self.embeddings = embeddings
        self.embedding_weight = embedding_weight
        self.word_ngram_max = word_ngram_max
        self.char_ngram_range = char_ngram_range
        self.drop_stop_words = drop_stop_words
        self.min_df = min_df
        self.char_weight = char_weight
        self.tuning: Tuning | None = None
        self._char_cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.word = TfidfVectorizer(
            analyzer=_word_analyzer(language, word_ngram_max, drop_stop_words),
            sublinear_tf=True,
            min_df=min_df,
            dtype=np.float64,
        )
        lo, hi = char_ngram_range
        self.char: TfidfVectorizer | None = None
        if hi > 0:
            self.char = TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=(lo, hi),
                lowercase=True,
                sublinear_tf=True,
                min_df=min_df,
                dtype=np.float64,
            )

    # -- fitting -------------------------------------------------------------------------------
    def fit(self, texts: Iterable[str]) -> TextFeatures:
        """Learn vocabularies and idf weights from ``texts``."""
        docs = list(texts)
        self._char_cache.clear()
        self.word.fit(docs)
        if self.char is not None:
            self.char.fit(docs)
        return self

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The feature rows for ``texts`` (CSR, float64).

        Same values as the two ``TfidfVectorizer.transform`` calls side by side, computed
        directly: a suggestion for one segment must not wait for input validation.
        """
        analyze, vocab = self.word.build_analyzer(), self.word.vocabulary_
        char_offset = self.n_word_features
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        for text in texts:
            cols, tf = _term_counts(analyze(text), vocab)
            blocks = [(cols, tf, self.word.idf_, 1.0, 0)]
            if self.char is not None:
                cols, tf = self._char_counts(text)
                blocks.append((cols, tf, self.char.idf_, self.char_weight, char_offset))
            for cols, tf, idf, scale, offset in blocks:
                if not len(cols):
                    continue
                vals = (1.0 + np.log(tf)) * idf[cols]
                vals *= scale / np.sqrt(vals @ vals)
                indices.extend((cols + offset).tolist())
                data.extend(vals.tolist())
            indptr.append(len(indices))
        mat = sp.csr_matrix(
            (np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), indptr),
            shape=(len(texts), self.n_sparse_features),
        )
        if self.embeddings is not None:
            dense = self.embedder().encode(texts) * self.embedding_weight
            mat = sp.hstack([mat, sp.csr_matrix(dense)], format="csr")
        mat.sort_indices()
        return mat

    def _char_counts(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Character-block columns of ``text`` and how often each occurs: ``char_wb`` n-grams
        never cross a space, so these are the sums over its words."""
        parts = [self._char_grams(word) for word in text.lower().split()]
        if not parts:
            return np.empty(0, dtype=np.int64), np.empty(0)
        if len(parts) == 1:
            return parts[0]
        cols, where = np.unique(np.concatenate([c for c, _ in parts]), return_inverse=True)
        return cols, np.bincount(where, weights=np.concatenate([n for _, n in parts]))

    def _char_grams(self, word: str) -> tuple[np.ndarray, np.ndarray]:
        """Sorted character-vocabulary columns of one lower-cased ``word`` and their counts;
        remembered, as words recur from segment to segment."""
        found = self._char_cache.get(word)
        if found is None:
            assert self.char is not None
            found = _term_counts(self.char.build_analyzer()(word), self.char.vocabulary_)
            if len(self._char_cache) >= 100_000:  # bound the memory of a long session
                self._char_cache.clear()
            self._char_cache[word] = found
        return found

    def char_columns(self, word: str) -> np.ndarray:
        """Sorted columns (numbered as in :meth:`transform`) of the character n-grams of one
        lower-cased ``word``."""
        return self._char_grams(word)[0] + self.n_word_features

    @property
    def n_word_features(self) -> int:
        """Number of word-block columns."""
        return len(self.word.vocabulary_)

    @property
    def n_sparse_features(self) -> int:
        """Word and character n-gram columns (the ones that come from words of the text)."""
        char = len(self.char.vocabulary_) if self.char is not None else 0
        return self.n_word_features + char

    def embedder(self) -> Embedder:
        """The model behind the embedding block: the fine-tuned one when there is a tuning."""
        if self.embeddings is None:
            raise ValueError("these features have no embedding block")
        if self.tuning is not None:
            return load_tuned(self.tuning)
        return load_embedder(self.embeddings)

    @property
    def n_features(self) -> int:
        """Number of columns in all."""
        dense = self.embedder().dim if self.embeddings is not None else 0
        return self.n_sparse_features + dense

    def feature_names(self) -> list[str]:
        """Column names: stem n-grams, then ``"char:<ngram>"``, then ``"embedding:<i>"``."""
        names = [""] * self.n_features
        for term, j in self.word.vocabulary_.items():
            names[j] = term
        if self.char is not None:
            offset = self.n_word_features
            for term, j in self.char.vocabulary_.items():
                names[offset + j] = "char:" + term
        for j in range(self.n_sparse_features, self.n_features):
            names[j] = f"embedding:{j - self.n_sparse_features}"
        return names

    # -- persistence as plain data -------------------------------------------------------------
    def state(self) -> tuple[dict[str, object], dict[str, np.ndarray]]:
        """JSON-able settings and vocabularies, and the idf arrays."""
        meta: dict[str, object] = {
            "language": self.language,
            "word_ngram_max": self.word_ngram_max,
            "char_ngram_range": list(self.char_ngram_range),
            "drop_stop_words": self.drop_stop_words,
            "min_df": self.min_df,
            "char_weight": self.char_weight,
            "embeddings": self.embeddings,
            "embedding_weight": self.embedding_weight,
            "word_vocabulary": {k: int(v) for k, v in self.word.vocabulary_.items()},
        }
        arrays = {"word_idf": np.asarray(self.word.idf_, dtype=np.float64)}
        if self.char is not None:
            meta["char_vocabulary"] = {k: int(v) for k, v in self.char.vocabulary_.items()}
            arrays["char_idf"] = np.asarray(self.char.idf_, dtype=np.float64)
        if self.tuning is not None:
            names = sorted(self.tuning.params)
            meta["tuning"] = {
                "base": self.tuning.base,
                "base_digest": self.tuning.base_digest,
                "params": names,
            }
            for i, name in enumerate(names):
                arrays[f"{_TUNED}{i}"] = np.asarray(self.tuning.params[name], dtype=np.float64)
        return meta, arrays

    @classmethod
    def from_state(cls, meta: dict[str, object], arrays: dict[str, np.ndarray]) -> TextFeatures:
        """Rebuild from :meth:`state` output."""
        char_range: list[int] = list(meta["char_ngram_range"])  # type: ignore[call-overload]
        lo, hi = char_range
        feats = cls(
            language=str(meta["language"]),
            word_ngram_max=int(meta["word_ngram_max"]),  # type: ignore[call-overload]
            char_ngram_range=(int(lo), int(hi)),
            drop_stop_words=bool(meta["drop_stop_words"]),
            min_df=int(meta["min_df"]),  # type: ignore[call-overload]
            char_weight=float(meta["char_weight"]),  # type: ignore[arg-type]
            embeddings=meta.get("embeddings"),  # type: ignore[arg-type]
            embedding_weight=float(meta.get("embedding_weight", 1.0)),  # type: ignore[arg-type]
        )
        _restore(feats.word, meta["word_vocabulary"], arrays["word_idf"])  # type: ignore[arg-type]
        if feats.char is not None:
            _restore(feats.char, meta["char_vocabulary"], arrays["char_idf"])  # type: ignore[arg-type]
        tuning = meta.get("tuning")
        if isinstance(tuning, dict):
            names = [str(n) for n in tuning["params"]]
            feats.tuning = Tuning(
                base=str(tuning["base"]),
                base_digest=str(tuning["base_digest"]),
                params={n: np.asarray(arrays[f"{_TUNED}{i}"]) for i, n in enumerate(names)},
            )
        return feats


def _term_counts(terms: Iterable[str], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted vocabulary columns of ``terms`` and how often each occurs (unknown terms left out)."""
    counts: dict[int, int] = {}
    for term in terms:
        col = vocab.get(term)
        if col is not None:
            counts[col] = counts.get(col, 0) + 1
    cols = sorted(counts)
    return np.array(cols, dtype=np.int64), np.array([counts[c] for c in cols], dtype=np.float64)


def _restore(vec: TfidfVectorizer, vocabulary: dict[str, int], idf: np.ndarray) -> None:
    vec.vocabulary_ = {str(k): int(v) for k, v in vocabulary.items()}
    vec.idf_ = np.asarray(idf, dtype=np.float64)
