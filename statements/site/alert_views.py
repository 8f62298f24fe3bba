"""The alerts' pages under /alerts/: subscribe, confirm, unsubscribe and manage (statements.alerts does the work)."""

import functools
import logging
import smtplib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from diplotrack.clients import client_address
from statements import alerts
from statements.models import Alert

logger = logging.getLogger(__name__)


def bad_link(request):
    return render(request, "alerts/bad_link.html", status=400)


def too_many(request):
    response = render(request, "alerts/too_many.html", status=429)
    response["Retry-After"] = str(alerts.RATE_PERIOD)
    return response


def with_token(view):
    """A view reached by a signed link: a link that was changed, cut or has expired gets the 400 page."""

    @functools.wraps(view)
    def wrapper(request, token):
        try:
            return view(request, token)
        except alerts.BadToken:
            return bad_link(request)

    return wrapper


# No CSRF token: there is no session to forge a request in (anyone may ask for an alert, confirmed by email and
# limited per address and per client), and a token would set a cookie on every explorer page that has the form.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    """The form to follow an explorer view by email (its query in a hidden field), and the answer to it."""
    if request.method != "POST":
        given = request.GET.get("query", "")
        context = {"form": alerts.AlertForm(initial={"query": given}), "description": None, "problems": []}
        try:
            context["description"] = alerts.describe(alerts.normalized_query(given))
        except ValidationError as error:
            context["problems"] = error.messages
        return render(request, "alerts/subscribe.html", context)
    # Every request counts against its client's limit, whether or not it can be used.
    if not alerts.within_rate("client", client_address(request) or "", settings.ALERT_REQUESTS_PER_CLIENT):
        return too_many(request)
    form = alerts.AlertForm(request.POST)
    if not form.is_valid():
        return render(request, "alerts/subscribe.html", {"form": form, "description": None}, status=400)
    email, query = form.cleaned_data["email"], form.cleaned_data["query"]
    if not alerts.within_rate("email", email, settings.ALERT_REQUESTS_PER_EMAIL):
        return too_many(request)
    try:
        alerts.request_alert(email, query, form.cleaned_data["frequency"])
    except (smtplib.SMTPException, OSError):
        logger.exception("The confirmation email to an alert's address could not be sent.")
        return render(request, "alerts/subscribe.html", {"form": form, "unsent": True}, status=503)
    context = {"sent_to": email, "description": alerts.describe(query)}
    return render(request, "alerts/subscribe.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@with_token
def confirm(request, token):
    """The confirmation link's page: a button (so that a mail scanner that opens links confirms nothing)."""
    if request.method == "POST":
        alert = alerts.confirm(token)
        return render(request, "alerts/confirm.html", {"alert": alert, "confirmed": True, **links_of(alert)})
    alert, (_, _, frequency) = alerts.alert_of(token, "confirm", alerts.CONFIRM_FOR.total_seconds())
    context = {"alert": alert, "frequency": frequency, "description": alert and alerts.describe(alert.query)}
    return render(request, "alerts/confirm.html", context)


def links_of(alert):
    if alert is None:
        return {}
    return {**alerts.links(alert), "description": alerts.describe(alert.query)}


# Mail programs post the one-click unsubscription (RFC 8058) with no CSRF token: the signed link is the proof.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@with_token
def unsubscribe(request, token):
    """One alert's cancellation: a button on GET, done on POST (the page's, or a mail program's one click)."""
    if request.method == "POST":
        alert = alerts.unsubscribe(token)
        return render(request, "alerts/unsubscribe.html", {"alert": alert, "done": True, **links_of(alert)})
    alert, _ = alerts.alert_of(token, "unsubscribe")
    return render(request, "alerts/unsubscribe.html", {"alert": alert, **links_of(alert)})


@require_http_methods(["GET", "HEAD", "POST"])
@with_token
def manage(request, token):
    """An address's alerts, each with its frequency to change and a button to cancel it."""
    email = alerts.unsign("manage", token)
    if not isinstance(email, str):
        raise alerts.BadToken("not an address's token")
    status, done = 200, None
    if request.method == "POST":
        alert = Alert.objects.filter(email=email, pk=alerts_pk(request.POST.get("alert"))).first()
        action, frequency = request.POST.get("action"), request.POST.get("frequency")
        if alert is None:
            status, done = 400, "That alert is not one of this address's: it may have been cancelled already."
        elif action == "cancel":
            alert.delete()
            done = f"Cancelled: {alerts.describe(alert.query)}."
        elif action == "frequency" and frequency in Alert.Frequency.values:
            Alert.objects.filter(pk=alert.pk).update(frequency=frequency)
            done = f"Now {frequency}: {alerts.describe(alert.query)}."
        else:
            status, done = 400, "Choose daily or weekly, or cancel the alert."
    rows = [
        {"alert": alert, "description": alerts.describe(alert.query), "view_url": alerts.manage_query_url(alert)}
        for alert in Alert.objects.filter(email=email).order_by("created_at", "pk")
    ]
    context = {"email": email, "rows": rows, "done": done, "frequencies": Alert.Frequency.choices}
    return render(request, "alerts/manage.html", context, status=status)


def alerts_pk(value):
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 19 else None
