from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("halls/", views.halls, name="halls"),
    path("workbench/", views.workbench, name="workbench"),
    path("language/", views.set_language, name="set_language"),
    path("elderly/", views.toggle_elderly, name="elderly"),
]
