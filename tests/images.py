"""Image files for tests, generated here: ordinary photos and a corpus of hostile files."""

import io
import itertools
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from media.services import create_from_upload
from media.uploads import inspect_upload

_unique = itertools.count(1)
GPS_LATITUDE = 48.8566  # where a source met a reporter: must never reach a reader


def jpeg_bytes(size=(40, 30), colour=(200, 100, 50), **save_options) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "JPEG", **save_options)
    return buffer.getvalue()


def png_bytes(size=(40, 30), mode="RGBA") -> bytes:
    buffer = io.BytesIO()
    PILImage.new(mode, size, (10, 20, 30, 128) if mode == "RGBA" else 90).save(buffer, "PNG")
    return buffer.getvalue()


def encoded(fmt: str, size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (30, 120, 200)).save(buffer, fmt)
    return buffer.getvalue()


def jpeg_with_gps(size=(64, 48)) -> bytes:
    image = PILImage.new("RGB", size, (90, 90, 90))
    exif = PILImage.Exif()
    gps = {1: "N", 2: (48.0, 51.0, 23.76), 3: "E", 4: (2.0, 21.0, 7.99)}
    exif[0x8825] = gps  # GPSInfo
    exif[0x010F] = "SpyCam"  # Make
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def jpeg_rotated(size=(60, 20)) -> bytes:
    """A landscape sensor image whose EXIF says "rotate 90° clockwise to view" (portrait)."""
    image = PILImage.new("RGB", size, (250, 0, 0))
    exif = PILImage.Exif()
    exif[0x0112] = 6  # Orientation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def animated_gif(frames=3) -> bytes:
    images = [PILImage.new("RGB", (20, 20), (n * 60 % 256, 0, 0)) for n in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    return buffer.getvalue()


def huge_png(width=100_000, height=100_000) -> bytes:
    """A tiny file that claims 10 gigapixels: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    row = b"\x00" + b"\x00" * width
    data = zlib.compress(row * 50, 9)  # far fewer rows than claimed
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def jpeg_with_agency_xmp() -> bytes:
    xmp = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
        'photoshop:Credit="Pool via REUTERS" photoshop:Source="Reuters">'
        '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">A senator listens during a '
        "hearing in Washington.</rdf:li></rdf:Alt></dc:description>"
        "<dc:creator><rdf:Seq><rdf:li>Alex Edelman</rdf:li></rdf:Seq></dc:creator>"
        '<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">© Reuters 2020</rdf:li></rdf:Alt>'
        "</dc:rights></rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    buffer = io.BytesIO()
    PILImage.new("RGB", (50, 40), (10, 10, 10)).save(buffer, "JPEG", xmp=xmp.encode())
    return buffer.getvalue()


def jpeg_with_agency_iptc() -> bytes:
    """A JPEG with an IPTC block (Photoshop APP13), the way wire photos arrive."""

    def dataset(number: int, text: str) -> bytes:
        value = text.encode()
        return b"\x1c\x02" + bytes([number]) + struct.pack(">H", len(value)) + value

    iptc = (dataset(120, "Troops at a base in northeast Syria.") + dataset(80, "Jane Doe")
            + dataset(110, "AP") + dataset(116, "© AP 2023"))  # fmt: skip
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc))
    resource += iptc + (b"\x00" if len(iptc) % 2 else b"")
    payload = b"Photoshop 3.0\x00" + resource
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    plain = jpeg_bytes((50, 40))
    return plain[:2] + segment + plain[2:]


HOSTILE = {
    # name: (file name, bytes, error code expected)
    "empty": ("empty.jpg", b"", "empty"),
    "renamed executable": (
        "photo.jpg",
        b"MZ\x90\x00" + b"\x00" * 200 + b"This program",
        "not_image",
    ),
    "elf binary": ("photo.png", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "not_image"),
    "html": ("page.jpg", b"<!doctype html><script>alert(1)</script>", "not_image"),
    "svg": (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "not_image",
    ),
    "truncated jpeg": ("cut.jpg", jpeg_bytes((400, 300))[:600], "corrupt"),
    "corrupt png": ("bad.png", png_bytes((200, 200))[:60] + b"\x00garbage" * 10, "corrupt"),
    "huge dimensions": ("bomb.png", huge_png(), "pixels"),
    "bmp": ("old.bmp", encoded("BMP"), "format"),
    "tiff": ("scan.tif", encoded("TIFF"), "format"),
}


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type)


def make_image(data: bytes | None = None, *, user=None, **fields):
    """A library image made through the real upload path."""
    fields.setdefault("credit", "Alex Edelman/Pool via REUTERS")
    fields.setdefault("alt_text", "A senator")
    if data is None:  # lossless, so every call really is a different file
        n = next(_unique)
        buffer = io.BytesIO()
        PILImage.new("RGB", (40, 30), (n % 256, n // 256 % 256, 77)).save(buffer, "PNG")
        data = buffer.getvalue()
    file = upload("photo.jpg", data)
    return create_from_upload(inspected=inspect_upload(file), filename="photo.jpg", user=user,
                              **fields)  # fmt: skip
