"""``{{ status|badge_class }}``: the Bootstrap badge of an inquiry status, so a list row
shows it inline instead of including a template fragment per row."""

from django import template

register = template.Library()

BADGE_CLASSES = {
    "recorded": "text-bg-secondary",
    "forwarded": "text-bg-warning",
    "replied": "text-bg-info",
    "dismissed": "text-bg-dark",
}


@register.filter
def badge_class(status: str) -> str:
    return BADGE_CLASSES.get(status, "text-bg-success")
