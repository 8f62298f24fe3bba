from django.urls import path, re_path

from statements.site import alert_views, views

urlpatterns = [
    path("", views.statement_list, name="home"),
    path("statements/", views.statement_list, name="statement_list"),
    path("statements/timeline/", views.statement_timeline, name="statement_timeline"),
    path("statements/<int:pk>/", views.statement_detail, name="statement_detail"),
    # Before the statement's own address, whose slug "embed" could be.
    path("statements/<int:pk>/embed/", views.statement_embed, name="statement_embed"),
    path("statements/<int:pk>/<slug:slug>/", views.statement_detail, name="statement_detail"),
    re_path(
        r"^statements/(?P<pk>[0-9]+)/cite\.(?P<format>bib|ris|json)$", views.statement_cite, name="statement_cite"
    ),
    path("officials/", views.official_list, name="official_list"),
    path("officials/suggestions/", views.official_suggestions, name="official_suggestions"),
    path("officials/<slug:slug>/", views.official_detail, name="official_detail"),
    path("officials/<slug:slug>/timeline/", views.official_timeline, name="official_timeline"),
    path("officials/<slug:slug>/photo/", views.official_photo, name="official_photo"),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("topics/<slug:slug>/timeline/", views.topic_timeline, name="topic_timeline"),
    path("countries/", views.country_list, name="country_list"),
    path("countries/<str:code>/", views.country_detail, name="country_detail"),
    path("countries/<str:code>/timeline/", views.country_timeline, name="country_timeline"),
    path("sources/<int:pk>/", views.source_detail, name="source_detail"),
    path("compare/", views.compare_view, name="compare"),
    path("oembed/", views.oembed, name="oembed"),
    path("alerts/subscribe/", alert_views.subscribe, name="alert_subscribe"),
    path("alerts/confirm/<str:token>/", alert_views.confirm, name="alert_confirm"),
    path("alerts/unsubscribe/<str:token>/", alert_views.unsubscribe, name="alert_unsubscribe"),
    path("alerts/manage/<str:token>/", alert_views.manage, name="alert_manage"),
]
