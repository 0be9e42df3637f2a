from django.urls import path

from . import views

app_name = "hotline"
urlpatterns = [
    path("", views.new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("track/", views.track, name="track"),
    path("hotspots/", views.hotspots, name="hotspots"),
    path("staff/intake/", views.intake, name="intake"),
    path("staff/suggest/", views.suggest, name="suggest"),
    path("staff/queue/", views.queue, name="queue"),
    path("staff/inbox/", views.inbox, name="inbox"),
    path("staff/board/", views.board, name="board"),
    path("staff/orders/<str:receipt_no>/", views.order, name="order"),
    path("staff/knowledge/", views.knowledge, name="knowledge"),
    path("staff/knowledge/<int:pk>/", views.article, name="article"),
]
