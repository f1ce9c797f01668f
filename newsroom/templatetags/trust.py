"""The newsroom's signals of trust in templates: its JSON-LD, the links to its policies."""

from django import template

from newsroom import organization

from .seo import json_ld

register = template.Library()


@register.simple_tag(takes_context=True)
def organization_json_ld(context) -> str:
    """The NewsMediaOrganization JSON-LD, in the head of every page."""
    return json_ld(organization.organization(context["request"]))


@register.simple_tag
def policy_url(prop: str) -> str | None:
    """`{% policy_url "correctionsPolicy" as url %}`: the live policy page's address, or None."""
    return organization.policy_url(prop)
