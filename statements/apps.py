from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "statements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        from statements.curation.logins import tell_of_failed_logins

        # Ahead of Django's own receiver, which sets last_login to now: the notice counts from the login before.
        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(tell_of_failed_logins, dispatch_uid="tell_of_failed_logins")
        user_logged_in.connect(update_last_login, dispatch_uid="update_last_login")
