"""Author profiles on the desk: "My profile" for each person, and the editors' review of a
change a contributor proposed to their own profile (word by word, approve or reject)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from articles import roles, services
from articles.diffs import word_diff
from articles.models import Author, ProfileChange
from media.models import Image


def my_profile(request):
    """The person's own author profile in the desk's author form (their changes wait for an
    editor there, unless they are one)."""
    author = Author.objects.filter(user=request.user).first()
    if author is None:
        return TemplateResponse(
            request,
            "admin/desk/no_profile.html",
            {**admin.site.each_context(request), "title": "My profile"},
        )
    return redirect("admin:articles_author_change", author.pk)


def _shown(name: str, value, photos: dict) -> str:
    """A profile field's value as staff read it: a photo by its title and credit."""
    if name == "photo":
        photo = photos.get(value)
        return f"{photo.title} ({photo.credit})" if photo else ("(none)" if value is None else "?")
    return "" if value is None else str(value)


def changed_fields(change: ProfileChange) -> list[tuple[str, str]]:
    """(field label, word diff) for each field the change sets: what approving would change
    on the profile as it stands now."""
    now = services.profile_values(change.author)
    photos = Image.objects.in_bulk(
        [pk for pk in (now["photo"], change.after.get("photo")) if pk is not None]
    )
    rows = []
    for name in services.PROFILE_FIELDS:
        if name not in change.after:
            continue
        label = str(Author._meta.get_field(name).verbose_name)
        before = _shown(name, now[name], photos)
        after = _shown(name, change.after[name], photos)
        rows.append((label[:1].upper() + label[1:], word_diff(before, after)))
    return rows


def review(request, pk: int):
    """One proposed profile change: its fields word by word, Approve, or Reject with a
    comment (kept when the form is refused)."""
    change = get_object_or_404(
        ProfileChange.objects.select_related("author", "proposed_by", "decided_by"), pk=pk
    )
    if not roles.can_edit_profiles(request.user):
        raise PermissionDenied("Only editors review profile changes.")
    comment, error = request.POST.get("comment", ""), ""
    if request.method == "POST":
        decision = request.POST.get("decision")
        try:
            if decision == "approve":
                services.approve_profile_change(change=change, user=request.user)
                messages.success(request, f"The profile of {change.author.name} is updated.")
                return redirect("admin:index")
            if decision == "reject":
                services.reject_profile_change(change=change, user=request.user, comment=comment)
                name = change.author.name
                messages.success(request, f"The change to {name}'s profile is rejected.")
                return redirect("admin:index")
            error = "Choose Approve or Reject."
        except (PermissionDenied, ValidationError) as refused:
            error = " ".join(getattr(refused, "messages", None) or [str(refused)])
        change.refresh_from_db()
    return TemplateResponse(
        request,
        "admin/desk/profile_change.html",
        {
            **admin.site.each_context(request),
            "title": f"Profile change: {change.author.name}",
            "change": change,
            "rows": changed_fields(change),
            "can_decide": change.state == ProfileChange.State.PENDING
            and roles.can_decide_profile_change(request.user, change),
            "comment": comment,
            "error": error,
            "author_url": reverse("admin:articles_author_change", args=[change.author_id]),
        },
        status=400 if error else 200,
    )
