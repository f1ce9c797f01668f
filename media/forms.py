from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Image


class EditorUploadForm(forms.ModelForm):
    """An image dropped into the story editor: it becomes a library image like any other."""

    upload = forms.ImageField(label=_("file"))

    class Meta:
        model = Image
        fields = ["alt_text", "caption", "credit"]
