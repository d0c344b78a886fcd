"""``{{ note|legal_links }}``: each "Pasal N" or "Lampiran A/B" of Perbup 55/2022 in a
legal note becomes a link to its article on ``/regulasi/``."""

import re

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join

from regulation.provisions import BY_KEY

register = template.Library()

# "Pasal 8", "Lampiran B"; not an article of another law ("UU 27/2022 Pasal 31").
_REFERENCE = re.compile(r"(?<![/\w])(Pasal (\d+)|Lampiran ([AB]))\b")
_OTHER_LAW = re.compile(r"(UU|PP|Permen\w*)\s+(No\.\s*)?\d+/\d{4}\s*$")


@register.filter
def legal_links(note) -> str:
    text = str(note)
    base = reverse("regulation:regulation")
    parts, last = [], 0
    for match in _REFERENCE.finditer(text):
        key = f"pasal-{match[2]}" if match[2] else f"lampiran-{match[3].lower()}"
        if key not in BY_KEY or _OTHER_LAW.search(text[max(0, match.start() - 20) : match.start()]):
            continue
        parts.append(conditional_escape(text[last : match.start()]))
        parts.append(
            format_html('<a href="{}#{}" data-legal="{}">{}</a>', base, key, key, match[1])
        )
        last = match.end()
    parts.append(conditional_escape(text[last:]))
    # Each part is escaped text or a built link; joining keeps them as they are.
    return format_html_join("", "{}", ((part,) for part in parts))
