"""Hostile and awkward files through both upload paths (the library form and the story
editor): each gets a clear error or a correct image; no 500, nothing half-saved, no GPS."""

import io

import pytest
from django.urls import reverse
from PIL import Image as PILImage

from media.models import Image
from tests import images

pytestmark = pytest.mark.django_db

MESSAGES = {
    "empty": "file is empty.",
    "not_image": "not an image we accept",
    "corrupt": "damaged or incomplete",
    "pixels": "megapixels",
    "format": "we accept JPEG, PNG, WebP, GIF or AVIF",
    "too_big": "the limit is",
}


def library_upload(client, name, data, **fields):
    return client.post(
        reverse("admin:media_image_add"),
        {"upload": images.upload(name, data), "title": "", "alt_text": "Alt", "caption": "",
         "credit": "Staff", "copyright_notice": "", "source": "", "licence": "", "usable_until": "",
         "focal_x": "0.5", "focal_y": "0.5", **fields},
    )  # fmt: skip


def editor_upload(client, name, data):
    return client.post(
        reverse("media:editor-upload"), {"upload": images.upload(name, data), "credit": "Staff"}
    )


def stored_files(settings) -> list:
    from pathlib import Path

    private = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    return [
        p for root in (Path(settings.MEDIA_ROOT), private) for p in root.rglob("*") if p.is_file()
    ]


@pytest.mark.parametrize("kind", list(images.HOSTILE))
def test_hostile_files_are_refused_clearly_through_the_library(client, editor, settings, kind):
    name, data, code = images.HOSTILE[kind]
    client.force_login(editor)
    before = stored_files(settings)
    response = library_upload(client, name, data)
    assert response.status_code == 200  # the form again, with the error
    errors = response.context["adminform"].form.errors["upload"]
    assert MESSAGES[code] in " ".join(errors), errors
    assert not Image.objects.exists() and stored_files(settings) == before


@pytest.mark.parametrize("kind", list(images.HOSTILE))
def test_hostile_files_are_refused_clearly_through_the_editor(client, editor, settings, kind):
    name, data, code = images.HOSTILE[kind]
    client.force_login(editor)
    before = stored_files(settings)
    response = editor_upload(client, name, data)
    assert response.status_code == 400
    assert MESSAGES[code] in response.json()["error"]["message"]
    assert not Image.objects.exists() and stored_files(settings) == before


def send(client, path, name, data):
    """Upload through one path; returns (accepted, error message)."""
    if path == "library":
        response = library_upload(client, name, data)
        if response.status_code == 302:
            return True, ""
        return False, " ".join(response.context["adminform"].form.errors.get("upload", []))
    response = editor_upload(client, name, data)
    return response.status_code == 200, response.json().get("error", {}).get("message", "")


@pytest.mark.parametrize("path", ["library", "editor"])
def test_a_file_over_the_size_limit_is_refused(client, editor, settings, path):
    settings.IMAGE_MAX_UPLOAD_BYTES = 1000
    client.force_login(editor)
    accepted, message = send(client, path, "big.jpg", images.jpeg_bytes((300, 300)))
    assert not accepted and "the limit is 0.0 MB" in message
    assert not Image.objects.exists()


def served_image(image):
    image.file.open("rb")
    data = image.file.read()
    image.file.close()
    return data, PILImage.open(io.BytesIO(data))


@pytest.mark.parametrize("path", ["library", "editor"])
def test_gps_and_camera_metadata_never_reach_readers(client, editor, path):
    client.force_login(editor)
    data = images.jpeg_with_gps()
    if path == "library":
        library_upload(client, "gps.jpg", data)
    else:
        editor_upload(client, "gps.jpg", data)
    image = Image.objects.get()
    served, decoded = served_image(image)
    assert not decoded.getexif() and b"SpyCam" not in served and b"GPS" not in served
    image.original.open("rb")  # the original keeps everything, privately
    assert b"SpyCam" in image.original.read()
    image.original.close()


