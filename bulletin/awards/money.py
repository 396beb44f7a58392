"""Reward money: rounding as the decree says, and amounts written out in Vietnamese words."""

from decimal import ROUND_CEILING, Decimal

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# Groups of three digits, from the right; past "tỷ" the names repeat ("nghìn tỷ").
GROUPS = ("", "nghìn", "triệu")
BILLION = 10**9


def round_up(value: Decimal | int, step: int) -> int:
    """Round a reward up to a whole multiple of `step` đồng (10,000 by the decree)."""
    if step <= 1:
        return int(Decimal(value).to_integral_value(rounding=ROUND_CEILING))
    units = (Decimal(value) / step).to_integral_value(rounding=ROUND_CEILING)
    return int(units) * step


def in_words(amount: int) -> str:
    """1250500 → "Một triệu hai trăm năm mươi nghìn năm trăm đồng" (0 → "Không đồng")."""
    if amount < 0:
        return f"Âm {in_words(-amount)[0].lower()}{in_words(-amount)[1:]}"
    text = _number(amount, leading=True) if amount else "không"
    return f"{text[0].upper()}{text[1:]} đồng"


def _number(n: int, leading: bool) -> str:
    """The words of n > 0; `leading` when nothing is said before it."""
    if n >= BILLION:
        high, low = divmod(n, BILLION)
        words = f"{_number(high, leading)} tỷ"
        return f"{words} {_number(low, False)}" if low else words
    parts = []
    groups = [(n // 10**(3 * i)) % 1000 for i in range(2, -1, -1)]
    first = next(i for i, group in enumerate(groups) if group)
    for i, group in enumerate(groups):
        if not group:
            continue
        words = _hundreds(group, full=not (leading and i == first))
        parts.append(f"{words} {GROUPS[2 - i]}".strip())
    return " ".join(parts)


def _hundreds(n: int, full: bool) -> str:
    """Words of 1–999; `full` says "không trăm" and "linh" as inside a larger number."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words = []
    if hundreds or full:
        words.append(f"{DIGITS[hundreds]} trăm")
    if tens > 1:
        words.append(f"{DIGITS[tens]} mươi")
    elif tens == 1:
        words.append("mười")
    elif units and words:
        words.append("linh")
    if units:
        if units == 1 and tens > 1:
            words.append("mốt")
        elif units == 5 and tens:
            words.append("lăm")
        else:
            words.append(DIGITS[units])
    return " ".join(words)
