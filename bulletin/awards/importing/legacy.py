"""Text typed in the old Vietnamese font encodings, TCVN3 (ABC) and VNI, back to Unicode.

Before Unicode, Vietnamese was typed with 8-bit fonts: `.VnTime` (TCVN3, also called ABC)
draws "NguyÔn ThÞ Hßa" as Nguyễn Thị Hòa, `VNI-Times` draws "Nguyeãn Thò Hoøa". Excel keeps the
code points, so an old book opened today shows that text. No maintained library on PyPI does
this conversion, so the tables are written here: TCVN3 puts each precomposed letter on one
Latin-1 code point; VNI writes the base letter followed by one character for its mark(s).

TCVN3 has no code points for capital letters with tones: its "H" fonts (`.VnTimeH`) draw the
small letters' code points as capitals. A word typed that way ("NGUYÔN") is converted to
capitals when its other letters are capitals.

Each cell is decided on its own (`decide`), because a book is often mostly Unicode with a
few cells pasted from an old file: a cell holding a letter that neither font can store
(ầ, ị, ư, ơ, đ…: only Unicode has them) is Unicode and never converted; a cell that already
reads as Vietnamese is left alone; any other cell takes the conversion (TCVN3 or VNI) that
makes it read as Vietnamese (see `oddness`), or stays as typed when neither does.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

TCVN3, VNI = "tcvn3", "vni"
NAMES = {TCVN3: "TCVN3 (ABC)", VNI: "VNI"}

# TCVN3: Latin-1 code point → Unicode letter (the small letters and the toneless capitals).
_TCVN3_PAIRS = (
    "µà ¶ả ·ã ¸á ¹ạ ¨ă »ằ ¼ẳ ½ẵ ¾ắ Æặ ©â Çầ Èẩ Éẫ Êấ Ëậ ®đ Ìè Îẻ Ïẽ Ðé Ñẹ ªê Òề Óể Ôễ Õế Öệ "
    "×ì Øỉ Üĩ Ýí Þị ßò áỏ âõ ãó äọ «ô åồ æổ çỗ èố éộ ¬ơ êờ ëở ìỡ íớ îợ ïù ñủ òũ óú ôụ ­ư õừ "
    "öử ÷ữ øứ ùự úỳ ûỷ üỹ ýý þỵ ¡Ă ¢Â £Ê ¤Ô ¥Ơ ¦Ư §Đ"
)
TCVN3_TABLE = {pair[0]: pair[1] for pair in _TCVN3_PAIRS.split(" ")}
_TCVN3_TRANS = str.maketrans(TCVN3_TABLE)

# VNI: a base letter, then marks. Tones after a plain vowel (or ô=ơ, ö=ư):
_VNI_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
# â after a, e, o: circumflex; ê after a: breve. With a tone they merge into one character.
_VNI_CIRCUMFLEX = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303",
                   "ä": "\u0323"}
_VNI_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303",
              "ë": "\u0323"}
# Letters of their own: ơ ư đ, and i with its tones (y takes î for the dot below).
_VNI_LETTERS = {"ô": "ơ", "ö": "ư", "ñ": "đ", "ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị"}


def _vni_sequences() -> dict[str, str]:
    """Every VNI sequence (either case of the marks) and its Unicode letter."""
    table: dict[str, str] = {}

    def add(sequence: str, letter: str) -> None:
        """Map a sequence, its capital form and its mixed forms (marks in either case)."""
        for base_upper in (False, True):
            base = sequence[0].upper() if base_upper else sequence[0]
            result = letter.upper() if base_upper else letter
            for marks in {sequence[1:], sequence[1:].upper()}:
                table.setdefault(base + marks, unicodedata.normalize("NFC", result))

    for vowel in "aeiouy":
        for mark, tone in _VNI_TONES.items():
            if vowel == "y" and mark == "ï":
                continue
            add(vowel + mark, vowel + tone)
    add("yî", "y\u0323")
    for vowel in "aeo":
        for mark, tone in _VNI_CIRCUMFLEX.items():
            add(vowel + mark, vowel + "\u0302" + tone)
    for mark, tone in _VNI_BREVE.items():
        add("a" + mark, "a\u0306" + tone)
    for mark, letter in _VNI_LETTERS.items():
        if mark in "ôö":
            for tone_mark, tone in _VNI_TONES.items():
                add(mark + tone_mark, letter + tone)
        add(mark, letter)
    return table


VNI_TABLE = _vni_sequences()
_VNI_RE = re.compile("|".join(sorted(map(re.escape, VNI_TABLE), key=len, reverse=True)))

# A Vietnamese syllable without its tone: initial consonant, vowels, final consonant.
_SYLLABLE_RE = re.compile(
    r"(ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?"
    r"(iêu|oai|oao|oay|oeo|uây|uôi|uya|uyê|uyu|ươi|ươu|yêu|ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|"
    r"oa|oă|oe|oi|ôi|ơi|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|ya|yê|[aăâeêioôơuưy])"
    r"(ch|nh|ng|[cmnpt])?")
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_LETTERS = {unicodedata.normalize("NFC", base + tone) for base in "aăâeêioôơuưy"
            for tone in ("", *_TONES)} | {"đ"}
_LETTERS |= {letter.upper() for letter in _LETTERS}


def _is_syllable(word: str) -> bool:
    """True when a word is written as a Vietnamese syllable: one tone at most; after a final
    c, ch, p or t only the sắc or nặng tone; ch and nh only after a, ê, i or y."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) > 1:
        return False
    toneless = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    found = _SYLLABLE_RE.fullmatch(toneless)
    if found is None:
        return False
    final = found.group(3) or ""
    if final in ("c", "ch", "p", "t") and tones not in (["\u0301"], ["\u0323"]):
        return False
    return final not in ("ch", "nh") or found.group(2)[-1] in "aêiy"


