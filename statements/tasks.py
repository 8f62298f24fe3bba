"""The alerts' digests, sent by the background worker (procrastinate on our own PostgreSQL, as the intake's tasks):
the daily ones every morning, the weekly ones on Monday mornings, UTC. A digest sends what was published since each
alert's last one (statements.alerts.send_digests), so a run missed or run twice sends each statement once.
`manage.py send_alerts --frequency daily|weekly` does the same by hand, or from cron.
"""

import logging

from procrastinate.contrib.django import app

from statements import alerts

logger = logging.getLogger(__name__)


@app.periodic(cron="0 6 * * *", periodic_id="alerts-daily")
@app.task(name="alerts.daily", queueing_lock="alerts-daily")
def send_daily_digests(timestamp: int):
    logger.info("alerts: %s", alerts.send_digests("daily"))


@app.periodic(cron="0 6 * * 1", periodic_id="alerts-weekly")
@app.task(name="alerts.weekly", queueing_lock="alerts-weekly")
def send_weekly_digests(timestamp: int):
    logger.info("alerts: %s", alerts.send_digests("weekly"))
