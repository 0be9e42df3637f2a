from django.urls import path

from . import views

app_name = "ratings"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("mine/", views.mine, name="mine"),
    path("events/<int:pk>/", views.rate, name="rate"),
    path("rate/<str:token>/", views.rate_by_token, name="rate_by_token"),
    path("pad/<int:window>/", views.pad, name="pad"),
    path("staff/", views.staff_dashboard, name="staff_dashboard"),
    path("staff/behind/", views.behind, name="behind"),
    path("staff/report/", views.report, name="report"),
    path("staff/rectifications/", views.rectifications, name="rectifications"),
    path("staff/rectifications/<int:pk>/", views.rectification, name="rectification"),
]
