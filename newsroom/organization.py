"""The newsroom as search engines and platforms read it: schema.org `NewsMediaOrganization`
JSON-LD on every page, naming the Trust Project's policies (each one a page of ours, named in
the site settings), the social profiles, the founding date, the logo and how to reach us."""

from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from caching.keys import once, show
from caching.values import remember
from media.models import Image
from pages.models import Page

from .models import SiteSettings

# Site settings field -> the schema.org property of NewsMediaOrganization it fills.
POLICIES = {
    "masthead_page": "masthead",
    "publishing_principles_page": "publishingPrinciples",
    "ethics_policy_page": "ethicsPolicy",
    "corrections_policy_page": "correctionsPolicy",
    "ownership_funding_page": "ownershipFundingInfo",
    "diversity_policy_page": "diversityPolicy",
    "unnamed_sources_policy_page": "unnamedSourcesPolicy",
    "verification_policy_page": "verificationFactCheckingPolicy",
    "feedback_policy_page": "actionableFeedbackPolicy",
    "coverage_priorities_page": "missionCoveragePrioritiesPolicy",
    "no_bylines_policy_page": "noBylinesPolicy",
}
DEFAULT_LOGO = "newsroom/logo.png"


def facts() -> dict:
    """What the organisation's JSON-LD needs from the database, as plain values: the live
    policy pages ({property: (path, title)}) and the logo ((url, width, height) or None).
    Read once a page, remembered until a policy page, the logo or the settings change."""
    site = SiteSettings.get_solo()
    if site.logo_id is None and not any(getattr(site, f"{f}_id") for f in POLICIES):
        return {"policies": {}, "logo": None}  # nothing to look up: no trip to the cache
    return once("organization", lambda: remember("organization", _work_out_facts))


def _work_out_facts() -> dict:
    site = SiteSettings.get_solo()
    chosen = {prop: getattr(site, f"{field}_id") for field, prop in POLICIES.items()}
    chosen = {prop: pk for prop, pk in chosen.items() if pk is not None}
    policies = {}
    if chosen:
        # Every chosen page is loaded, live or not, so the value names each one's key: a
        # draft policy that is published later drops it (caching.keys).
        pages = {page.pk: page for page in Page.objects.filter(pk__in=chosen.values())}
        live = set(Page.objects.live().filter(pk__in=pages).values_list("pk", flat=True))
        policies = {
            prop: (pages[pk].get_absolute_url(), pages[pk].title)
            for prop, pk in chosen.items()
            if pk in live
        }
        # No write announces that a time has come: the value lasts until the next one.
        show(until=_next_change(pages.values(), live))
    logo = None
    if site.logo_id is not None:
        image = Image.objects.filter(pk=site.logo_id).first()
        if image is not None and image.file and image.is_usable():
            logo = (image.file.url, image.width, image.height)
    return {"policies": policies, "logo": logo}


def _next_change(pages, live: set) -> float | None:
    """The earliest time a chosen page joins or leaves the site by itself."""
    now = timezone.now()
    times = [page.unpublish_at for page in pages if page.pk in live and page.unpublish_at]
    times += [
        page.publish_at
        for page in pages
        if page.pk not in live and page.publish_at and page.publish_at > now
    ]
    return min(times).timestamp() if times else None


def policy_url(prop: str) -> str | None:
    """The address of the live page set for a policy (`correctionsPolicy`), else None."""
    found = facts()["policies"].get(prop)
    return found[0] if found else None


def organization_id(request) -> str:
    return request.build_absolute_uri(reverse("articles:home")) + "#organization"


def logo(request) -> dict:
    """The logo as an ImageObject: the one chosen in the settings, else the site's own. One
    node (@id) however often a page names it (the organisation, a story's publisher)."""
    chosen = facts()["logo"] or (static(DEFAULT_LOGO), None, None)
    url, width, height = chosen
    found = {
        "@type": "ImageObject",
        "@id": request.build_absolute_uri(reverse("articles:home")) + "#logo",
        "url": request.build_absolute_uri(url),
    }
    return found | ({"width": width, "height": height} if width and height else {})


def publisher(request) -> dict:
    """The organisation as a story's publisher: the same node (@id) as the page's own."""
    site = SiteSettings.get_solo()
    return {
        "@type": "NewsMediaOrganization",
        "@id": organization_id(request),
        "name": site.site_name,
        "url": request.build_absolute_uri(reverse("articles:home")),
        "logo": logo(request),
    }


def contact_point(request) -> dict | None:
    """How readers reach the newsroom: the contact form. Never the address its messages are
    mailed to (SiteSettings.contact_email is private: readers never see it)."""
    try:
        url = request.build_absolute_uri(reverse("contact:form"))
    except NoReverseMatch:  # the contact form is not installed
        return None
    return {"@type": "ContactPoint", "contactType": "editorial", "url": url}


def organization(request) -> dict:
    """schema.org NewsMediaOrganization for every page."""
    site = SiteSettings.get_solo()
    absolute = request.build_absolute_uri
    data = {
        "@context": "https://schema.org",
        **publisher(request),
        "legalName": site.legal_name,
        "foundingDate": site.founding_date.isoformat() if site.founding_date else None,
        "sameAs": [url for _network, url in site.social_links],
        "contactPoint": contact_point(request),
    }
    data |= {prop: absolute(path) for prop, (path, _title) in facts()["policies"].items()}
    return {key: value for key, value in data.items() if value not in (None, [], "")}
