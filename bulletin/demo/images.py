"""Photos and documents for the demo content, drawn and written locally (no network, no files).

Photos are simple scenes drawn with Pillow at twice their size and scaled down, so edges look
smooth: a hall with a red banner, a festival with flags, tree planting, rice fields, a garden,
a football pitch, a memorial at dusk. Documents are a one-page PDF (the page drawn as a picture,
like the scanned plans town portals publish), a minimal Word file and an Excel sheet.
"""

import io
import math
import random
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

PHOTO_SIZE = (1200, 800)
SUPERSAMPLE = 2
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")

RED = (200, 24, 30)
YELLOW = (255, 214, 0)
SKIN = ((226, 184, 146), (205, 158, 118), (184, 136, 98))
HAIR = (32, 26, 22)
SHIRTS = ((245, 245, 240), (40, 80, 150), (200, 60, 60), (90, 120, 90), (235, 205, 120),
          (150, 90, 140), (60, 60, 70), (120, 160, 200))
YOUTH_GREEN = (40, 140, 70)
HAT = (232, 212, 160)


@lru_cache(maxsize=64)
def font(size: int, bold: bool = True) -> ImageFont.ImageFont:
    """Return DejaVu (it has every Vietnamese letter), or Pillow's own font when it is missing."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        path = Path(folder) / name
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    try:
        return ImageFont.truetype(name, size)
    except OSError:
        return ImageFont.load_default(size=size)


@dataclass
class Canvas:
    """A picture being drawn, with its random source; sizes are fractions of its height."""

    image: Image.Image
    draw: ImageDraw.ImageDraw
    rng: random.Random

    @property
    def w(self) -> int:
        """Width in pixels."""
        return self.image.width

    @property
    def h(self) -> int:
        """Height in pixels."""
        return self.image.height


def new_canvas(seed: int, size: tuple[int, int] = PHOTO_SIZE) -> Canvas:
    """Start a supersampled picture."""
    image = Image.new("RGB", (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE), (255, 255, 255))
    return Canvas(image, ImageDraw.Draw(image), random.Random(seed))


def gradient(c: Canvas, top: tuple, bottom: tuple, y0: int = 0, y1: int | None = None) -> None:
    """Fill a band with a vertical colour gradient."""
    y1 = c.h if y1 is None else y1
    span = max(1, y1 - y0)
    # One pixel wide, then stretched: far cheaper than drawing a line per row.
    strip = Image.new("RGB", (1, span))
    strip.putdata([tuple(int(a + (b - a) * y / span) for a, b in zip(top, bottom, strict=True))
                   for y in range(span)])
    c.image.paste(strip.resize((c.w, span), Image.Resampling.NEAREST), (0, y0))


def shade(color: tuple, factor: float) -> tuple:
    """Darken (factor < 1) or lighten (factor > 1) a colour."""
    return tuple(max(0, min(255, int(v * factor))) for v in color)


def star(c: Canvas, cx: float, cy: float, radius: float, fill=YELLOW) -> None:
    """Draw a five-pointed star."""
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.382
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    c.draw.polygon(points, fill=fill)


def flag(c: Canvas, x: float, y: float, width: float, pole: float = 0) -> None:
    """Draw the national flag (red, yellow star), on a pole when `pole` is given."""
    height = width * 2 / 3
    if pole:
        c.draw.rectangle([x - width * 0.03, y, x, y + pole], fill=(120, 110, 100))
        x += 0
    c.draw.rectangle([x, y, x + width, y + height], fill=RED)
    star(c, x + width / 2, y + height / 2, height * 0.32)


def bunting(c: Canvas, y: float, sag: float) -> None:
    """Draw a string of small triangular flags across the picture."""
    count = 18
    for i in range(count):
        x0 = c.w * i / count
        x1 = c.w * (i + 1) / count
        mid = (x0 + x1) / 2
        t = (mid / c.w) * 2 - 1
        yy = y + sag * (1 - t * t)
        color = (RED, YELLOW, (40, 110, 200), YOUTH_GREEN)[i % 4]
        c.draw.polygon([(x0, yy), (x1, yy), (mid, yy + c.h * 0.05)], fill=color)
    c.draw.line([(0, y), (c.w / 2, y + sag), (c.w, y)], fill=(90, 80, 70), width=3)


def fit_text(c: Canvas, text: str, box_w: float, box_h: float) -> tuple[list[str], ImageFont]:
    """Split `text` into one or two lines and pick the largest font that fits the box."""
    words = text.split()
    options = [[text]]
    if len(words) > 2:
        options.append(balanced_split(words))
    best = None
    for lines in options:
        size = int(box_h / len(lines) * 0.72)
        while size > 8:
            face = font(size)
            widest = max(c.draw.textlength(line, font=face) for line in lines)
            if widest <= box_w:
                break
            size = int(size * 0.92)
        if best is None or size > best[0]:
            best = (size, lines)
    return best[1], font(best[0])


def balanced_split(words: list[str]) -> list[str]:
    """Break a title into two lines of similar length."""
    total = len(" ".join(words))
    running = 0
    for i, word in enumerate(words):
        running += len(word) + 1
        if running >= total / 2:
            return [" ".join(words[: i + 1]), " ".join(words[i + 1:])]
    return [" ".join(words)]


def banner(c: Canvas, text: str, box: tuple, fill=RED, ink=YELLOW) -> None:
    """Draw a red banner with centred yellow capitals, as hung in every meeting hall."""
    x0, y0, x1, y1 = box
    c.draw.rectangle(box, fill=fill)
    c.draw.rectangle([x0, y0, x1, y0 + (y1 - y0) * 0.05], fill=shade(fill, 0.8))
    pad = (y1 - y0) * 0.12
    lines, face = fit_text(c, text.upper(), (x1 - x0) - 4 * pad, (y1 - y0) - 2 * pad)
    line_h = (y1 - y0 - 2 * pad) / len(lines)
    for i, line in enumerate(lines):
        cy = y0 + pad + line_h * (i + 0.5)
        c.draw.text(((x0 + x1) / 2, cy), line, font=face, fill=ink, anchor="mm")


def person(c: Canvas, x: float, foot: float, height: float, shirt: tuple, *,
           back: bool = False, hat: bool = False, bust: bool = False) -> None:
    """Draw a simple person: whole figure, or only head and shoulders (`bust`)."""
    head_r = height * 0.085
    head_y = foot - height + head_r
    shoulder_y = head_y + head_r * 1.5
    body_w = height * 0.26
    hip_y = foot - height * 0.45
    skin = c.rng.choice(SKIN)
    if not bust:
        trousers = shade(c.rng.choice(((50, 50, 60), (70, 60, 50), (30, 40, 70))), 1)
        leg = body_w * 0.3
        c.draw.rectangle([x - body_w * 0.38, hip_y, x - body_w * 0.38 + leg, foot], fill=trousers)
        c.draw.rectangle([x + body_w * 0.38 - leg, hip_y, x + body_w * 0.38, foot], fill=trousers)
    bottom = foot if bust else hip_y + height * 0.04
    c.draw.rounded_rectangle([x - body_w / 2, shoulder_y - head_r * 0.4, x + body_w / 2, bottom],
                             radius=body_w * 0.3, fill=shirt)
    c.draw.ellipse([x - head_r, head_y - head_r, x + head_r, head_y + head_r],
                   fill=HAIR if back else skin)
    if not back:
        c.draw.chord([x - head_r, head_y - head_r, x + head_r, head_y + head_r * 0.2],
                     180, 360, fill=HAIR)
    if hat:
        c.draw.polygon([(x - head_r * 2.2, head_y - head_r * 0.1),
                        (x + head_r * 2.2, head_y - head_r * 0.1), (x, head_y - head_r * 2.2)],
                       fill=HAT, outline=shade(HAT, 0.8))


def crowd(c: Canvas, y0: float, y1: float, rows: int, *, back: bool, hat_share: float = 0,
          shirts=SHIRTS, scale: float = 1.0) -> None:
    """Draw rows of people, smaller further away, nearest row last."""
    for row in range(rows):
        t = row / max(1, rows - 1)
        foot = y0 + (y1 - y0) * t
        height = c.h * (0.16 + 0.22 * t) * scale
        step = height * 0.33
        x = -c.rng.uniform(0, step)
        while x < c.w + step:
            person(c, x + c.rng.uniform(-step * 0.2, step * 0.2), foot + height * 0.45,
                   height, c.rng.choice(shirts), back=back, bust=back,
                   hat=c.rng.random() < hat_share)
            x += step * c.rng.uniform(0.9, 1.3)


def tree(c: Canvas, x: float, foot: float, size: float, green=(56, 130, 60)) -> None:
    """Draw a leafy tree."""
    c.draw.rectangle([x - size * 0.06, foot - size * 0.5, x + size * 0.06, foot],
                     fill=(110, 80, 50))
    for _ in range(6):
        r = size * c.rng.uniform(0.22, 0.32)
        cx = x + size * c.rng.uniform(-0.25, 0.25)
        cy = foot - size * c.rng.uniform(0.6, 0.95)
        c.draw.ellipse([cx - r, cy - r, cx + r, cy + r],
                       fill=shade(green, c.rng.uniform(0.8, 1.15)))


def sky(c: Canvas, horizon: float, evening: bool = False) -> None:
    """Draw the sky, a sun and distant hills down to `horizon`."""
    if evening:
        gradient(c, (40, 50, 110), (240, 150, 90), 0, int(horizon))
    else:
        gradient(c, (90, 150, 220), (205, 228, 245), 0, int(horizon))
        r = c.h * 0.06
        sx = c.w * c.rng.uniform(0.6, 0.9)
        c.draw.ellipse([sx - r, c.h * 0.08, sx + r, c.h * 0.08 + 2 * r], fill=(255, 244, 200))
    for layer, color in enumerate(((120, 150, 140), (90, 130, 100))):
        points = [(0, horizon)]
        for i in range(9):
            points.append((c.w * i / 8, horizon - c.h * c.rng.uniform(0.06, 0.16) / (layer + 1)))
        points.append((c.w, horizon))
        c.draw.polygon(points, fill=shade(color, 0.7) if evening else color)


def finish(c: Canvas) -> bytes:
    """Scale the picture down (smoothing its edges) and return JPEG bytes."""
    image = c.image.reduce(SUPERSAMPLE)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


# ---- scenes -------------------------------------------------------------------------------

def hall(c: Canvas, text: str, view: str) -> None:
    """A meeting hall: banner, flag, a presidium table, and the audience or the stage."""
    gradient(c, (238, 226, 204), (212, 192, 164), 0, int(c.h * 0.7))
    gradient(c, (150, 95, 70), (110, 70, 50), int(c.h * 0.7), c.h)
    banner(c, text, (c.w * 0.1, c.h * 0.06, c.w * 0.9, c.h * 0.26))
    flag(c, c.w * 0.02, c.h * 0.08, c.w * 0.07)
    c.draw.rectangle([c.w * 0.05, c.h * 0.3, c.w * 0.95, c.h * 0.7], fill=(196, 170, 136))
    if view == "stage":
        stage(c)
    elif view == "award":
        award_row(c)
    elif view == "gifts":
        gift_table(c)
    else:
        presidium(c, c.h * 0.52)
        crowd(c, c.h * 0.72, c.h * 0.9, 3, back=True, scale=0.65)


def presidium(c: Canvas, table_y: float) -> None:
    """Draw the chairing table with its people, cloth and flowers."""
    for i in range(5):
        person(c, c.w * (0.3 + i * 0.1), table_y + c.h * 0.05, c.h * 0.2,
               c.rng.choice(SHIRTS[:3]), bust=True)
    c.draw.rectangle([c.w * 0.22, table_y, c.w * 0.78, table_y + c.h * 0.1], fill=RED)
    c.draw.rectangle([c.w * 0.22, table_y, c.w * 0.78, table_y + c.h * 0.02], fill=YELLOW)
    for i in range(4):
        flowers(c, c.w * (0.3 + i * 0.13), table_y + c.h * 0.1, c.h * 0.05)


def flowers(c: Canvas, x: float, y: float, r: float) -> None:
    """Draw a basket of flowers."""
    for _ in range(9):
        fx = x + c.rng.uniform(-r, r)
        fy = y - c.rng.uniform(0, r)
        fr = r * 0.3
        color = c.rng.choice(((230, 40, 60), (250, 200, 40), (250, 240, 240), (240, 120, 150)))
        c.draw.ellipse([fx - fr, fy - fr, fx + fr, fy + fr], fill=color)


def stage(c: Canvas) -> None:
    """A speaker at the rostrum, the presidium beside, front row of the audience."""
    presidium(c, c.h * 0.52)
    person(c, c.w * 0.86, c.h * 0.78, c.h * 0.42, (245, 245, 240))
    c.draw.polygon([(c.w * 0.79, c.h * 0.58), (c.w * 0.93, c.h * 0.58),
                    (c.w * 0.91, c.h * 0.86), (c.w * 0.81, c.h * 0.86)], fill=(150, 100, 60))
    star(c, c.w * 0.86, c.h * 0.66, c.h * 0.035)
    crowd(c, c.h * 0.9, c.h * 0.9, 1, back=True, scale=1.6)


def award_row(c: Canvas) -> None:
    """People standing in a row holding certificates and flowers."""
    count = c.rng.randint(5, 8)
    for i in range(count):
        x = c.w * (0.15 + 0.7 * i / (count - 1))
        person(c, x, c.h * 0.9, c.h * 0.5, c.rng.choice(SHIRTS))
        c.draw.rectangle([x - c.w * 0.025, c.h * 0.6, x + c.w * 0.025, c.h * 0.66],
                         fill=(250, 240, 200), outline=RED, width=3)
        flowers(c, x + c.w * 0.03, c.h * 0.62, c.h * 0.025)


def gift_table(c: Canvas) -> None:
    """A table of red gift bags and the people receiving them."""
    for i in range(6):
        x = c.w * (0.12 + i * 0.15)
        person(c, x, c.h * 0.95, c.h * 0.55, c.rng.choice(SHIRTS), hat=c.rng.random() < 0.3)
    c.draw.rectangle([c.w * 0.05, c.h * 0.72, c.w * 0.95, c.h * 0.8], fill=(160, 40, 40))
    for i in range(14):
        x = c.w * (0.08 + i * 0.063)
        top = c.h * c.rng.uniform(0.6, 0.64)
        c.draw.rectangle([x, top, x + c.w * 0.045, c.h * 0.72],
                         fill=c.rng.choice((RED, (220, 50, 50), YELLOW)))
        c.draw.rectangle([x + c.w * 0.018, top, x + c.w * 0.027, c.h * 0.72], fill=YELLOW)


def festival(c: Canvas, text: str) -> None:
    """An open-air festival: stage with banner, flags on poles, bunting, a crowd."""
    sky(c, c.h * 0.45)
    gradient(c, (150, 170, 110), (120, 140, 90), int(c.h * 0.45), c.h)
    c.draw.rectangle([c.w * 0.15, c.h * 0.18, c.w * 0.85, c.h * 0.6], fill=(180, 30, 35))
    banner(c, text, (c.w * 0.18, c.h * 0.22, c.w * 0.82, c.h * 0.42))
    c.draw.rectangle([c.w * 0.12, c.h * 0.58, c.w * 0.88, c.h * 0.64], fill=(120, 80, 50))
    for x in (0.04, 0.92):
        flag(c, c.w * x, c.h * 0.12, c.w * 0.06, pole=c.h * 0.55)
    bunting(c, c.h * 0.05, c.h * 0.08)
    crowd(c, c.h * 0.7, c.h * 0.9, 3, back=True, hat_share=0.15, scale=0.75)


def trees(c: Canvas, text: str) -> None:
    """Tree planting on a hillside: saplings in rows, people with spades, a small banner."""
    sky(c, c.h * 0.4)
    gradient(c, (140, 120, 80), (110, 90, 60), int(c.h * 0.4), c.h)
    for row in range(4):
        y = c.h * (0.5 + row * 0.12)
        for i in range(7):
            x = c.w * (0.06 + i * 0.15) + row * c.w * 0.03
            tree(c, x, y, c.h * (0.08 + row * 0.03), green=(70, 150, 70))
    for _ in range(5):
        x = c.w * c.rng.uniform(0.1, 0.9)
        foot = c.h * c.rng.uniform(0.75, 0.95)
        person(c, x, foot, c.h * 0.35, c.rng.choice((YOUTH_GREEN, *SHIRTS[:3])),
               hat=c.rng.random() < 0.5)
        c.draw.line([(x + c.h * 0.05, foot - c.h * 0.2), (x + c.h * 0.1, foot)],
                    fill=(90, 70, 50), width=max(2, c.h // 150))
    if text:
        banner(c, text, (c.w * 0.2, c.h * 0.05, c.w * 0.8, c.h * 0.17))


def volunteers(c: Canvas, text: str) -> None:
    """Young volunteers in green shirts at work on a village road."""
    sky(c, c.h * 0.42)
    gradient(c, (110, 160, 90), (90, 130, 70), int(c.h * 0.42), c.h)
    c.draw.polygon([(c.w * 0.42, c.h * 0.42), (c.w * 0.58, c.h * 0.42), (c.w * 0.95, c.h),
                    (c.w * 0.05, c.h)], fill=(170, 165, 155))
    for x in (0.08, 0.22, 0.8, 0.94):
        tree(c, c.w * x, c.h * 0.5, c.h * 0.25)
    banner(c, text, (c.w * 0.15, c.h * 0.06, c.w * 0.85, c.h * 0.2), fill=(30, 90, 170))
    crowd(c, c.h * 0.5, c.h * 0.8, 2, back=False, shirts=(YOUTH_GREEN, shade(YOUTH_GREEN, 1.2)),
          scale=1.1)


def field(c: Canvas, text: str) -> None:
    """Rice paddies under the mountains, farmers in conical hats."""
    sky(c, c.h * 0.38)
    for band in range(12):
        y0 = c.h * (0.38 + band * 0.052)
        c.draw.rectangle([0, y0, c.w, y0 + c.h * 0.052],
                         fill=shade((120, 180, 70), 0.85 + 0.25 * (band % 2)))
        for i in range(40):
            x = c.w * i / 40 + c.rng.uniform(-4, 4)
            c.draw.line([(x, y0 + c.h * 0.04), (x + 3, y0 + c.h * 0.01)],
                        fill=(70, 130, 50), width=2)
    for _ in range(c.rng.randint(4, 7)):
        person(c, c.w * c.rng.uniform(0.05, 0.95), c.h * c.rng.uniform(0.65, 0.98),
               c.h * 0.3, c.rng.choice(SHIRTS), hat=True)
    if text:
        banner(c, text, (c.w * 0.2, c.h * 0.04, c.w * 0.8, c.h * 0.15), fill=(30, 110, 60))


def garden(c: Canvas, text: str) -> None:
    """A model garden: vegetable beds, a trellis of gourds, visitors looking on."""
    sky(c, c.h * 0.35)
    gradient(c, (130, 100, 70), (100, 80, 55), int(c.h * 0.35), c.h)
    for bed in range(5):
        y = c.h * (0.45 + bed * 0.1)
        c.draw.rectangle([c.w * 0.02, y, c.w * 0.98, y + c.h * 0.06], fill=(150, 110, 75))
        for i in range(30):
            x = c.w * (0.03 + i * 0.032)
            r = c.h * 0.022
            c.draw.ellipse([x - r, y - r * 0.6, x + r, y + r * 1.2],
                           fill=shade((80, 170, 70), c.rng.uniform(0.8, 1.2)))
    c.draw.rectangle([c.w * 0.6, c.h * 0.2, c.w * 0.98, c.h * 0.24], fill=(110, 140, 70))
    for i in range(12):
        x = c.w * (0.62 + i * 0.03)
        c.draw.ellipse([x, c.h * 0.24, x + c.w * 0.015, c.h * 0.3], fill=(180, 200, 110))
    for i in range(4):
        person(c, c.w * (0.12 + i * 0.12), c.h * 0.92, c.h * 0.4, c.rng.choice(SHIRTS),
               hat=c.rng.random() < 0.5)
    if text:
        banner(c, text, (c.w * 0.04, c.h * 0.05, c.w * 0.55, c.h * 0.18), fill=(30, 110, 60))


def sports(c: Canvas, text: str) -> None:
    """A football match: pitch, goal, two teams, spectators under a banner."""
    sky(c, c.h * 0.3)
    c.draw.rectangle([0, c.h * 0.3, c.w, c.h], fill=(70, 150, 70))
    for i in range(8):
        if i % 2:
            c.draw.polygon([(c.w * i / 8, c.h * 0.42), (c.w * (i + 1) / 8, c.h * 0.42),
                            (c.w * (i + 1.6) / 8, c.h), (c.w * (i + 0.6) / 8, c.h)],
                           fill=(80, 165, 80))
    c.draw.line([(0, c.h * 0.42), (c.w, c.h * 0.42)], fill=(240, 240, 240), width=6)
    c.draw.rectangle([c.w * 0.78, c.h * 0.3, c.w * 0.96, c.h * 0.42], outline=(250, 250, 250),
                     width=8)
    banner(c, text, (c.w * 0.1, c.h * 0.04, c.w * 0.7, c.h * 0.16))
    crowd(c, c.h * 0.3, c.h * 0.34, 1, back=False)
    teams = ((220, 40, 40), (40, 90, 200))
    for i in range(8):
        person(c, c.w * c.rng.uniform(0.05, 0.9), c.h * c.rng.uniform(0.6, 0.95), c.h * 0.32,
               teams[i % 2])
    bx, by, r = c.w * c.rng.uniform(0.3, 0.7), c.h * 0.9, c.h * 0.025
    c.draw.ellipse([bx - r, by - r, bx + r, by + r], fill=(250, 250, 250), outline=(20, 20, 20))


def memorial(c: Canvas, text: str) -> None:
    """A war memorial at dusk with candles lit before it."""
    sky(c, c.h * 0.55, evening=True)
    gradient(c, (70, 60, 60), (40, 35, 35), int(c.h * 0.55), c.h)
    x = c.w * 0.5
    c.draw.rectangle([x - c.w * 0.14, c.h * 0.45, x + c.w * 0.14, c.h * 0.6], fill=(200, 195, 185))
    c.draw.polygon([(x - c.w * 0.06, c.h * 0.45), (x + c.w * 0.06, c.h * 0.45),
                    (x + c.w * 0.03, c.h * 0.1), (x - c.w * 0.03, c.h * 0.1)],
                   fill=(225, 220, 210))
    star(c, x, c.h * 0.18, c.h * 0.035, fill=RED)
    face = font(max(10, int(c.h * 0.03)))
    c.draw.text((x, c.h * 0.52), text.upper(), font=face, fill=(160, 30, 30), anchor="mm")
    for row in range(5):
        for i in range(26):
            cx = c.w * (0.04 + i * 0.037) + row * 5
            cy = c.h * (0.66 + row * 0.06)
            glow = c.h * 0.012
            c.draw.ellipse([cx - glow, cy - glow, cx + glow, cy + glow], fill=(255, 190, 80))
    for i in range(6):
        person(c, c.w * (0.1 + i * 0.16), c.h * 1.02, c.h * 0.45, (60, 60, 70), back=True)


SCENES = {
    "hall": lambda c, text: hall(c, text, "audience"),
    "stage": lambda c, text: hall(c, text, "stage"),
    "award": lambda c, text: hall(c, text, "award"),
    "gifts": lambda c, text: hall(c, text, "gifts"),
    "festival": festival,
    "trees": trees,
    "volunteers": volunteers,
    "field": field,
    "garden": garden,
    "sports": sports,
    "memorial": memorial,
}


@lru_cache(maxsize=256)
def photo(scene: str, text: str = "", seed: int = 0) -> bytes:
    """Return a drawn photo (JPEG bytes); the same arguments always give the same picture."""
    canvas = new_canvas(seed)
    SCENES[scene](canvas, text)
    return finish(canvas)


# ---- documents ----------------------------------------------------------------------------

A4_PIXELS = (827, 1169)  # 100 dpi
A4_POINTS = (595, 842)


def document_page(issuer: str, title: str, lines: list[str], place_date: str,
                  signer: str) -> Image.Image:
    """Draw an A4 page laid out like a Vietnamese administrative document."""
    page = Image.new("RGB", A4_PIXELS, (255, 255, 255))
    draw = ImageDraw.Draw(page)
    small, bold, body = font(15), font(15), font(16, bold=False)
    left = 70
    for i, line in enumerate(issuer.upper().split("\n")):
        draw.text((230, 70 + i * 22), line, font=bold, fill="black", anchor="mm")
    draw.text((560, 70), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=small, fill="black",
              anchor="mm")
    draw.text((560, 92), "Độc lập - Tự do - Hạnh phúc", font=font(16), fill="black", anchor="mm")
    draw.line([(470, 110), (650, 110)], fill="black", width=1)
    draw.text((740, 140), place_date, font=font(15, bold=False), fill="black", anchor="rm")
    y = 200
    for line in wrap(draw, title.upper(), font(20), A4_PIXELS[0] - 2 * left):
        draw.text((A4_PIXELS[0] / 2, y), line, font=font(20), fill="black", anchor="mm")
        y += 30
    y += 20
    for paragraph in lines:
        for line in wrap(draw, paragraph, body, A4_PIXELS[0] - 2 * left):
            draw.text((left, y), line, font=body, fill="black")
            y += 26
        y += 8
    for i, line in enumerate(signer.split("\n")):
        draw.text((620, y + 40 + i * 24), line, font=bold, fill="black", anchor="mm")
    return page


def wrap(draw: ImageDraw.ImageDraw, text: str, face, width: float) -> list[str]:
    """Break a paragraph into lines no wider than `width`."""
    lines, current = [], ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and draw.textlength(trial, font=face) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    return [*lines, current] if current else lines


def pdf_document(title: str, page: Image.Image) -> bytes:
    """Write a one-page PDF by hand: the page as a JPEG image, the title in the metadata."""
    jpeg = io.BytesIO()
    page.save(jpeg, "JPEG", quality=80)
    data = jpeg.getvalue()
    width, height = A4_POINTS
    content = f"q {width} 0 0 {height} 0 0 cm /Im1 Do Q".encode()
    title_hex = (b"\xfe\xff" + title.encode("utf-16-be")).hex().upper()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] "
        f"/Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>".encode(),
        f"<< /Type /XObject /Subtype /Image /Width {page.width} /Height {page.height} "
        f"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode "
        f"/Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream",
        f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream",
        f"<< /Title <{title_hex}> /Producer (Bang tin demo) >>".encode(),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '</Types>'
)
DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    '</Relationships>'
)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_paragraph(text: str, *, bold: bool = False, center: bool = False) -> str:
    """Return one WordprocessingML paragraph."""
    props = '<w:pPr><w:jc w:val="center"/></w:pPr>' if center else ""
    run_props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return (f'<w:p>{props}<w:r>{run_props}<w:t xml:space="preserve">{escape(text)}</w:t>'
            f"</w:r></w:p>")


def docx_document(issuer: str, title: str, paragraphs: list[str], signer: str) -> bytes:
    """Write a minimal valid Word document: content types, one relationship, the body."""
    parts = [docx_paragraph(line, bold=True) for line in issuer.upper().split("\n")]
    parts.append(docx_paragraph(title.upper(), bold=True, center=True))
    parts.extend(docx_paragraph(text) for text in paragraphs)
    parts.extend(docx_paragraph(line, bold=True) for line in signer.split("\n"))
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:document xmlns:w="{W_NS}"><w:body>{"".join(parts)}</w:body></w:document>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES)
        archive.writestr("_rels/.rels", DOCX_RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def xlsx_document(title: str, header: list[str], rows: list[list]) -> bytes:
    """Write an Excel sheet: a title row, a bold header, the rows, sensible column widths."""
    # Imported here: openpyxl loaded at start would cost every worker ~7 MB.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, name in enumerate(header, start=1):
        longest = max([len(str(name)), *(len(str(r[index - 1])) for r in rows)])
        sheet.column_dimensions[get_column_letter(index)].width = min(50, longest + 3)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
