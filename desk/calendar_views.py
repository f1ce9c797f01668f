"""The calendar's pages: the month or week, moving a story to another day, planning a story.

Every change goes through a service in articles.services, which checks the person's rights:
the page only hides what they may not do.
"""

from datetime import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from articles import roles, services
from articles.models import Article
from sections.models import Section

from . import calendar

VIEWS = {"month": "Month", "week": "Week"}


class WriterField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


def writers():
    """Staff who may write stories, by name."""
    can_write = (
        Q(groups__permissions__codename="add_article")
        | Q(user_permissions__codename="add_article")
        | Q(is_superuser=True)
    )
    people = get_user_model().objects.filter(can_write, is_active=True, is_staff=True)
    return people.distinct().order_by("first_name", "last_name", "username")


class PlanForm(forms.Form):
    """An assignment: what the story is, who writes it, where it goes, when it is due."""

    headline = forms.CharField(
        label="Working headline", max_length=255, help_text="The writer can change it later."
    )
    writer = WriterField(queryset=writers(), label="Writer", empty_label="Choose a writer")
    section = forms.ModelChoiceField(
        queryset=Section.objects.order_by("name"), label="Section", empty_label="Choose"
    )
    due_date = forms.DateField(label="Due", widget=forms.DateInput(attrs={"type": "date"}))
    due_time = forms.TimeField(
        label="at",
        initial=calendar.DEFAULT_DUE_TIME,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    note = forms.CharField(
        label="Note for the writer",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Seen by staff only, never by readers.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_time"].help_text = calendar.zone_label()

    def due_at(self) -> datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.combine(data["due_date"], data["due_time"]))


def _day(value: str | None):
    """A date from a form or address, or None when it is missing or impossible (30 February)."""
    try:
        return parse_date(value or "")
    except ValueError:
        return None


def _start(value: str):
    """The day asked for in ?start=, if it is a real date with room around it; else today."""
    today = timezone.localdate()
    try:
        start = _day(value) or today
        calendar.window("month", start), calendar.neighbours("month", start)  # noqa: B018
    except (ValueError, OverflowError):  # 30 February, year 1 or 9999…
        return today
    return start


def calendar_page(request):
    """The month (or week) of stories, and, for an editor, the form that plans one."""
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied
    view = request.GET.get("view") if request.GET.get("view") in VIEWS else "month"
    start = _start(request.GET.get("start", ""))
    may_plan = roles.can_plan(request.user)
    form = None
    if may_plan and request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            planned = _plan(request, form)
            if planned is not None:
                day = timezone.localtime(planned.due_at).date()
                return redirect(
                    f"{reverse('admin:desk_calendar')}?view={view}&start={day:%Y-%m-%d}"
                )
    elif request.method == "POST":
        raise PermissionDenied("Only an editor may plan stories for others.")
    if may_plan and form is None:
        planned_day = _day(request.GET.get("plan")) if "plan" in request.GET else None
        form = PlanForm(initial={"due_date": planned_day or start})
    previous, following = calendar.neighbours(view, start)
    first, last, anchor = calendar.window(view, start)
    context = {
        **admin.site.each_context(request),
        "title": "Editorial calendar",
        "view": view,
        "views": VIEWS,
        "start": start,
        "anchor": anchor,
        "first": first,
        "last": last,
        "today": timezone.localdate(),
        "previous": previous,
        "following": following,
        "days": calendar.days(request.user, view, start),
        "kinds": calendar.KINDS,
        "zone": calendar.zone_label(),
        "plan_form": form,
        "plan_open": bool(form is not None and (form.is_bound or "plan" in request.GET)),
    }
    return TemplateResponse(request, "admin/desk/calendar.html", context)


def _plan(request, form: PlanForm) -> Article | None:
    try:
        planned = services.plan_story(
            user=request.user, headline=form.cleaned_data["headline"],
            writer=form.cleaned_data["writer"], section=form.cleaned_data["section"],
            due_at=form.due_at(), note=form.cleaned_data["note"],
        )  # fmt: skip
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return None
    writer = form.cleaned_data["writer"]
    messages.success(
        request,
        f"Planned “{planned.headline}” for {writer.get_full_name() or writer.username}, due "
        f"{timezone.localtime(planned.due_at):%a %-d %b, %H:%M}.",
    )
    return planned


@require_POST
def move(request, pk: int):
    """Move a story to another day, keeping its time of day: a scheduled story's publish
    time, or the due date of a story in progress. Answers JSON to the calendar's script."""
    stories = roles.visible_in_admin(request.user, Article.objects.filter(pending_for__isnull=True))
    article = get_object_or_404(stories, pk=pk)
    day = _day(request.POST.get("date"))
    if day is None:
        return _answer(request, 400, "Choose the day to move the story to.", article)
    try:
        when = calendar.moved_to(article, day)
    except OverflowError:  # year 1 or 9999 in another time zone
        return _answer(request, 400, "Choose a day nearer to now.", article)
    try:
        if article.status in roles.IN_PROGRESS:
            article = services.set_due_date(article=article, user=request.user, due_at=when)
            text = f"“{article.headline}” is now due {when:%a %-d %b, %H:%M}."
        else:
            article = services.reschedule(article=article, user=request.user, publish_at=when)
            text = f"“{article.headline}” is now scheduled for {when:%a %-d %b, %H:%M}."
    except PermissionDenied as error:
        return _answer(request, 403, f"Not moved: {error}", article)
    except ValidationError as error:
        return _answer(request, 400, "Not moved: " + " ".join(error.messages), article)
    return _answer(request, 200, text, article, when=when)


def _answer(request, status: int, text: str, article: Article, when=None):
    """JSON for the calendar's script; for a plain form, a message and the calendar again."""
    if "application/json" in request.headers.get("Accept", ""):
        body = {"message": text}
        if when is not None:
            body.update(date=f"{when:%Y-%m-%d}", time=f"{when:%H:%M}")
        return JsonResponse(body, status=status)
    (messages.success if status == 200 else messages.error)(request, text)
    url = reverse("admin:desk_calendar")
    shown = when.date() if when is not None else None
    view = request.POST.get("view") if request.POST.get("view") in VIEWS else "month"
    start = shown or _day(request.POST.get("start"))
    return redirect(f"{url}?view={view}&start={start:%Y-%m-%d}" if start else url)
