"""An editor sets an image's focal point by clicking its preview in the admin."""

import pytest

from articles.roles import EDITOR
from media.models import Image
from tests.browser.staff import log_in
from tests.factories import make_user
from tests.images import make_image

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_clicking_the_preview_sets_and_saves_the_focal_point(live_server, desktop):
    editor = make_user(EDITOR)
    image = make_image()
    log_in(desktop, live_server.url, editor)
    desktop.goto(f"{live_server.url}/admin/media/image/{image.pk}/change/")
    preview = desktop.locator("img.focal-preview")
    box = preview.bounding_box()
    preview.click(position={"x": box["width"] * 0.8, "y": box["height"] * 0.25})
    assert abs(float(desktop.input_value("#id_focal_x")) - 0.8) < 0.05
    assert abs(float(desktop.input_value("#id_focal_y")) - 0.25) < 0.05
    assert desktop.locator(".focal-marker").is_visible()
    desktop.click("input[name=_save]")
    desktop.wait_for_url("**/admin/media/image/")
    image = Image.objects.get(pk=image.pk)
    assert abs(image.focal_x - 0.8) < 0.05 and abs(image.focal_y - 0.25) < 0.05
