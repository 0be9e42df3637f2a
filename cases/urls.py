from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.my_cases, name="list"),
    path("track/", views.track, name="track"),
    path("apply/<str:code>/", views.apply, name="apply"),
    path("<str:receipt_no>/", views.detail, name="detail"),
]
