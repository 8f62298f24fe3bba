"""Email alerts without an account: an address follows an explorer view, and hears of its new statements.

    AlertForm(data)                    # the address, the frequency and the view's query, normalised (or refused)
    request_alert(email, query, frequency)    # saved unconfirmed; the confirmation email (double opt-in) sent
    confirm(token)                     # the link in that email: confirmed, and followed from now on
    send_digests("daily")              # each confirmed daily alert's new statements, one email each

Only the address, the query and dates are stored. Every link in an email carries a token signed with the site's
SECRET_KEY (django.core.signing): to confirm (for a week), to unsubscribe from one alert, to manage all of an
address's alerts. "New" is "published since the last digest" (Statement.published_at, set by the database when a
statement becomes published), so a statement published late is sent once, whatever its date.
"""

import dataclasses
import hashlib
import itertools
from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as database
from django.db.models import F
from django.db.models.functions import Coalesce, Now
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from statements import present
from statements.models import Alert
from statements.query import ExplorerQuery

CONFIRM_FOR = timedelta(days=7)
# Parameters of an explorer view's URL that choose how it is shown, not which statements: left out of an alert.
NOT_FOLLOWED = ["interval"]
# The statements one digest lists; past them, a link to the view shows the rest.
LISTED = 50
RATE_PERIOD = 3600  # seconds


class BadToken(Exception):
    """A link whose token was not signed here, was changed, or has expired."""


def sign(salt, value):
    return signing.dumps(value, salt=f"statements.alerts.{salt}", compress=True)


def unsign(salt, token, max_age=None):
    try:
        return signing.loads(token, salt=f"statements.alerts.{salt}", max_age=max_age)
    except signing.BadSignature as error:  # SignatureExpired included.
        raise BadToken(str(error)) from error


def normalized_query(text):
    """An explorer view's query string as an alert keeps it: its filters as applied (names resolved to slugs,
    sort and paging left out); ValidationError naming each parameter that cannot be followed."""
    params = QueryDict(text.strip().lstrip("?"), mutable=True)
    for name in NOT_FOLLOWED:
        params.pop(name, None)
    query = ExplorerQuery(params)
    if query.problems:
        raise ValidationError([f"{note}." for note in query.problems], code="bad_query")
    return query.applied_query(exclude=["sort"])


def describe(query):
    """An alert's query for a person: "country=KR, topic=us-alliance", or "all statements"."""
    return ", ".join(f"{name}={value}" for name, value in QueryDict(query).items()) or "all statements"


class AlertForm(forms.Form):
    email = forms.EmailField(label="Your email address", max_length=254)
    frequency = forms.ChoiceField(label="How often", choices=Alert.Frequency.choices, initial=Alert.Frequency.WEEKLY)
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_query(self):
        try:
            return normalized_query(self.cleaned_data["query"])
        except ValidationError as error:
            raise ValidationError(
                ["This view's filters cannot be followed: " + " ".join(error.messages)], code="bad_query"
            ) from error


def within_rate(kind, key, limit):
    """Count one more request for this key in the shared cache; False past `limit` in RATE_PERIOD."""
    name = f"alerts:{kind}:{hashlib.sha256(key.encode()).hexdigest()}"
    cache.add(name, 0, RATE_PERIOD)
    try:
        count = cache.incr(name)
    except ValueError:  # Expired between the two calls.
        cache.set(name, 1, RATE_PERIOD)
        count = 1
    return count <= limit


def absolute(path):
    return settings.SITE_URL + path


def links(alert):
    """The addresses every email about this alert carries: unsubscribe (one click) and manage."""
    unsubscribe = absolute(reverse("alert_unsubscribe", args=[sign("unsubscribe", [alert.pk, alert.email])]))
    manage = absolute(reverse("alert_manage", args=[sign("manage", alert.email)]))
    return {"unsubscribe_url": unsubscribe, "manage_url": manage}


def email(alert, subject, template, context):
    """An email about an alert, with its text and HTML, and the headers of RFC 2369 and RFC 8058 (one click)."""
    context = {"alert": alert, "description": describe(alert.query), **links(alert), **context}
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # A line break in a header is refused: a query's words may hold one.
        body=render_to_string(f"alerts/{template}.txt", context),
        to=[alert.email],
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string(f"alerts/{template}.html", context), "text/html")
    return message


def request_alert(email_address, query, frequency):
    """Save the alert unconfirmed (or find it) and send the confirmation email; the frequency applies on confirming.

    The same email for an alert confirmed already: whoever asked, only the address's owner can change it.
    """
    alert, created = Alert.objects.get_or_create(email=email_address, query=query, defaults={"frequency": frequency})
    if not created and alert.confirmed_at is None:  # Asked again: kept as long as its new link works.
        Alert.objects.filter(pk=alert.pk).update(created_at=Now())
    confirm_url = absolute(reverse("alert_confirm", args=[sign("confirm", [alert.pk, alert.email, frequency])]))
    subject = "Confirm your DiploTrack alert"
    email(alert, subject, "confirm_email", {"confirm_url": confirm_url, "frequency": frequency}).send()
    return alert


def alert_of(token, salt, max_age=None):
    """The alert a confirm or unsubscribe token names (None when it was cancelled since), and the token's value."""
    value = unsign(salt, token, max_age)
    try:
        pk, address = value[0], value[1]
    except (TypeError, IndexError, KeyError) as error:
        raise BadToken("not an alert's token") from error
    return Alert.objects.filter(pk=pk, email=address).first(), value


