"""What every app's views share of HTTP."""

from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe


def read_only(view):
    """GET and HEAD only: other methods get a 405 with Allow, not the CSRF check's 403 (there is nothing to forge)."""
    return csrf_exempt(require_safe(view))
