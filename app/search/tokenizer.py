"""Chinese keyword segmentation shared by indexed documents and search queries.

PostgreSQL cannot segment Chinese on its own (the core server has no zhparser), so the application
does it with jieba and hands PostgreSQL whitespace-separated terms for ``to_tsvector('simple', …)``.

- Documents are cut in *search mode*: each word, plus every dictionary word inside it
  (快递员 → 快递员, 快递). A query for 快递 then finds 快递员 postings too.
- Queries are cut in *precise mode*: 快递员 stays one term, so it does not match a posting that only
  mentions 快递 (快递分拣). Every query term of a text is among the document terms of that text.
- A user dictionary built from the taxonomy (occupations, aliases, skills, certificates, areas,
  benefits) keeps 快递员, 月嫂, 网约车 and 诃额伦街道 whole.
- Both sides apply the same normalisation: NFKC (full-width → half-width), lower case, anything
  that is not a letter or digit becomes a space, stop words are dropped. A term therefore only ever
  holds letters and digits, which is what makes ``to_tsquery_text`` safe. Runs of other letters
  and digits (``iphone15``, ``c1``, ``5g``) are terms as they stand; only Chinese runs are cut.
- HMM new-word discovery is off: it guesses differently depending on the surrounding text, which
  would let a query term differ from the same word inside a document.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from typing import Any

from app.taxonomy import dictionary_words

# Longer runs (a pasted URL, a serial number) are noise and PostgreSQL rejects lexemes over 2 KB.
MAX_TERM_LENGTH = 32
# A query is a few keywords; more terms only slow the GIN lookup.
MAX_QUERY_TERMS = 16
# Sub-words are looked up inside words up to this length (search mode).
_MAX_EXPANDED_WORD = 12

# Function words, and the words every job ad and query carries (招聘, 岗位, 工作).
STOP_WORDS = frozenset(
    (  # noqa: SIM905 (a word list reads best as one string)
        "的 地 得 了 着 过 和 与 及 或 而 并 且 也 都 就 还 又 在 是 有 为 于 以 从 对 向 把 "
        "被 让 给 将 之 其 此 这 那 这个 那个 这些 那些 一个 一些 我 你 他 她 它 我们 你们 "
        "他们 您 吗 呢 吧 啊 呀 哦 嗯 很 更 最 等 等等 如 若 则 所 个 名 位 人 可 能 会 要 "
        "请 找 想 求 招 聘 招聘 诚聘 急聘 急招 招人 岗位 职位 工作 相关 若干 若干名"
    ).split()
)

_NON_WORD = re.compile(r"[\W_]+")
# Runs of Chinese characters go to jieba; any other run of letters/digits (ASCII words, numbers,
# Mongolian or Latin script) is one term as it stands (jieba would split non-ASCII ones per letter).
_RUNS = re.compile(r"([\u4e00-\u9fff]+)|[^\s\u4e00-\u9fff]+")
_CHINESE = re.compile(r"[\u4e00-\u9fff]+")

_lock = threading.Lock()
_tokenizer: Any = None  # jieba.Tokenizer, built once by _get_tokenizer()


def _normalise(text: str) -> str:
    """NFKC, lower case, and every run of non-letters/digits replaced by one space."""
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).lower())


def _build_tokenizer() -> Any:
    with warnings.catch_warnings():
        # jieba 0.42 has invalid escape sequences in its regexes: Python warns while compiling it.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", SyntaxWarning)
        import jieba
    logging.getLogger("jieba").setLevel(logging.WARNING)  # it logs its cache use at DEBUG
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in dictionary_words():
        # Only Chinese runs reach jieba, so only their words matter (UI设计师 adds 设计师).
        for part in _CHINESE.findall(_normalise(word)):
            if len(part) > 1:
                tokenizer.add_word(part)
    return tokenizer


def _get_tokenizer() -> Any:
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                # Publish only a fully built instance: readers never see a half-loaded dictionary.
                _tokenizer = _build_tokenizer()
    return _tokenizer


def warm_up() -> None:
    """Load the dictionary now (about a second) instead of during the first search."""
    _get_tokenizer()


def _is_term(token: str) -> bool:
    return 0 < len(token) <= MAX_TERM_LENGTH and token not in STOP_WORDS


def _precise_tokens(text: str) -> Iterator[str]:
    tokenizer = None
    for run in _RUNS.finditer(_normalise(text)):
        if run.group(1) is None:
            words: Iterable[str] = (run.group(),)
        else:
            tokenizer = tokenizer or _get_tokenizer()
            words = tokenizer.cut(run.group(), HMM=False)
        yield from (word for word in words if _is_term(word))


def _sub_words(word: str, frequencies: dict[str, int]) -> Iterator[str]:
    """Dictionary words of two or more characters inside a longer Chinese word."""
    n = len(word)
    if n < 3 or n > _MAX_EXPANDED_WORD or not _CHINESE.fullmatch(word):
        return
    for start in range(n - 1):
        for end in range(start + 2, n + 1):
            if end - start < n and frequencies.get(word[start:end]):
                yield word[start:end]


def document_terms(text: str) -> list[str]:
    """Terms to index for ``text``: each word followed by the dictionary words inside it.

    Repeated words are kept (ranking counts them); stop words and punctuation are dropped.
    """
    frequencies = _get_tokenizer().FREQ
    terms: list[str] = []
    for token in _precise_tokens(text):
        terms.append(token)
        terms.extend(sub for sub in _sub_words(token, frequencies) if _is_term(sub))
    return terms


def query_terms(text: str) -> list[str]:
    """Terms a search for ``text`` must all match: precise-mode words, deduplicated, in order."""
    unique = dict.fromkeys(_precise_tokens(text))
    return list(unique)[:MAX_QUERY_TERMS]


def _safe_terms(terms: Iterable[str]) -> Iterator[str]:
    # Terms from this module are already clean; normalising again makes the output safe for any
    # input, so a caller mistake can at worst change what matches, never break the SQL.
    for term in terms:
        for part in _normalise(term).split():
            if len(part) <= MAX_TERM_LENGTH:
                yield part


def to_tsvector_text(terms: Iterable[str]) -> str:
    """Bind value for ``to_tsvector('simple', :doc)``: terms separated by spaces."""
    return " ".join(_safe_terms(terms))


def to_tsquery_text(terms: Iterable[str]) -> str:
    """Bind value for ``to_tsquery('simple', :q)``: every term quoted, all joined by ``&``.

    Returns ``""`` when nothing searchable is left; callers must then skip the keyword condition
    (PostgreSQL reads an empty query as matching nothing).
    """
    unique = dict.fromkeys(_safe_terms(terms))
    return " & ".join(f"'{term}'" for term in unique)