def confirm(token):
    """Confirm the alert of a confirmation link, at the frequency asked: followed from now on. None if cancelled."""
    alert, (_, _, frequency) = alert_of(token, "confirm", CONFIRM_FOR.total_seconds())
    if alert is not None:
        Alert.objects.filter(pk=alert.pk).update(
            frequency=frequency,
            confirmed_at=Coalesce(F("confirmed_at"), Now()),
            sent_until=Coalesce(F("sent_until"), Now()),
        )
        alert.refresh_from_db()
    return alert


def high_water_mark():
    """The time before which every statement that will ever be published with an earlier published_at is visible.

    published_at is the database's clock when the row is written, never before its transaction began; a
    transaction still open may yet commit statements published after its start. So the mark is now, or the start
    of the oldest transaction open on this database (other than ours), if earlier: read before the statements,
    every transaction that began before it has ended by then, and is seen.
    """
    with database.cursor() as cursor:
        cursor.execute(
            "SELECT least(clock_timestamp(), min(xact_start)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL "
            "AND backend_type = 'client backend'"  # Not autovacuum's: it writes no statement.
        )
        return cursor.fetchone()[0]


@dataclasses.dataclass
class Sent:
    """What one run of send_digests did."""

    alerts: int = 0  # confirmed alerts of the frequency, each considered
    queries: int = 0  # distinct queries run
    emails: int = 0  # digests sent (alerts with something new)


def new_statements(query, since, until):
    """The published statements of an alert's query published from `since` to `until`, newest first: at most
    LISTED + 1 shown (the one more: whether there are more), with their publication times."""
    statements = ExplorerQuery(QueryDict(query)).filtered().filter(published_at__gte=since, published_at__lt=until)
    statements = statements.order_by("-published_at", "-id")[: LISTED + 1]
    return present.page(statements, lists=(), columns=["published_at"], site=settings.SITE_URL)


def digest_items(query, shown):
    """The list of a digest, in text and HTML, rendered once for every alert of the same query and news."""
    context = {
        "statements": shown[:LISTED],
        "more": len(shown) > LISTED,
        "view_url": absolute(f"{reverse('statement_list')}?{query}".rstrip("?")),
    }
    return {
        "items_text": render_to_string("alerts/digest_items.txt", context),
        "items_html": mark_safe(render_to_string("alerts/digest_items.html", context)),  # Escaped by its template.
    }


def send_digests(frequency, *, batch=500):
    """Send each confirmed alert of this frequency the statements published since its last digest: callable from a
    management command (send_alerts), cron or a background task.

    Unconfirmed alerts whose confirmation links have expired are deleted first. Alerts are grouped by query, so
    each distinct query runs once (from the earliest of its alerts' marks); the emails go out through one
    connection, `batch` at a time, and each batch's alerts then move their mark on.
    A failure to send leaves those alerts' marks where they were: the next run sends them again.
    """
    until = high_water_mark()
    # Alerts never confirmed, whose links have expired, are forgotten: their addresses asked for nothing.
    Alert.objects.filter(confirmed_at=None, created_at__lt=timezone.now() - CONFIRM_FOR).delete()
    alerts = Alert.objects.filter(frequency=frequency, confirmed_at__isnull=False).order_by("query", "pk")
    sent, outbox, done = Sent(), [], []
    mailer = get_connection()
    for query, group in itertools.groupby(alerts.iterator(chunk_size=2000), key=lambda alert: alert.query):
        group = list(group)
        sent.alerts += len(group)
        sent.queries += 1
        since = min(alert.sent_until or alert.confirmed_at for alert in group)
        shown = new_statements(query, since, until)
        rendered = {}  # By the alert's own mark: most alerts of a query share one.
        for alert in group:
            mark = alert.sent_until or alert.confirmed_at
            if mark not in rendered:
                news = [statement for statement in shown if statement.row["published_at"] >= mark]
                rendered[mark] = (len(news), digest_items(query, news) if news else None)
            count, items = rendered[mark]
            if count:
                more = "+" if count > LISTED else ""
                subject = f"DiploTrack: {min(count, LISTED)}{more} new statement{'s' if count != 1 else ''}"
                outbox.append((alert.pk, email(alert, f"{subject} for {describe(query)}"[:200], "digest", items)))
            done.append(alert.pk)
            if len(outbox) >= batch:
                sent.emails += flush(mailer, outbox, done, until)
    sent.emails += flush(mailer, outbox, done, until)
    return sent


def flush(mailer, outbox, done, until):
    """Send the emails waiting ((alert id, message) pairs), then move on the marks of the alerts considered (ids);
    both lists emptied."""
    count = (mailer.send_messages([message for _, message in outbox]) or 0) if outbox else 0
    Alert.objects.filter(pk__in=done).update(sent_until=until)
    Alert.objects.filter(pk__in=[pk for pk, _ in outbox]).update(last_sent_at=timezone.now())
    outbox.clear()
    done.clear()
    return count


def unsubscribe(token):
    """Cancel the alert of an unsubscribe link; the alert (now deleted), or None if it was gone already."""
    alert, _ = alert_of(token, "unsubscribe")
    if alert is not None:
        Alert.objects.filter(pk=alert.pk).delete()
    return alert


def manage_query_url(alert):
    """The explorer view an alert follows."""
    return f"{reverse('statement_list')}?{alert.query}".rstrip("?")


def subscribe_url(query):
    return f"{reverse('alert_subscribe')}?{urlencode({'query': query})}"
