"""Attachments from a WordPress export: library images with their captions and credits,
and the old file and attachment-page addresses redirecting to them."""

import ipaddress
import re
import socket
import urllib.error
import urllib.request
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from media.models import Image
from media.services import image_for_upload
from media.uploads import inspect_upload

from . import wxr
from .credits import credit_from, split_credit
from .models import ImportedItem, LegacyURL, fingerprint

Kind = ImportedItem.Kind
FETCH_TIMEOUT = 10  # seconds; an unreachable old site must not stall the import
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")
_UPLOADS = "/wp-content/uploads/"
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".jpe", ".png", ".gif", ".webp", ".avif"}


def legacy_path(url: str, *, resized: bool = True) -> str:
    """The path part of an old address, as LegacyURL stores it: decoded, without the query
    string or a trailing slash. With `resized`, WordPress's resized copies ("-300x200") map
    to the original: the lookup tries the exact path first (an original's own name may end
    that way), then this."""
    path = unquote(urlsplit(url.strip()).path) or "/"
    path = path.rstrip("/") or "/"
    return (_SIZE_SUFFIX.sub("", path) if resized else path)[:500]


def uploads_relative_path(item: wxr.Item) -> str:
    """Where the file sits under wp-content/uploads (what --media-dir holds)."""
    attached = item.meta_value("_wp_attached_file")
    if attached:
        return attached.lstrip("/")
    path = unquote(urlsplit(item.attachment_url).path)
    return path.split(_UPLOADS, 1)[1] if _UPLOADS in path else path.lstrip("/")


class AttachmentImporter:
    def __init__(self, run):
        self.run = run

    def attachment(self, record: wxr.Item) -> None:
        def work():
            extension = PurePosixPath(uploads_relative_path(record)).suffix.lower()
            if extension not in IMAGE_EXTENSIONS:
                self.run.report.problem(
                    "images", record.post_id, record.title,
                    f"a {extension or 'file'} attachment is not a picture: not imported, "
                    "links to it are kept",
                )  # fmt: skip
                return "skipped"
            print_ = fingerprint(record)
            existing = self.run.record(Kind.IMAGE, record.post_id)
            if existing and existing.object_id and existing.fingerprint == print_:
                return "unchanged"
            data, where = self.read(record)
            if data is None:
                self.run.remember(
                    Kind.IMAGE, record.post_id, object_id=None, title=record.title,
                    print_=print_, url=record.attachment_url,
                )  # fmt: skip
                self.run.report.problem(
                    "images", record.post_id, record.title, f"file missing ({where})"
                )
                return "missing"
            filename = PurePosixPath(uploads_relative_path(record)).name or "image"
            try:
                inspected = inspect_upload(ContentFile(data, name=filename))
            except ValidationError as error:
                raise ValueError(" ".join(error.messages)) from None
            if self.run.dry_run:
                self.run.planned_images[record.post_id] = legacy_path(
                    record.attachment_url, resized=False
                )
                return "updated" if existing and existing.object_id else "imported"
            caption, alt = record.excerpt.strip(), record.meta_value("_wp_attachment_image_alt")
            credit = credit_from(caption, record.content)
            caption = split_credit(caption)[0] if credit else caption
            fields = {
                "title": record.title[:255],
                "caption": caption,
                "alt_text": alt[:400],
                "credit": credit,
            }
            image = None
            if existing and existing.object_id:
                image = Image.objects.filter(pk=existing.object_id).first()
            outcome = "updated" if image else "imported"
            if image is None:
                image = image_for_upload(
                    inspected=inspected, filename=filename, user=None, **fields
                )
            for name, value in fields.items():
                if value:  # an editor's later additions are not wiped by an empty field
                    setattr(image, name, value)
            image.save()
            for url in (record.attachment_url, record.link, record.guid):
                if url:
                    self.redirect(url, image)
            self.run.remember(
                Kind.IMAGE, record.post_id, object_id=image.pk, title=record.title,
                print_=print_, url=record.attachment_url, parent=record.parent_id,
            )  # fmt: skip
            return outcome

        self.run.each("images", record.post_id, record.title, work)

    def redirect(self, url: str, image: Image) -> None:
        path = legacy_path(url, resized=False)  # a resized copy's address finds it by lookup
        if path != "/":
            LegacyURL.objects.get_or_create(path=path, defaults={"image": image})

    def read(self, record: wxr.Item) -> tuple[bytes | None, str]:
        """The attachment's file: from --media-dir, else from its old address if that answers.
        (None, why) when neither has it."""
        relative = uploads_relative_path(record)
        if self.run.media_dir:
            root = self.run.media_dir.resolve()
            candidate = (root / relative).resolve()
            if candidate.is_relative_to(root) and candidate.is_file():
                if candidate.stat().st_size > settings.IMAGE_MAX_UPLOAD_BYTES:
                    return None, f"{candidate} is larger than the upload limit"
                return candidate.read_bytes(), str(candidate)
            if not self.run.fetch:
                return None, f"not in {root} as {relative}"
        url = record.attachment_url
        if not self.run.fetch or not url.startswith(("http://", "https://")):
            return None, f"not fetched: {url or 'no address'}"
        return _fetch(url)


def _public_host(url: str) -> bool:
    """Whether the address points at the public internet, not at this machine or a private
    network (an export must not make the server fetch its own internal services)."""
    if settings.WORDPRESS_FETCH_PRIVATE_ADDRESSES:
        return True
    try:
        infos = socket.getaddrinfo(urlsplit(url).hostname, None)
    except (socket.gaierror, UnicodeError, ValueError):
        return True  # unresolvable: the fetch fails and says so
    return all(ipaddress.ip_address(info[4][0]).is_global for info in infos)


def _fetch(url: str) -> tuple[bytes | None, str]:
    if not _public_host(url):
        return None, f"{url} is on a private network address: not fetched"
    limit = settings.IMAGE_MAX_UPLOAD_BYTES
    request = urllib.request.Request(url, headers={"User-Agent": "newsroom-wordpress-import"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:  # noqa: S310
            data = response.read(limit + 1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, f"{url} unreachable: {getattr(error, 'reason', error)}"
    if len(data) > limit:
        return None, f"{url} is larger than the upload limit"
    return data, url


def find_image(path_or_url: str | None, attachment_id: str | None):
    """The library image for an old upload address or WordPress attachment id, or None."""
    if attachment_id:
        item = ImportedItem.objects.filter(kind=Kind.IMAGE, wp_key=attachment_id).first()
        if item and item.object_id:
            return Image.objects.filter(pk=item.object_id).first()
    if path_or_url:
        for path in (legacy_path(path_or_url, resized=False), legacy_path(path_or_url)):
            found = (
                LegacyURL.objects.filter(path=path, image__isnull=False)
                .select_related("image")
                .first()
            )
            if found:
                return found.image
    return None
