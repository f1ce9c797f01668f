"""Word-level differences between two texts, as HTML with <ins> and <del>, for people."""

import difflib
import html
import re

import nh3
from django.utils.html import escape, format_html
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


def word_diff(old, new, *, context_words: int | None = None) -> SafeString:
    """`new` against `old`, word by word: removed words in <del>, added ones in <ins>.

    With `context_words`, a long unchanged run keeps only that many words at each end."""
    before, after = _WORDS.findall(as_text(old)), _WORDS.findall(as_text(new))
    parts = []
    opcodes = difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes()
    for n, (op, a1, a2, b1, b2) in enumerate(opcodes):
        if op == "equal":
            run = _shorten(before[a1:a2], context_words, n == 0, n == len(opcodes) - 1)
            parts.append(escape(run))
            continue
        if a2 > a1:
            parts.append(_marked("del", before[a1:a2]))
        if b2 > b1:
            parts.append(_marked("ins", after[b1:b2]))
    return mark_safe("".join(str(part) for part in parts))  # every piece escaped above


def _marked(tag: str, tokens: list[str]) -> str:
    """Changed words in <ins> or <del>, the spaces around them left outside."""
    text = "".join(tokens)
    core = text.strip()
    if not core:
        return escape(text)
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return escape(lead) + format_html("<{}>{}</{}>", tag, core, tag) + escape(trail)


def _shorten(tokens: list[str], keep: int | None, first: bool, last: bool) -> str:
    words = [i for i, token in enumerate(tokens) if not token.isspace()]
    if keep is None or len(words) <= 2 * keep:
        return "".join(tokens)
    head = "" if first else "".join(tokens[: words[keep - 1] + 1])
    tail = "" if last else "".join(tokens[words[-keep] :])
    return f"{head} … {tail}".strip() + (" " if not last else "")


def paragraph_diff(old, new) -> SafeString:
    """`new` against `old` as rendered text, word by word, one <p> per paragraph of the new
    text (a deleted paragraph keeps its own), so a long story's changes read in place."""
    before, after = _WORDS.findall(as_text(old)), _WORDS.findall(as_text(new))
    marked: list[tuple[str, str]] = []  # (how, token): "", "ins" or "del"
    opcodes = difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes()
    for op, a1, a2, b1, b2 in opcodes:
        if op == "equal":
            marked += [("", token) for token in after[b1:b2]]
            continue
        marked += [("del", token) for token in before[a1:a2]]
        marked += [("ins", token) for token in after[b1:b2]]
    paragraphs: list[list[tuple[str, str]]] = [[]]
    for how, token in marked:
        if "\n\n" in token and how != "del":
            paragraphs.append([])
        elif not token.isspace() or paragraphs[-1]:
            paragraphs[-1].append((how, " " if token.isspace() else token))
    return mark_safe(  # every piece escaped by _run
        "".join(f"<p>{_run(paragraph)}</p>" for paragraph in paragraphs if paragraph)
    )


def _run(tokens: list[tuple[str, str]]) -> str:
    """One paragraph's tokens, with neighbouring changed words in one <ins> or <del>."""
    parts, current, words = [], None, []

    def flush():
        text = "".join(words)
        parts.append(_marked(current, [text]) if current else escape(text))

    for how, token in tokens:
        if token.isspace() and current and how != current:
            how = current  # a space between two changed words stays with them
        if how != current and words:
            flush()
            words = []
        current = how
        words.append(token)
    if words:
        flush()
    return "".join(str(part) for part in parts).strip()
