"""Thai text into search tokens, the same way for what is indexed and for what people type.

Thai is written without spaces between words, so neither SQLite's FTS5 ``unicode61`` tokenizer
nor PostgreSQL's parser can find word boundaries in it: both would treat a whole phrase such as
"แผนปฏิบัติการประจำปี" as one word. We cut the text into words ourselves with PyThaiNLP's
dictionary-based ``newmm`` engine (fast, and deterministic for a given dictionary) and give the
database the words joined by spaces.

Two problems remain after segmentation, and this module deals with both:

* The same text arrives in different spellings: Thai or Arabic digits, sara am typed as one
  character (ำ) or as nikhahit + sara aa (ํา), tone marks and vowels in either order, zero-width
  spaces pasted from Word, full-width Latin from phones. :func:`normalize` folds them to one form.

* The dictionary holds compounds ("ข่าวประชาสัมพันธ์", "ปฏิบัติการ"), so a document may hold one
  token where the query has two, or the reverse: "ประชาสัมพันธ์" must find
  "ข่าวประชาสัมพันธ์กิจกรรม". Each compound is therefore also indexed as its parts
  (:func:`expand`), and each query word asks for "the word itself, or all of its parts"
  (:class:`Term`). A part is only split off where both halves are dictionary words of three or
  more characters, which keeps real words ("ฉะเชิงเทรา", "บุคลากร") whole instead of cutting them
  into meaningless syllables.

Nothing here imports Django: the indexing command runs it in worker processes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Bump when the rules below change so that `manage.py index_items` re-indexes every item.
VERSION = 2

MAX_QUERY_LENGTH = 200  # characters of a query; more is cut off before segmenting
MAX_TERMS = 16  # query words; a pasted paragraph is not a search
MIN_PART = 3  # shortest compound part worth indexing on its own (in characters)
MIN_PREFIX = 2  # a shorter last word is matched whole, never as a prefix

# Function words that head countless compounds (การประชุม, ความโปร่งใส, ผู้บริหาร). Almost every
# document holds them, so requiring them as a query word's part filters nothing, while ranking
# would still read their posting lists, the longest in the index. Only parts are dropped: typed
# alone, such a word is searched for.
FUNCTION_WORDS = frozenset(
    {"การ", "ความ", "ผู้", "ที่", "ของ", "และ", "ใน", "ให้", "ได้", "เป็น", "มี", "ตาม", "เพื่อ"}
    | {"จาก", "กับ", "แก่", "โดย", "ซึ่ง", "อัน", "แห่ง", "ต่อ", "ทาง", "ไป", "มา"}
)

_THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TONE_MARKS = "\u0e48\u0e49\u0e4a\u0e4b"
_NIKHAHIT, _SARA_AA, _SARA_AM = "\u0e4d", "\u0e32", "\u0e33"
_MAIYAMOK = "ๆ"  # repetition mark: "ต่างๆ" and "ต่าง ๆ" are the same words
_PAIYANNOI = "ฯ"  # abbreviation mark: "กรุงเทพฯ" is found by "กรุงเทพ"

# nikhahit (+ tone marks) + sara aa is sara am typed in two keystrokes.
_RE_SARA_AM = re.compile(f"{_NIKHAHIT}([{_TONE_MARKS}]*){_SARA_AA}")
# Digit grouping: "100,000" is one number, not two.
_RE_DIGIT_GROUP = re.compile(r"(?<=\d),(?=\d{3})")
_RE_SPACES = re.compile(r"\s+")
_ABOVE, _BELOW, _FOLLOW = (
    "\u0e31\u0e34-\u0e37\u0e47\u0e4d",
    "\u0e38\u0e39",
    "\u0e30\u0e32\u0e33\u0e45",
)
_NO_REPEAT = f"{_ABOVE}{_BELOW}{_FOLLOW}\u0e40-\u0e44\u0e3a\u0e4c\u0e4e"
# Something PyThaiNLP's reordering would change: a doubled sara e, a stray nikhahit or
# lakkhangyao, a tone mark or thanthakhat before a vowel, a following vowel before a tone mark,
# doubled tone marks, a vowel or sign typed twice.
_RE_THAI_FIXABLE = re.compile(
    "\u0e40\u0e40|\u0e4d|\u0e45"
    f"|[{_TONE_MARKS}\u0e4c][{_ABOVE}{_BELOW}]"
    f"|[{_FOLLOW}][{_TONE_MARKS}]"
    f"|[{_TONE_MARKS}]{{2}}"
    f"|([{_NO_REPEAT}]) *\\1"
)
_RE_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _build_table() -> dict[int, str | None]:
    """A ``str.translate`` table over the Basic Multilingual Plane.

    Punctuation, symbols, separators and control characters become spaces (they separate words,
    and FTS5 query syntax such as ``" * ^ -`` or ``NEAR`` cannot survive as an operator); format
    characters (zero-width space and joiners, soft hyphen, BOM) vanish, since they sit inside or
    between words without separating them; private-use characters vanish too.
    """
    table: dict[int, str | None] = {}
    for code in range(0x10000):
        category = unicodedata.category(chr(code))
        if category[0] in "PSZ" or category == "Cc":
            table[code] = " "
        elif category in ("Cf", "Co", "Cs", "Cn"):
            table[code] = None
    for thai, arabic in zip(_THAI_DIGITS, "0123456789", strict=True):
        table[ord(thai)] = arabic
    table[ord(_MAIYAMOK)] = table[ord(_PAIYANNOI)] = " "
    return table


_TABLE = _build_table()


def normalize(text: str) -> str:
    """One spelling for equivalent text: the form both the index and the query are built from.

    NFKC folds full-width and compatibility forms (it also splits ำ into ํา, which the sara am
    rule joins again), Thai digits become Arabic, Latin is case-folded, punctuation becomes
    spaces. PyThaiNLP's rules (tone marks after vowels, doubled marks dropped) cost more than
    all the rest together, so they only run on text that has something for them to fix.
    """
    from pythainlp.util import remove_dangling, remove_repeat_vowels

    text = unicodedata.normalize("NFKC", text or "")
    text = _RE_DIGIT_GROUP.sub("", text)
    text = text.translate(_TABLE).casefold()
    text = _RE_ASTRAL.sub(_astral, text)
    text = _RE_SARA_AM.sub(_sara_am, text)
    if _RE_THAI_FIXABLE.search(text):
        text = _RE_SARA_AM.sub(_sara_am, remove_repeat_vowels(text))
    return _RE_SPACES.sub(" ", remove_dangling(text.strip())).strip()


def _sara_am(match: re.Match) -> str:
    return match.group(1) + _SARA_AM


def _astral(match: re.Match) -> str:
    """Characters outside the table (emoji, rare scripts): keep letters and digits only."""
    char = match.group()
    return char if unicodedata.category(char)[0] in "LMN" else " "


@lru_cache(maxsize=1)
def _dictionary():
    from pythainlp.tokenize import word_dict_trie

    return word_dict_trie()


def words(text: str) -> list[str]:
    """The words of ``text`` as newmm cuts them, normalized, without whitespace.

    This is ``word_tokenize(text, engine="newmm")`` with two differences that only make it
    faster. The engine is called directly, without the post-processing that matters for display
    (spaces kept as tokens, broken numbers re-joined), which after :func:`normalize` has nothing
    to do. And each space-separated chunk is cut on its own and remembered: office text repeats
    the same phrases endlessly ("สำนักงานเขตพื้นที่การศึกษา", "ประจำปีงบประมาณ"), and a space is
    a word boundary for newmm anyway, except for a few hundred dictionary entries that contain
    one (proverbs, royal titles), whose words are then found one by one.
    """
    return [word for chunk in normalize(text).split(" ") if chunk for word in _cut(chunk)]


@lru_cache(maxsize=100_000)
def _cut(chunk: str) -> tuple[str, ...]:
    from pythainlp.tokenize import newmm

    return tuple(token for token in newmm.segment(chunk, _dictionary()) if not token.isspace())


@lru_cache(maxsize=100_000)
def _index_chunk(chunk: str) -> str:
    return " ".join(token for word in _cut(chunk) for token in expand(word))


def _is_thai(word: str) -> bool:
    return any("\u0e01" <= ch <= "\u0e5b" for ch in word)


@lru_cache(maxsize=200_000)
def split(word: str) -> tuple[str, str] | None:
    """The two dictionary words a compound is made of, or None.

    Both halves must be in the dictionary and at least :data:`MIN_PART` characters long; among
    several such cuts the most even one wins ("ความ|โปร่งใส", not "ความโปร่ง|ใส").
    """
    if len(word) < 2 * MIN_PART or not _is_thai(word):
        return None
    dictionary = _dictionary()
    best: tuple[int, tuple[str, str]] | None = None
    for head in dictionary.prefixes(word):
        tail = word[len(head) :]
        if len(head) < MIN_PART or len(tail) < MIN_PART or tail not in dictionary:
            continue
        evenness = min(len(head), len(tail))
        if best is None or evenness > best[0]:
            best = (evenness, (head, tail))
    return best[1] if best else None


@lru_cache(maxsize=200_000)
def expand(word: str) -> tuple[str, ...]:
    """The word followed by every compound part inside it, outermost first.

    "ข่าวประชาสัมพันธ์" → ข่าวประชาสัมพันธ์ ข่าว ประชาสัมพันธ์ ประชา สัมพันธ์
    """
    parts = split(word)
    if parts is None:
        return (word,)
    return (word, *expand(parts[0]), *expand(parts[1]))


@lru_cache(maxsize=200_000)
def leaves(word: str) -> tuple[str, ...]:
    """The smallest parts of a word: what a document must contain if it contains the word."""
    parts = split(word)
    if parts is None:
        return (word,)
    return leaves(parts[0]) + leaves(parts[1])


def index_text(text: str) -> str:
    """What is stored in the index for ``text``: its words and their parts, space-separated."""
    return " ".join(_index_chunk(chunk) for chunk in normalize(text).split(" ") if chunk)


def index_rows(rows: list[tuple]) -> list[tuple]:
    """``(id, title, summary, captions, *rest)`` rows with the three texts replaced by
    :func:`index_text`; anything after them is passed through as it is.

    Module-level and Django-free so that worker processes of the indexing command can run it.
    """
    return [
        (item_id, index_text(title), index_text(summary), index_text(captions), *rest)
        for item_id, title, summary, captions, *rest in rows
    ]


@dataclass(frozen=True)
class Term:
    """One word of a query: a document matches if it holds the word, or all of its parts.

    Indexed compounds carry their parts (see :func:`expand`), so "all the parts" is what decides
    whether a document matches; asking for the word as well only lets documents that hold it
    whole rank higher. ``prefix`` marks the last word of a query still being typed.
    """

    word: str
    parts: tuple[str, ...]
    prefix: bool = False

    @property
    def alternatives(self) -> list[tuple[tuple[str, ...], bool]]:
        """``(tokens, prefix)`` pairs, any of which matches: the word (a prefix if unfinished),
        then its parts if it has any, all of which must be present. Parts are never prefixes:
        a short common part such as การ would make the prefix very costly."""
        if self.parts and self.parts != (self.word,):
            return [((self.word,), self.prefix), (self.parts, False)]
        return [((self.word,), self.prefix)]


def _query_parts(word: str) -> tuple[str, ...]:
    """The parts a document must hold instead of ``word``: its leaves, once each, without
    function words (unless nothing else is left)."""
    parts = tuple(dict.fromkeys(leaves(word)))
    return tuple(p for p in parts if p not in FUNCTION_WORDS) or parts


def _unfinished(word: str) -> bool:
    """Whether ``word``, last in a query, looks like a word still being typed.

    newmm cuts a word still being typed into what it knows plus a leftover: "ประชาสัม" →
    ประชา + สัม, "กิจกร" → กิจ + กร. The leftover is not a dictionary word, or is one of two
    letters. A finished dictionary word is matched whole (``การ*`` would merge the postings of
    every word starting with การ to find what ``การ`` finds already), and so is a number of four
    digits or more (a year), while "256" may still become 2569.
    """
    if len(word) < MIN_PREFIX:
        return False
    if word.isdigit():
        return len(word) < 4
    return word not in _dictionary() or len(word) <= MIN_PREFIX


def _starts_a_word(text: str) -> bool:
    """Whether some dictionary word begins with ``text`` (a walk down the dictionary's trie)."""
    node = _dictionary().root
    for char in text:
        node = (node.children or {}).get(char)  # a leaf has no children dict
        if node is None:
            return False
    return True


def query_terms(query: str) -> list[Term]:
    """The terms of a query as typed in the search box, at most :data:`MAX_TERMS`.

    An unfinished last word (see :func:`_unfinished`) is joined to the word before it in the
    same run of unspaced text when the two begin a dictionary word, and matched as a prefix:
    "ประชาสัม" asks for words starting with ประชาสัม, which finds ประชาสัมพันธ์ among few others,
    rather than for ประชา and any word starting with สัม, which would have the index merge the
    postings of every such word. When they begin no dictionary word, the text was indexed as
    separate words ("การเสนอราคา" as การ เสนอ ราคา), so "การเสนอรา" asks for เสนอ and a word
    starting with รา. A query ending with a space is finished.
    """
    query = (query or "")[:MAX_QUERY_LENGTH]
    found = words(query)
    if not found:
        return []
    tail = None
    if not query[-1:].isspace() and _unfinished(found[-1]):
        chunk = words(normalize(query).rsplit(" ", 1)[-1])
        joined = "".join(chunk[-2:])
        if len(chunk) >= 2 and not _starts_a_word(joined):
            tail = chunk[-1]
            found = found[:-1]
        else:
            tail = joined
            found = found[: -min(len(chunk), 2)]
    seen: set[str] = set()
    unique = [w for w in found if not (w in seen or seen.add(w))]
    terms = [Term(word, _query_parts(word)) for word in unique]
    if tail is not None:
        terms = [t for t in terms if t.word != tail] + [Term(tail, (tail,), prefix=True)]
    return terms[-MAX_TERMS:] if tail is not None else terms[:MAX_TERMS]


def highlight_words(terms: list[Term]) -> list[str]:
    """Strings worth marking in a result: the query words and their longer parts."""
    marks = {t.word for t in terms if len(t.word) >= MIN_PREFIX}
    marks.update(p for t in terms for p in t.parts if len(p) > MIN_PART)
    return sorted(marks, key=len, reverse=True)
