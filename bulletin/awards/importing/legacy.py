"""Text typed in the old Vietnamese font encodings, TCVN3 (ABC) and VNI, back to Unicode.

Before Unicode, Vietnamese was typed with 8-bit fonts: `.VnTime` (TCVN3, also called ABC)
draws "NguyÔn ThÞ Hßa" as Nguyễn Thị Hòa, `VNI-Times` draws "Nguyeãn Thò Hoøa". Excel keeps the
code points, so an old book opened today shows that text. No maintained library on PyPI does
this conversion, so the tables are written here: TCVN3 puts each precomposed letter on one
Latin-1 code point; VNI writes the base letter followed by one character for its mark(s).

TCVN3 has no code points for capital letters with tones: its "H" fonts (`.VnTimeH`) draw the
small letters' code points as capitals. A word typed that way ("NGUYÔN") is converted to
capitals when its other letters are capitals.

`detect()` chooses, for a column of cells, the encoding whose conversion leaves text that
looks like Vietnamese (see `oddness`); a column already in Unicode stays as it is.
"""

import re
import unicodedata
from dataclasses import dataclass

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
    """True when a word is written as a Vietnamese syllable (one tone at most)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(decomposed.count(tone) for tone in _TONES) > 1:
        return False
    toneless = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return _SYLLABLE_RE.fullmatch(toneless) is not None


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
SAMPLE = 300


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


@dataclass
class Detection:
    """The encoding found for a column and how sure: cells it repairs."""

    encoding: str
    repaired: int


def detect(texts: list[str]) -> Detection | None:
    """The legacy encoding of a column of texts, or None when it reads as Unicode already.

    An encoding is chosen when its conversion repairs most of the odd cells and makes none
    odder, so one foreign name in a Unicode column does not turn the column. A sample of
    distinct texts is enough to tell, and keeps a 10,000-row book fast.
    """
    texts = list(dict.fromkeys(texts))[:SAMPLE]
    odd = [t for t in texts if oddness(t) > 0]
    if not odd:
        return None
    best, best_left = None, sum(oddness(t) for t in texts)
    for encoding, convert in CONVERTERS.items():
        repaired = worse = left = 0
        for text in texts:
            before, after = oddness(text), oddness(convert(text))
            repaired += after < before
            worse += after > before
            left += after
        if worse == 0 and repaired * 2 > len(odd) and left < best_left:
            best, best_left = Detection(encoding, repaired), left
    return best
