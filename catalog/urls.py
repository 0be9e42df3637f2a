from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.services_home, name="home"),
    path("search/", views.search, name="search"),
    path("browse/", views.browse, name="browse"),
    path("items/<str:code>/", views.guide, name="guide"),
    path("items/<str:code>/apply/", views.apply, name="apply"),
    path("bundles/<slug:code>/", views.bundle, name="bundle"),
]
