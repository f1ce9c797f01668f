"""The story editor's picture upload puts a credited picture in the library, or nothing."""

import pytest
from django.urls import reverse

from media.models import Image
from tests import images
from tests.media.test_uploads import stored_files

pytestmark = pytest.mark.django_db

URL = reverse("media:editor-upload")


def upload(client, name="pool.png", data=None, **fields):
    data = data or images.png_bytes((50, 40), mode="RGB")
    return client.post(URL, {"upload": images.upload(name, data), **fields})


def test_a_picture_without_a_credit_is_refused_and_nothing_is_stored(client, contributor, settings):
    client.force_login(contributor)
    before = stored_files(settings)
    for credit in ("", "   "):
        response = upload(client, credit=credit, caption="A pool", alt_text="An empty pool")
        assert response.status_code == 400
        assert "credit" in response.json()["error"]["message"]
    assert not Image.objects.exists() and stored_files(settings) == before


def test_a_credited_picture_enters_the_library_with_its_words(client, contributor):
    client.force_login(contributor)
    response = upload(
        client, credit="Jo Bloggs/Agency", caption="The old pool", alt_text="An empty pool"
    )
    assert response.status_code == 200
    image = Image.objects.get()
    assert (image.credit, image.caption, image.alt_text) == (
        "Jo Bloggs/Agency",
        "The old pool",
        "An empty pool",
    )
    assert image.title == "The old pool" and image.uploaded_by == contributor
    assert response.json() == {
        "url": image.file.url,
        "id": image.pk,
        "existing": False,
        "credit": "Jo Bloggs/Agency",
        "caption": "The old pool",
        "alt": "An empty pool",
    }


@pytest.mark.parametrize(
    ("name", "title"),
    [("council_meeting.jpg", "council meeting"), ("upload.png", "Picture by Staff"),
     ("image.png", "Picture by Staff")],
)  # fmt: skip
def test_without_a_caption_the_library_title_is_the_file_name_never_upload(
    client, contributor, name, title
):
    client.force_login(contributor)
    assert upload(client, name, credit="Staff").status_code == 200
    assert Image.objects.get().title == title


def test_a_file_already_in_the_library_gets_the_credit_it_lacked_and_keeps_its_own(
    client, contributor
):
    data = images.png_bytes((30, 30), mode="RGB")
    uncredited = images.make_image(data, credit="", alt_text="", caption="Old")
    client.force_login(contributor)
    response = upload(client, data=data, credit="Jo Bloggs", alt_text="A pool", caption="New")
    assert response.json()["existing"] is True and response.json()["id"] == uncredited.pk
    uncredited.refresh_from_db()
    assert (uncredited.credit, uncredited.alt_text, uncredited.caption) == (
        "Jo Bloggs",
        "A pool",
        "Old",
    )
    response = upload(client, data=data, credit="Someone else")
    assert response.json()["credit"] == "Jo Bloggs"  # what readers see: the library's credit
    assert Image.objects.count() == 1


def test_only_staff_who_may_add_pictures_can_upload(client, contributor):
    assert upload(client, credit="Staff").status_code == 302  # signed out: to the login page
    contributor.user_permissions.clear()
    contributor.groups.clear()
    client.force_login(contributor)
    response = upload(client, credit="Staff")
    assert response.status_code == 403
    assert not Image.objects.exists()


def test_the_upload_is_a_post(client, contributor):
    client.force_login(contributor)
    assert client.get(URL).status_code == 405


def test_the_lead_picture_picker_offers_only_credited_pictures(client, contributor):
    credited = images.make_image(caption="Pool at dawn", credit="Jo Bloggs")
    images.make_image(caption="Pool at dusk", credit="")
    images.make_image(caption="Pool at noon", credit="  ")
    client.force_login(contributor)
    response = client.get(
        "/admin/autocomplete/",
        {"term": "pool", "app_label": "articles", "model_name": "article",
         "field_name": "lead_image"},
    )  # fmt: skip
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [str(credited.pk)]


def test_the_editors_library_search_marks_an_uncredited_picture(client, contributor):
    """Listed (so the writer knows it is there), with no credit: the editor will not place it."""
    images.make_image(caption="Pool at dusk", credit="")
    client.force_login(contributor)
    results = client.get(reverse("admin:articles_article_library_search"), {"q": "dusk"}).json()
    assert [found["credit"] for found in results["results"]] == [""]


def test_the_library_form_refuses_a_picture_without_a_credit_unless_the_photo_carries_one(
    client, editor
):
    from tests.media.test_uploads import library_upload

    client.force_login(editor)
    response = library_upload(client, "pool.jpg", images.jpeg_bytes(), credit="  ")
    assert response.status_code == 200
    assert "every picture is credited" in str(response.context["adminform"].form.errors["credit"])
    assert not Image.objects.exists()
    assert (
        library_upload(client, "wire.jpg", images.jpeg_with_agency_xmp(), credit="").status_code
        == 302
    )
    assert Image.objects.get().credit == "Alex Edelman/Pool via REUTERS"
