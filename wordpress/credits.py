"""Finding the photo credit that WordPress newsrooms type into captions.

WordPress has no credit field, so credits live at the end of captions, in the forms agencies
require: "(Photo: Jane Doe/AP)", "Credit: Handout", "Photo by Jane Doe", or a last sentence
such as "Alex Edelman/Pool via REUTERS". Here they become the image's credit, which our site
shows with the picture everywhere, and the caption keeps the rest.
"""

import re

_LABELLED = re.compile(
    r"[\s(\[–—|-]*\b(?:photo(?:graph)?s?|images?|pictures?|illustrations?|credits?|"
    r"photo credit)(?:\s+by\s+|\s*:\s*)(?P<credit>[^()\[\]]+?)[)\]]?\.?\s*$",
    re.IGNORECASE,
)
_AGENCIES = r"REUTERS|Reuters|AFP|AP Photo|Associated Press|EPA|Getty Images|Bloomberg|Pool"
_AGENCY_SENTENCE = re.compile(
    rf"(?:^|(?<=[.!?])\s+)(?P<credit>[^.!?]*(?:\S/\S|\bvia\b|\b(?:{_AGENCIES})\b)[^.!?]*?)\.?\s*$"
)


def split_credit(caption: str) -> tuple[str, str]:
    """(caption without its credit, credit); the credit is "" when none is recognised."""
    text = (caption or "").strip()
    match = _LABELLED.search(text) or _AGENCY_SENTENCE.search(text)
    if not match or "<" in match.group("credit") or len(match.group("credit")) > 200:
        return text, ""
    return text[: match.start()].strip(), match.group("credit").strip()


def credit_from(*texts: str) -> str:
    """The first credit found in these texts (an attachment's caption, then description)."""
    for text in texts:
        credit = split_credit(text)[1]
        if credit:
            return credit[:255]
    return ""
