"""Vietnamese text handling: NFC normalisation, folding for search, slugs and sort keys."""

import re
import unicodedata
from functools import lru_cache

# Tone placement differs between writing habits: "hoà"/"hòa", "thuỷ"/"thủy", "khoẻ"/"khỏe".
# Only a word-final "oa", "oe" or "uy" (not after "q") is affected; we move the tone to the
# first vowel so both spellings give one key.
_TONES = "\u0300\u0301\u0303\u0309\u0323"

_WORD_RE = re.compile(r"\w+")
_SLUG_STRIP_RE = re.compile(r"[^a-z0-9]+")
_SPACE_RE = re.compile(r"\s+")


def nfc(value: str | None) -> str | None:
    """Return `value` in Unicode NFC form (None stays None)."""
    if value is None:
        return None
    return unicodedata.normalize("NFC", value)


def clean_line(value: str | None) -> str:
    """Return a one-line text field: NFC, whitespace collapsed and trimmed."""
    return _SPACE_RE.sub(" ", nfc(value or "")).strip()


def modern_tones(value: str) -> str:
    """Put word-final "oa/oe/uy" tones on the first vowel ("hoà" → "hòa", "thuỷ" → "thủy")."""
    text = unicodedata.normalize("NFD", value or "")
    text = re.sub(
        rf"([oOuU])([aAeEyY])([{_TONES}])(?!\w)",
        lambda m: m.group(1) + m.group(3) + m.group(2),
        text,
    )
    # "quý", "quỳnh": after "q" the "u" is part of the consonant, so the tone stays put.
    text = re.sub(rf"([qQ][uU])([{_TONES}])([yY])", r"\1\3\2", text)
    return unicodedata.normalize("NFC", text)


def _fold_table() -> dict[int, str | None]:
    """Map every accented Latin letter to its bare letter, and drop combining marks."""
    table: dict[int, str | None] = {0x0111: "d", 0x0110: "D"}
    for code in (*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)):
        bare = "".join(c for c in unicodedata.normalize("NFD", chr(code))
                       if not unicodedata.combining(c))
        if bare != chr(code) and len(bare) == 1:
            table[code] = bare
    for code in range(0x0300, 0x0370):  # combining marks, for text that arrives as NFD
        table[code] = None
    return table


_FOLD_TABLE = _fold_table()


def fold(value: str | None) -> str:
    """Fold text for matching: lowercase, no diacritics, đ→d ("Đại hội" → "dai hoi")."""
    if not value:
        return ""
    return value.translate(_FOLD_TABLE).casefold()


def words(value: str | None) -> list[str]:
    """Return the folded words of `value`."""
    return _WORD_RE.findall(fold(value))


def slugify(value: str | None, max_length: int = 80) -> str:
    """Make a URL slug from a Vietnamese title ("Hội nghị tổng kết" → "hoi-nghi-tong-ket")."""
    slug = _SLUG_STRIP_RE.sub("-", fold(value)).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or "bai-viet"


# Vietnamese alphabet order of base letters; tones ordered ngang, huyền, hỏi, ngã, sắc, nặng.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_TONE_RANK = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_SHAPE_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve (ă), circumflex (â ê ô), horn (ơ ư)


@lru_cache(maxsize=16_384)
def _syllable_key(word: str) -> str:
    """Sort key of one word: letters by the Vietnamese alphabet, then its tone.

    Remembered: a language has a few thousand syllables, and a bulk import or the demo asks
    for them hundreds of thousands of times.
    """
    letters: list[str] = []
    tone = 0
    for cluster in _clusters(modern_tones(word).lower()):
        base, marks = cluster[0], cluster[1:]
        shaped = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _SHAPE_MARKS))
        for mark in marks:
            if mark in _TONE_RANK:
                tone = _TONE_RANK[mark]
        rank = _LETTER_RANK.get(shaped)
        letters.append(chr(0x100 + rank) if rank is not None else shaped)
    return "".join(letters) + chr(0x20 + tone)


def _clusters(word: str) -> list[str]:
    """Split a word into base characters each followed by its combining marks (NFD)."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch) and out:
            out[-1] += ch
        else:
            out.append(ch)
    return out


def text_sort_key(value: str | None) -> str:
    """Sort key for a title or collective name: word by word in Vietnamese order."""
    return " ".join(_syllable_key(w) for w in clean_line(value).split(" ") if w)


def name_sort_key(full_name: str | None) -> str:
    """Sort key for a person: given name (last word) first, then family and middle names."""
    parts = clean_line(full_name).split(" ")
    if len(parts) > 1:
        parts = [parts[-1], *parts[:-1]]
    return text_sort_key(" ".join(parts))
