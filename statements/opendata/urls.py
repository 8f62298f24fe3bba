"""The open data's addresses: the JSON API with its schema and documentation, the Atom feeds, the downloads."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from statements.opendata import api, exports, feeds

# Swagger UI's page has a <style> element and its CSS data: images; its scripts are files, as everywhere else.
# GET only: its HTML renderer has no template for the OPTIONS answer, which would be a 500.
swagger_ui = csp_update({"style-src": [UNSAFE_INLINE], "img-src": ["data:"]})(
    SpectacularSwaggerSplitView.as_view(url_name="api_schema", http_method_names=["get", "head"])
)

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", swagger_ui, name="api_docs"),
    path("api/", include((api.urls, "api"))),
    path("feeds/statements/", feeds.StatementFeed(), name="statement_feed"),
    path("officials/<slug:slug>/feed/", feeds.OfficialFeed(), name="official_feed"),
    path("topics/<slug:slug>/feed/", feeds.TopicFeed(), name="topic_feed"),
    path("countries/<str:code>/feed/", feeds.CountryFeed(), name="country_feed"),
    path("statements/export.csv", exports.statements_csv, name="statements_csv"),
    path("statements/timeline.csv", exports.timeline_csv, name="timeline_csv"),
    path("statements/timeline.json", exports.timeline_json, name="timeline_json"),
    path("export/popolo.json", exports.popolo, name="popolo"),
]
