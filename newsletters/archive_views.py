"""The archive readers see: only issues that went out, and in them only stories live now."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from articles.listings import paginate
from caching.pages import public_page

from .issue_email import issue_stories
from .models import Issue, Newsletter

# An issue is public from the moment it starts going out: its emails link to it, and a large
# send takes a while (the first readers click before the last are mailed).
PUBLIC = (Issue.State.SENDING, Issue.State.SENT)


@public_page(params=("page",))
def archive(request, slug: str):
    """A newsletter's page: what it is, how to subscribe, and its past issues, newest first."""
    newsletter = get_object_or_404(Newsletter, slug=slug)
    page = paginate(request, newsletter.issues.filter(state__in=PUBLIC).order_by("-number"))
    return render(
        request,
        "newsletters/newsletter_detail.html",
        {
            "newsletter": newsletter,
            "page": page,
            "issues": page.object_list,
            "meta_title": newsletter.name,
            "meta_description": newsletter.description,
            "signup_newsletters": [newsletter] if newsletter.is_active else [],
        },
    )


@public_page
def issue_detail(request, slug: str, number: int):
    """An issue's web version, the one its email links to. A draft or scheduled issue is a
    404 here: the desk previews it (newsletters/admin_views.py)."""
    issue = get_object_or_404(
        Issue.objects.select_related("newsletter"),
        newsletter__slug=slug,
        number=number,
        state__in=PUBLIC,
    )
    return render_issue(request, issue)


def render_issue(request, issue: Issue, *, preview: bool = False):
    """The web version of an issue (the archive page, or the desk's preview of it)."""
    if issue.state not in PUBLIC and not preview:
        raise Http404("No such issue.")
    return render(
        request,
        "newsletters/issue_detail.html",
        {
            "issue": issue,
            "newsletter": issue.newsletter,
            "articles": issue_stories(issue),
            "preview": preview,
            "meta_title": f"{issue.subject} | {issue.newsletter.name}",
            "meta_description": issue.newsletter.description,
            "signup_newsletters": [issue.newsletter] if issue.newsletter.is_active else [],
        },
    )
