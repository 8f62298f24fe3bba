"""Curators' logins: after one, the failed attempts on their username since the one before, from django-axes' record.

Only the curator sees the addresses, on their own account; the logs never hold them (see the README).
"""

from axes.models import AccessFailureLog
from django.contrib import messages
from django.db.models import Count, Max
from django.template.defaultfilters import pluralize
from django.utils.dateformat import format as date_format
from django.utils.timezone import localtime

SHOWN_ADDRESSES = 10


def tell_of_failed_logins(sender, request, user, **kwargs):
    """A notice of the failed logins on the username since the last login: how many, from which address, when."""
    failures = AccessFailureLog.objects.filter(username=user.get_username())
    if user.last_login:
        failures = failures.filter(attempt_time__gt=user.last_login)
    by_address = failures.values("ip_address").annotate(count=Count("pk"), last=Max("attempt_time")).order_by("-last")
    shown = [described(row) for row in by_address[:SHOWN_ADDRESSES]]
    if not shown:
        return
    if len(shown) == SHOWN_ADDRESSES and (others := by_address.count() - SHOWN_ADDRESSES):
        shown.append(f"and {others} other address{pluralize(others, 'es')}")
    total = failures.count()
    text = f"Since your last login, {total} failed login{pluralize(total)} on your username: {'; '.join(shown)}."
    messages.warning(request, text)


def described(row):
    """One address's failures: '203.0.113.9 (3, the last on 4 Dec 2026 at 19:14 UTC)'."""
    when = date_format(localtime(row["last"]), r"j M Y \a\t H:i T")
    if row["count"] == 1:
        return f"{row['ip_address']} (on {when})"
    return f"{row['ip_address']} ({row['count']}, the last on {when})"
