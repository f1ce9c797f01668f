"""The image library: credits, deleting images in use, and the editor's upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Status
from media.models import Image
from tests.factories import make_article
from tests.images import jpeg_bytes, make_image

pytestmark = pytest.mark.django_db


def test_an_image_records_its_size_and_hash():
    image = make_image(jpeg_bytes((40, 30), colour=(1, 2, 3)))
    assert (image.width, image.height) == (40, 30)
    assert image.file_size > 0 and len(image.content_hash) == 64


def test_lead_image_shows_with_its_agency_credit(client):
    image = make_image(caption="A senator at a hearing.")
    story = make_article(status=Status.PUBLISHED, lead_image=image)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "A senator at a hearing." in html
    assert "Alex Edelman/Pool via REUTERS" in html


def test_deleting_an_image_in_use_is_refused_with_the_story_named(client, publisher):
    image = make_image()
    make_article(status=Status.PUBLISHED, lead_image=image, headline="Senate vote")
    client.force_login(publisher)
    url = reverse("admin:media_image_delete", args=[image.pk])
    page = client.get(url)
    assert "Senate vote" in page.content.decode()
    client.post(url, {"post": "yes"})
    assert Image.objects.filter(pk=image.pk).exists()


def test_deleting_the_newsrooms_logo_is_refused_with_the_settings_named(client, publisher):
    from newsroom.models import SiteSettings

    site = SiteSettings.get_solo()
    site.logo = image = make_image()
    site.save()
    client.force_login(publisher)
    url = reverse("admin:media_image_delete", args=[image.pk])
    assert "the newsroom&#x27;s logo (site settings)" in client.get(url).content.decode()
    client.post(url, {"post": "yes"})
    assert Image.objects.filter(pk=image.pk).exists()


def test_an_unused_image_can_be_deleted(client, publisher):
    image = make_image()
    client.force_login(publisher)
    client.post(reverse("admin:media_image_delete", args=[image.pk]), {"post": "yes"})
    assert not Image.objects.filter(pk=image.pk).exists()


def test_editor_upload_creates_a_library_image(client, contributor):
    client.force_login(contributor)
    response = client.post(
        reverse("media:editor-upload"),
        {"upload": SimpleUploadedFile("pic.jpg", jpeg_bytes(), "image/jpeg"), "credit": "Staff"},
    )
    assert response.status_code == 200
    image = Image.objects.get(pk=response.json()["id"])
    assert response.json()["url"] == image.file.url and image.uploaded_by == contributor


def test_editor_upload_refuses_non_images_and_anonymous_users(client, contributor):
    url = reverse("media:editor-upload")
    payload = {"upload": SimpleUploadedFile("evil.jpg", b"<script>alert(1)</script>")}
    assert client.post(url, payload).status_code == 302  # to the login page
    client.force_login(contributor)
    response = client.post(
        url, {"upload": SimpleUploadedFile("evil.jpg", b"<script>alert(1)</script>")}
    )
    assert response.status_code == 400 and "error" in response.json()
    assert not Image.objects.exists()
