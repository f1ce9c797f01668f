"""The story's lead picture, chosen from the library by its thumbnail, caption and credit."""

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from media.models import Image

from .editor_views import as_found


class LeadPictureWidget(forms.Widget):
    """The chosen picture's thumbnail, caption and credit, and a search of the library that
    lists pictures the same way (desk/static/desk/lead_picture.js); the value is the
    picture's id, in a hidden input the form sends."""

    template_name = "desk/lead_picture.html"

    class Media:
        js = ["desk/lead_picture.js"]

    def id_for_label(self, id_):
        # The label names the button that opens the library: the input itself is hidden.
        return f"{id_}_choose" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = None
        if str(value or "").isdigit():
            image = Image.objects.prefetch_related("renditions").filter(pk=value).first()
            if image is not None and image.file:
                chosen = {**as_found(image), "usable": image.is_usable()}
        context["widget"]["chosen"] = chosen
        context["widget"]["search_url"] = reverse("admin:articles_article_library_search")
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates (templates/desk/), not the form renderer's own.
        return render_to_string(self.template_name, self.get_context(name, value, attrs))
