"""Word-level differences between two texts, as HTML with <ins> and <del>, for people."""

import difflib
import html
import re

import nh3
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe

_WORDS = re.compile(r"\s+|\w+|[^\w\s]")


def as_text(value) -> str:
    """A field's value as plain words: rich text loses its markup, paragraphs kept apart."""
    if value is None:
        return ""
    text = str(value)
    if "<" in text and ">" in text:
        text = re.sub(r"</(p|h\d|li|blockquote|figcaption)>|<br\s*/?>", "\n\n", text)
        text = html.unescape(nh3.clean(text, tags=set(), attributes={}))
        text = re.sub(r"[ \t]+", " ", re.sub(r"\n\s*\n\s*", "\n\n", text))
    return text.strip()


def word_diff(old, new) -> SafeString:
    """`new` against `old`, word by word: removed words in <del>, added ones in <ins>."""
    before, after = _WORDS.findall(as_text(old)), _WORDS.findall(as_text(new))
    parts = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(before[a1:a2])))
            continue
        if a2 > a1:
            parts.append(format_html_join("", "<del>{}</del>", [("".join(before[a1:a2]),)]))
        if b2 > b1:
            parts.append(format_html_join("", "<ins>{}</ins>", [("".join(after[b1:b2]),)]))
    return mark_safe("".join(str(part) for part in parts))  # every piece escaped above
