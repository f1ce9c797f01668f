"""The demo newsroom's own pages (About, Masthead, policies, Contact and tips): published by
the pages' services, linked in the footer by the menus' service, and named as the
organisation's policies in the site settings. Each step leaves alone what is already there,
so loading again changes nothing. The words are in demo_pages.py."""

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from articles.services import SYSTEM
from menus import services as menus
from menus.models import Menu, MenuItem, Place
from pages import services as page_services
from pages.models import Page

from . import demo_content, demo_pages
from .models import SiteSettings


def load(*, log: Callable[[str], None]) -> dict[str, Page]:
    """The pages by address, each published if it was not there; then the footer's links."""
    pages = {data["slug"]: _page(data, log) for data in demo_pages.PAGES}
    _link_in_footer(pages, log)
    return pages


def name_in_settings(pages: dict[str, Page]) -> bool:
    """Name the demo's policy pages in the site settings where no page is named yet (the
    organisation's JSON-LD, the corrections policy links). Whether anything was named."""
    site = SiteSettings.get_solo()
    named = [
        field for field, path in demo_content.POLICY_PAGES.items()
        if path in pages and getattr(site, f"{field}_id") is None
    ]  # fmt: skip
    for field in named:
        setattr(site, field, pages[demo_content.POLICY_PAGES[field]])
    if named:
        site.save()
    return bool(named)


def _page(data: dict, log) -> Page:
    page = Page.objects.filter(path=data["slug"]).first()
    if page is not None:
        return page
    page = Page(
        slug=data["slug"],
        title=data["title"],
        seo_description=data["seo_description"],
        body="".join(text if text.startswith("<") else f"<p>{text}</p>" for text in data["body"]),
        last_reviewed=timezone.localdate() - timedelta(days=demo_pages.REVIEWED_DAYS_AGO),
    )
    page_services.save_page(page=page, user=SYSTEM, comment="Loaded with the demo newsroom")
    published_at = timezone.now() - timedelta(days=demo_pages.PUBLISHED_DAYS_AGO)
    page_services.publish_page(page=page, user=SYSTEM, at=published_at)
    log(f"Page: {page.title}")
    return page


def _link_in_footer(pages: dict[str, Page], log) -> None:
    """The pages after the footer's own links; a page already in the footer (by a previous
    load or by hand) is left alone."""
    menus.create_missing_menus()  # a test database flushed after the migrations made them
    footer = Menu.objects.get(name=Place.FOOTER)
    items = list(footer.items.all())
    present = {item.page_id for item in items}
    last = max((item.order for item in items), default=0)
    missing = [
        (pages[path], label) for path, label in demo_pages.FOOTER
        if path in pages and pages[path].pk not in present
    ]  # fmt: skip
    if not missing:
        return
    for step, (page, label) in enumerate(missing, start=1):
        items.append(MenuItem(page=page, label=label, order=last + step * 10))
    menus.save_menu(menu=footer, items=items, user=SYSTEM)
    log(f"Footer: {', '.join(label for _, label in missing)}")
