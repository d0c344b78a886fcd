from django.http import HttpRequest

from .models import Notification


def unread(request: HttpRequest) -> dict[str, int]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return {"unread_notifications": count}
