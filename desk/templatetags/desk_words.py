"""Page titles in newsroom words: the admin's "Select story to change" is "Stories"."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_title(context) -> str:
    """The page's title as staff say it, for the admin's stock lists and forms."""
    title = str(context.get("title") or "")
    opts = context.get("opts")
    if opts is None:
        return title
    if context.get("cl") is not None and title.startswith("Select "):
        return str(opts.verbose_name_plural)[:1].upper() + str(opts.verbose_name_plural)[1:]
    name = str(opts.verbose_name)
    if "add" in context and "has_change_permission" in context and not context.get("add"):
        if context.get("has_change_permission"):
            return f"Edit {name}"
        return f"{name[:1].upper()}{name[1:]} (read only)"
    return title
