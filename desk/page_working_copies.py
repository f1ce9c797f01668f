"""A page's working copies on the server, as a story's: the page form (desk/static/desk/
page_form.js) sends what is typed every few seconds, and discards a copy it restored or the
person threw away. Each view checks on the server that the person may edit the page; a copy
is only ever read back by the person who typed it (desk.working_copies)."""

from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse

from articles import roles
from pages.models import Page

from . import working_copies

AUTOSAVE_SECONDS = 15


def urls(model_admin) -> list:
    wrap = model_admin.admin_site.admin_view

    def editable(request, pk: int) -> Page:
        page = get_object_or_404(model_admin.get_queryset(request), pk=pk)
        if not roles.can_edit(request.user, page):
            raise Http404("No such page to edit.")
        return page

    def posted(view):
        """A POST about a page this person may edit, else the JSON answer the form reads."""

        def answer(request, pk: int):
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            try:
                page = editable(request, pk)
            except Http404 as error:
                return JsonResponse({"error": str(error)}, status=404)
            return view(request, page)

        return answer

    @posted
    def autosave(request, page: Page):
        """Keep what the form holds as this tab's copy of the page: one upsert, nothing else."""
        version = request.POST.get("started_from_version", "")
        copy = working_copies.save_page_copy(
            user=request.user,
            page=page,
            data=working_copies.form_data(request.POST),
            base_version=int(version) if version.isdigit() else None,
            tab=working_copies.tab_of(request.POST),
        )
        return JsonResponse({"saved_at": copy.saved_at.isoformat()})

    @posted
    def discard(request, page: Page):
        """Throw away one tab's copy (restored into another tab, or discarded)."""
        tab = working_copies.tab_of({"_desk_tab": request.POST.get("copy_tab", "")})
        count = working_copies.discard_page_copies(user=request.user, page=page, tab=tab)
        return JsonResponse({"discarded": count})

    return [
        path("<int:pk>/autosave/", wrap(autosave), name="pages_page_autosave"),
        path("<int:pk>/working-copy/discard/", wrap(discard), name="pages_page_discard_copy"),
    ]


def form_context(request, page: Page | None) -> dict:
    """What the page form's script needs: where to send, how often, and the copies this
    person left of the page (as JSON for the restore offer)."""
    if page is None:
        return {}
    copies = working_copies.page_copies_for(user=request.user, page=page)
    return {
        "page_desk_autosave_url": reverse("admin:pages_page_autosave", args=[page.pk]),
        "page_desk_discard_url": reverse("admin:pages_page_discard_copy", args=[page.pk]),
        "page_desk_autosave_seconds": AUTOSAVE_SECONDS,
        "page_desk_copies": [
            {
                "tab": copy.tab,
                "saved_at": copy.saved_at.isoformat(),
                "fields": [[name, value] for name, values in copy.data.items() for value in values],
            }
            for copy in copies
        ],
    }
