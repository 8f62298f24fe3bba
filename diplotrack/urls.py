from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from statements.admin import view_on_site

# Under /api/, a JSON 404; elsewhere the site's page.
handler404 = "statements.opendata.api.not_found"

urlpatterns = [
    # Before the admin's own: its "View on site" shortcut, for those who may view the record only.
    path("admin/r/<path:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
    # Django's set_language: the language switch, a form that posts the language and the page to return to.
    # Without a CSRF token, so that public pages set no cookie until a visitor chooses: a forged post could only
    # change the language a visitor reads the site in.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include("statements.opendata.urls")),
    path("", include("statements.site.urls")),
]

if settings.DEBUG:
    # The intake's demo feed, which `make run` follows: the site serves it to itself (statements/intake/demo.py).
    urlpatterns.insert(0, path("intake/demo/", include("statements.intake.demo")))
