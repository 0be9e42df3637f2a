from django.urls import path

from . import charge_views, staff_views, views

app_name = "cases"
urlpatterns = [
    path("", views.my_cases, name="list"),
    path("track/", views.track, name="track"),
    path("statistics/", views.statistics, name="statistics"),
    path("apply/<str:code>/", views.apply, name="apply"),
    path("staff/", staff_views.inbox, name="staff_inbox"),
    path("staff/overdue/", staff_views.overdue, name="staff_overdue"),
    path("staff/search/", staff_views.search, name="staff_search"),
    path("staff/intake/", staff_views.intake, name="staff_intake"),
    path("staff/cases/<str:receipt_no>/", staff_views.case, name="staff_case"),
    path(
        "staff/cases/<str:receipt_no>/licenses/<int:pk>/",
        staff_views.verified_license,
        name="verified_license",
    ),
    path("staff/tasks/<int:pk>/<str:action>/", staff_views.task_action, name="task_action"),
    path("charges/", charge_views.charge_window, name="charge_window"),
    path("charges/reconciliation/", charge_views.reconciliation, name="reconciliation"),
    path("payments/sandbox/<str:txn>/", charge_views.sandbox_pay, name="sandbox_pay"),
    path("receipts/<str:receipt_no>/", charge_views.receipt, name="receipt_check"),
    path("receipts/<str:receipt_no>/pdf/", charge_views.receipt_download, name="receipt_pdf"),
    path("<str:receipt_no>/pay/", charge_views.pay_online, name="pay_online"),
    path("<str:receipt_no>/withdraw/", charge_views.withdraw, name="withdraw"),
    path("<str:receipt_no>/materials/<int:pk>/", views.material, name="material"),
    path("<str:receipt_no>/", views.detail, name="detail"),
]
