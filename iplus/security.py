import logging
from http import HTTPStatus

from django.conf import settings
from django.shortcuts import render


def client_ip(request):
    """The visitor's address for login throttling.

    Behind our reverse proxy every request comes from the proxy; the proxy appends the address it saw
    to X-Forwarded-For, so the right-most entry is the one a visitor cannot forge.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response, credentials):
    """The page a locked-out sign-in gets: what happened and when to try again."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "admin/lockout.html", context, status=HTTPStatus.TOO_MANY_REQUESTS)


class OneLineFormatter(logging.Formatter):
    """A log record without its traceback."""

    def formatException(self, ei):
        return ""
