from django.contrib import admin
from django.urls import include, path

from hotline import wechat
from ledger.views import ledger_page
from licenses import views as license_views
from portal import views as portal_views

from .api import api

urlpatterns = [
    path("", include("portal.urls")),
    path("accounts/", include("accounts.urls")),
    path("services/", include("catalog.urls")),
    path("cases/", include("cases.urls")),
    path("licenses/", include("licenses.urls")),
    path("ratings/", include("ratings.urls")),
    path("open311/v2/", include("hotline.urls")),
    path("hotline/", include("hotline.page_urls")),
    path("wechat/callback", wechat.callback, name="wechat_callback"),
    path(".well-known/jwks.json", license_views.jwks, name="jwks"),
    path("ledger/", ledger_page, name="ledger"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("healthz", portal_views.healthz, name="healthz"),
    path("metrics", portal_views.metrics, name="metrics"),
]

handler404 = "portal.views.not_found"
handler500 = "portal.views.server_error"
