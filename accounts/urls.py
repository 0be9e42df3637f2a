from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("register/", views.register_view, name="register"),
    path("2fa/", views.otp_view, name="otp"),
    path("notifications/", views.notifications_view, name="notifications"),
    path("my-data/", views.data_access_view, name="data_access"),
]