def test_the_private_original_has_no_public_url(client, editor, settings):
    client.force_login(editor)
    editor_upload(client, "gps.jpg", images.jpeg_with_gps())
    image = Image.objects.get()
    assert not image.original.name.startswith("images/")
    assert not str(image.original.path).startswith(str(settings.MEDIA_ROOT))


@pytest.mark.parametrize("path", ["library", "editor"])
def test_exif_orientation_is_applied(client, editor, path):
    client.force_login(editor)
    assert send(client, path, "rotated.jpg", images.jpeg_rotated((60, 20)))[0]
    image = Image.objects.get()
    assert (image.width, image.height) == (20, 60)
    assert served_image(image)[1].size == (20, 60)


@pytest.mark.parametrize("path", ["library", "editor"])
def test_an_animated_gif_stays_animated(client, editor, path):
    client.force_login(editor)
    assert send(client, path, "loop.gif", images.animated_gif(4))[0]
    _, decoded = served_image(Image.objects.get())
    assert decoded.format == "GIF" and decoded.n_frames == 4


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "AVIF", "GIF"])
def test_every_accepted_format_is_accepted(client, editor, fmt):
    client.force_login(editor)
    response = editor_upload(client, f"file.{fmt.lower()}", images.encoded(fmt))
    assert response.status_code == 200, response.content
    assert Image.objects.get().width == 40


@pytest.mark.parametrize("path", ["library", "editor"])
def test_a_polyglot_is_served_without_its_payload(client, editor, path):
    """A real JPEG with an HTML page appended: accepted as an image, payload dropped."""
    client.force_login(editor)
    payload = b"<html><script>alert(document.cookie)</script></html>"
    assert send(client, path, "poly.jpg", images.jpeg_bytes() + payload)[0]
    served, _ = served_image(Image.objects.get())
    assert b"<script>" not in served


def test_the_same_file_twice_offers_the_existing_image(client, editor):
    client.force_login(editor)
    data = images.jpeg_bytes((30, 30), colour=(1, 1, 1))
    first = editor_upload(client, "a.jpg", data).json()
    second = editor_upload(client, "b.jpg", data).json()
    assert second == {**first, "existing": True}
    response = library_upload(client, "c.jpg", data)
    assert "already in the library" in " ".join(response.context["adminform"].form.errors["upload"])
    assert Image.objects.count() == 1


@pytest.mark.parametrize("maker", ["xmp", "iptc"])
def test_agency_metadata_prefills_caption_credit_and_copyright(client, editor, maker):
    client.force_login(editor)
    data = images.jpeg_with_agency_xmp() if maker == "xmp" else images.jpeg_with_agency_iptc()
    assert library_upload(client, "wire.jpg", data, credit="").status_code == 302
    image = Image.objects.get()
    if maker == "xmp":
        assert image.credit == "Alex Edelman/Pool via REUTERS"
        assert image.caption == "A senator listens during a hearing in Washington."
        assert image.copyright_notice == "© Reuters 2020" and image.source == "Reuters"
    else:
        assert image.credit == "Jane Doe/AP"
        assert image.caption == "Troops at a base in northeast Syria."
        assert image.copyright_notice == "© AP 2023"


def test_what_the_editor_typed_wins_over_the_photos_metadata(client, editor):
    client.force_login(editor)
    library_upload(client, "wire.jpg", images.jpeg_with_agency_xmp(), credit="Our own credit")
    assert Image.objects.get().credit == "Our own credit"


def test_uploading_needs_staff_permission(client, contributor):
    data = images.jpeg_bytes()
    assert editor_upload(client, "a.jpg", data).status_code == 302  # anonymous: to login
    contributor.user_permissions.clear()
    contributor.groups.clear()
    client.force_login(contributor)
    assert editor_upload(client, "a.jpg", data).status_code == 403
    assert not Image.objects.exists()
