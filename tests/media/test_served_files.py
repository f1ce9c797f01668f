"""Uploaded files reach readers with a content type that matches what they are, and
`nosniff`, so a browser never runs a file as anything but a picture."""

import io
import mimetypes

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import re_path
from django.views.static import serve
from PIL import Image as PILImage

from media.renditions import build_renditions
from tests.images import encoded, make_image

pytestmark = pytest.mark.django_db

urlpatterns = [  # what newsroom/urls.py mounts when SERVE_MEDIA is on
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
]


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
@override_settings(ROOT_URLCONF=__name__)
def test_every_stored_file_is_served_as_the_picture_it_is(client, fmt):
    image = make_image(encoded(fmt, size=(400, 300)))
    build_renditions(image)
    files = [image.file, *(rendition.file for rendition in image.renditions.all())]
    assert len(files) > 1
    for stored in files:
        response = client.get(stored.url)
        body = b"".join(response.streaming_content)
        actual = PILImage.open(io.BytesIO(body)).format  # what the bytes really are
        expected = PILImage.MIME[actual]
        assert response["Content-Type"] == expected, stored.name
        assert mimetypes.guess_type(stored.name)[0] == expected  # S3 storage types by name too
        assert response["X-Content-Type-Options"] == "nosniff"
