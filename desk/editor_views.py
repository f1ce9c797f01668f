"""What the story editor asks the server for while a story is written: pictures from the
library to place in the body, and the social card of the image chosen for sharing."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.urls import path

from media.models import Image
from media.templatetags.pictures import renditions_of, social_card

RESULTS = 12


def as_found(image: Image) -> dict:
    """One library picture as the editor places it: the body refers to the master file,
    which is how media.body recognises a library picture and draws its renditions."""
    thumbs = renditions_of(image, "thumb").get("jpeg") or []
    return {
        "id": image.pk,
        "src": image.file.url,
        "thumb": thumbs[0].url if thumbs else image.file.url,
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "card": social_card(image)[0],
    }


def library_search(request):
    """Library pictures whose caption, alt text, credit or title hold every word of `q`
    (newest first); `id` asks for one picture. Only pictures that may still be used."""
    if not request.user.has_perm("media.view_image"):
        raise PermissionDenied
    images = Image.objects.prefetch_related("renditions").order_by("-created_at")
    if request.GET.get("id", "").isdigit():
        images = images.filter(pk=request.GET["id"])
    for word in request.GET.get("q", "").split()[:8]:
        images = images.filter(
            Q(caption__icontains=word)
            | Q(alt_text__icontains=word)
            | Q(credit__icontains=word)
            | Q(title__icontains=word)
        )
    found = [image for image in images[: RESULTS * 2] if image.file and image.is_usable()]
    return JsonResponse({"results": [as_found(image) for image in found[:RESULTS]]})


def urls(admin_site) -> list:
    """The story admin's editor endpoints, behind the admin's login."""
    return [
        path(
            "library-search/",
            admin_site.admin_view(library_search),
            name="articles_article_library_search",
        ),
    ]
