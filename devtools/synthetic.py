"""Photo-like pictures made from code, for the benchmark and the generated corpus: soft
gradients, shapes and grain compress like a real photo, unlike flat colour or pure noise."""

import io

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter


def synthetic_photo(width: int, height: int, seed: int) -> bytes:
    base = PILImage.linear_gradient("L").resize((width, height)).convert("RGB")
    tint = PILImage.new("RGB", (width, height), (40 + seed * 30 % 120, 90, 140))
    image = PILImage.blend(base, tint, 0.55)
    draw = ImageDraw.Draw(image)
    for n in range(40):
        x, y = (n * 7919 + seed * 104729) % width, (n * 6151 + seed * 1301) % height
        r = max(4, (40 + (n * 37 % 400)) * width // 6000)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=((n * 53) % 255, (n * 97) % 255, 120))
    image = image.filter(ImageFilter.GaussianBlur(max(1, width // 1000)))
    grain = PILImage.effect_noise((width, height), 18).convert("RGB")
    image = PILImage.blend(image, grain, 0.08)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()
