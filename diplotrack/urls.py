from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from statements.admin import view_on_site
from statements.api import urls as api_urls

# Swagger UI's page has a <style> element and its CSS data: images; its scripts are files, as everywhere else.
# GET only: its HTML renderer has no template for the OPTIONS answer, which would be a 500.
swagger_ui = csp_update({"style-src": [UNSAFE_INLINE], "img-src": ["data:"]})(
    SpectacularSwaggerSplitView.as_view(url_name="api_schema", http_method_names=["get", "head"])
)

handler404 = "statements.api.not_found"

urlpatterns = [
    # Before the admin's own: its "View on site" shortcut, for those who may view the record only.
    path("admin/r/<path:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", swagger_ui, name="api_docs"),
    path("api/", include((api_urls, "api"))),
    path("", include("statements.urls")),
]
