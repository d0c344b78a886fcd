"""``{{ status|badge_class }}``: the Bootstrap badge of an inquiry status
(:func:`inquiries.display.badge_class`)."""

from django import template

from inquiries.display import badge_class

register = template.Library()
register.filter("badge_class", badge_class)
