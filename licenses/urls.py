from django.urls import path

from . import views

app_name = "licenses"
urlpatterns = [
    path("wallet/", views.wallet, name="wallet"),
    path("verify/", views.verify, name="verify"),
    path("shared/<str:token>/", views.shared, name="shared"),
    path("<str:number>/print/", views.printable, name="print"),
    path("<str:number>/download/", views.download, name="download"),
    path("<str:number>/share/", views.share, name="share"),
]