def tcvn3_to_unicode(text: str) -> str:
    """Convert TCVN3 (ABC) text to Unicode (NFC), capitals kept in capital words."""
    words = re.split(r"(\s+)", text)
    return "".join(_tcvn3_word(word) for word in words)


def _tcvn3_word(word: str) -> str:
    """One word: converted; all capitals when its plain letters are all capitals."""
    converted = word.translate(_TCVN3_TRANS)
    plain = [c for c in word if c.isascii() and c.isalpha()]
    if len(plain) >= 2 and all(c.isupper() for c in plain):
        converted = converted.upper()
    return unicodedata.normalize("NFC", converted)


def vni_to_unicode(text: str) -> str:
    """Convert VNI text to Unicode (NFC)."""
    return unicodedata.normalize("NFC", _VNI_RE.sub(lambda m: VNI_TABLE[m.group(0)], text))


CONVERTERS = {TCVN3: tcvn3_to_unicode, VNI: vni_to_unicode}


def oddness(text: str) -> int:
    """How little a text looks like Vietnamese: words with a letter beyond ASCII that are
    not Vietnamese syllables, symbols where letters belong, and jumps in letter case."""
    odd = sum(1 for c in text if c in "\u00ad«»¨©ª¬®§¡¢£¤¥¦·¸¹¼½¾µ¶÷×"
              or (c.isalpha() and not c.isascii() and c not in _LETTERS))
    for word in re.findall(r"[^\W\d_]+", text):
        base = set(unicodedata.normalize("NFD", word.lower()))
        if not word.isascii() and base & set("aeiouy") and not _is_syllable(word):
            odd += 1
    return odd + sum(1 for before, c in zip(text, text[1:], strict=False)
                     if before.islower() and c.isupper())


# Letters (and combining marks) only Unicode has: an 8-bit font stores text in Latin-1 code
# points, so a cell holding one of these was typed in Unicode, whatever else it holds.
_UNICODE_ONLY_RE = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0"
                              "\u01a1\u01af\u01b0\u1ea0-\u1ef9\u0300-\u0303\u0309\u0323]")


def is_unicode(text: str) -> bool:
    """True when a text holds a Vietnamese letter neither TCVN3 nor VNI can store."""
    return _UNICODE_ONLY_RE.search(text) is not None


@lru_cache(maxsize=65_536)
def _candidates(text: str) -> tuple[tuple[str, str, int], ...]:
    """The conversions that make an odd text read better, best first: (encoding, text, oddness)."""
    before = oddness(text)
    if before == 0:
        return ()
    found = []
    for encoding, convert in CONVERTERS.items():
        after = convert(text)
        left = oddness(after)
        if after != text and left < before:
            found.append((encoding, after, left))
    return tuple(sorted(found, key=lambda candidate: candidate[2]))


def decide(text: str, usual: Counter | None = None) -> tuple[str, str] | None:
    """The encoding a cell was typed in and the cell in Unicode, or None to leave it as typed.

    ASCII text and text holding a letter only Unicode has are never converted; neither is
    text that already reads as Vietnamese. When both fonts read equally well, the one `usual`
    in the column so far wins.
    """
    if text.isascii() or is_unicode(text):
        return None
    candidates = _candidates(text)
    if not candidates:
        return None
    best = [c for c in candidates if c[2] == candidates[0][2]]
    if len(best) > 1 and usual:
        best.sort(key=lambda candidate: -usual[candidate[0]])
    return best[0][0], best[0][1]


@dataclass
class Detection:
    """The encoding most converted cells of a column were typed in, and how many."""

    encoding: str
    repaired: int


def detect(texts: list[str]) -> Detection | None:
    """The legacy encoding most cells of a column are in, or None when none is converted."""
    usual: Counter = Counter()
    for text in dict.fromkeys(texts):
        found = decide(text, usual)
        if found:
            usual[found[0]] += 1
    if not usual:
        return None
    encoding, repaired = usual.most_common(1)[0]
    return Detection(encoding, repaired)
