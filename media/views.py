"""The story editor's picture upload: every body picture becomes a credited library Image."""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .forms import EditorUploadForm
from .services import credited_image_for_upload


@require_POST
@staff_member_required
def editor_upload(request):
    """The editor's upload endpoint: the library's checks, a credit, then a library image.

    A file already in the library is not stored twice: the existing image is offered, with
    the credit it already carries (readers see the library's credit)."""
    if not request.user.has_perm("media.add_image"):
        return JsonResponse({"error": {"message": "You may not upload pictures."}}, status=403)
    form = EditorUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return JsonResponse({"error": {"message": message}}, status=400)
    image, existing = credited_image_for_upload(
        inspected=form.inspected,
        filename=form.cleaned_data["upload"].name,
        user=request.user,
        credit=form.cleaned_data["credit"],
        caption=form.cleaned_data["caption"],
        alt_text=form.cleaned_data["alt_text"],
        title=form.library_title(),
    )
    return JsonResponse(
        {
            "url": image.file.url,
            "id": image.pk,
            "existing": existing,
            "credit": image.credit,
            "caption": image.caption,
            "alt": image.alt_text,
        }
    )
