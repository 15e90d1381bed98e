"""English word facts the stages look up: a word's frequency (wordfreq) and its lemma (simplemma).

The answers are the libraries' own; only loading them is made cheap, through the user cache
(audit.cache). wordfreq's table (321,000 words) is copied once into an SQLite file, and a run reads only
the words it meets instead of importing wordfreq and building the whole table (about half a second).
simplemma's English dictionary is kept decoded (a marshal file, like a .pyc) and handed to simplemma's
own lemmatizer, instead of being decoded from its compressed file by each process; and the lemmas it
gave are kept too (one table, written when the process ends), so a run that meets only words met before
loads neither simplemma nor its dictionary (a tenth of a second of a small run). Without a usable
cache (off, unreadable, unwritable, corrupt) the libraries are used as they come.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from audit.cache import KeptTable, entry_path, kept_table, library_version

_MISSING = object()
#: Words a process keeps the frequency and the lemma of at most (a news vocabulary's common part: a folder of
#: 100,000 pages meets half a million spellings, names mostly); past this the table or simplemma answers.
KEPT_WORDS = 100_000
#: Words one query of `Frequencies.prefetch` asks for at most (old SQLite builds take 999 parameters).
PREFETCH_WORDS = 500


class Frequencies:
    """wordfreq's English frequencies as a read-only mapping (`get`), each word read once from the cache."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._seen: dict[str, Any] = {}
        self._fallback: dict[str, float] | None = None
        self._db.execute("SELECT freq FROM words WHERE word = ?", ("the",)).fetchone()  # fails when corrupt

    def get(self, word: str, default: Any = None) -> Any:
        """The frequency of `word` (a fraction of all words), or `default` when wordfreq does not list it."""
        found = self._seen.get(word, _MISSING)
        if found is _MISSING:
            found = self._read(word)
            if len(self._seen) < KEPT_WORDS:  # a folder of names meets words without end
                self._seen[word] = found
        return default if found is None else found

    def prefetch(self, words: Iterable[str]) -> None:
        """Read at once (one query a few hundred words) the words not met yet, as `get` would one by one: the
        words of a page are asked for in a burst, and a query costs more than the row it finds."""
        if self._fallback is not None:
            return
        new = sorted({word for word in words if word not in self._seen})[: max(0, KEPT_WORDS - len(self._seen))]
        for start in range(0, len(new), PREFETCH_WORDS):
            chunk = new[start : start + PREFETCH_WORDS]
            marks = ",".join("?" * len(chunk))
            try:
                found = dict(self._db.execute(f"SELECT word, freq FROM words WHERE word IN ({marks})", chunk))
            except sqlite3.Error:  # `get` reads them one by one (and finds out what went wrong)
                return
            for word in chunk:
                self._seen[word] = found.get(word)

    def _read(self, word: str) -> float | None:
        if self._fallback is not None:
            return self._fallback.get(word)
        try:
            row = self._db.execute("SELECT freq FROM words WHERE word = ?", (word,)).fetchone()
        except sqlite3.Error:  # the file went bad during the run: wordfreq itself from now on
            self._fallback = _wordfreq_table()
            return self._fallback.get(word)
        return row[0] if row else None

    def __getstate__(self):
        """Pickled as the path to the table (a connection does not pickle)."""
        return {"path": self._path}

    def __setstate__(self, state) -> None:
        self.__init__(state["path"])


def _wordfreq_table() -> dict[str, float]:
    """wordfreq's English frequency table, built by wordfreq (a slow import and half a second)."""
    from wordfreq import get_frequency_dict

    return get_frequency_dict("en")


def _build_frequencies(path: Path) -> bool:
    """Copy wordfreq's English table into an SQLite file at `path`, written whole; False when it cannot be."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.unlink(missing_ok=True)
        with sqlite3.connect(temporary) as db:
            db.execute("PRAGMA journal_mode = OFF")  # a temporary file, renamed into place only when whole
            db.execute("PRAGMA synchronous = OFF")
            db.execute("CREATE TABLE words (word TEXT PRIMARY KEY, freq REAL NOT NULL) WITHOUT ROWID")
            db.executemany("INSERT INTO words VALUES (?, ?)", sorted(_wordfreq_table().items()))
        db.close()
        os.replace(temporary, path)
    except (OSError, sqlite3.Error):
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        return False
    return True


@functools.cache
def english_frequencies() -> Frequencies | dict[str, float]:
    """wordfreq's English frequency table (`get_frequency_dict("en")`), read through the user cache."""
    path = entry_path("wordfreq", "en", library_version("wordfreq"), code=False)
    if path is None:
        return _wordfreq_table()
    for _attempt in range(2):
        try:
            return Frequencies(path.with_suffix(".sqlite"))
        except sqlite3.Error:  # missing, half-written by another run's crash, or corrupt: build it (again)
            if not _build_frequencies(path.with_suffix(".sqlite")):
                break
    return _wordfreq_table()


def _cached_dictionary(load: Callable[[], dict[bytes, bytes]]) -> dict[bytes, bytes]:
    """simplemma's decoded English dictionary, from the user cache (written there the first time)."""
    return kept_table(entry_path("simplemma", "en", library_version("simplemma"), code=False), load)


@functools.cache
def _lemmatizer():
    """simplemma's default lemmatizer (as `simplemma.lemmatize` builds it), its dictionary from the cache."""
    import simplemma
    from simplemma.strategies import DefaultStrategy

    try:
        from simplemma.strategies.dictionaries.dictionary_factory import (
            CachingDictionaryFactory,
            MappingStrToByteString,
            _load_dictionary_from_disk,
        )
    except ImportError:  # another simplemma layout: its own loading
        return None

    class _Factory(CachingDictionaryFactory):
        def _get_dictionary_uncached(self, lang: str):
            if lang != "en":
                return MappingStrToByteString(_load_dictionary_from_disk(lang))
            return MappingStrToByteString(_cached_dictionary(lambda: _load_dictionary_from_disk("en")))

    return simplemma.Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=_Factory()))


def english_lemma(word: str) -> str:
    """`simplemma.lemmatize(word, lang="en")`: the dictionary form of an English word (a word met before,
    from the kept lemmas)."""
    kept = _kept_lemmas()
    table = kept.load()
    found = table.get(word)
    if found is None:
        found = _lemmatized(word)
        if len(table) < KEPT_WORDS:
            kept.put(word, found)
    return found


@functools.cache
def _kept_lemmas() -> KeptTable:
    """The lemmas simplemma gave, word -> lemma, kept in the user cache for this code and simplemma version.

    Written by the process that met new words when it ends; a worker process (forked, ended by `os._exit`)
    keeps what it learns to itself."""
    kept = KeptTable("lemmas", "en", library_version("simplemma"), limit=KEPT_WORDS)
    atexit.register(kept.save)  # writes nothing when no word was new
    return kept


def load_lemmatizer() -> None:
    """Load simplemma and its dictionary now (before worker processes are forked: they inherit them)."""
    _lemmatized("the")


def _lemmatized(word: str) -> str:
    """simplemma's lemma of a word, asked of simplemma itself."""
    lemmatizer = _lemmatizer()
    if lemmatizer is None:
        import simplemma

        return simplemma.lemmatize(word, lang="en")
    return lemmatizer.lemmatize(word, "en")
