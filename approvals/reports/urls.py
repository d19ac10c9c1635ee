from django.urls import path

from approvals.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:year>/<str:period>/", views.report, name="report"),
    path("<int:year>/<str:period>/report.pdf", views.report_pdf, name="pdf"),
    path("<int:year>/<str:period>/report.xlsx", views.report_xlsx_view, name="xlsx"),
    path("<int:year>/<str:period>/<slug:table>.csv", views.report_csv, name="csv"),
    path("<int:year>/<str:period>/units/<int:unit_id>/", views.narrative, name="narrative"),
    path("<int:year>/<str:period>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:year>/<str:period>/reopen/", views.reopen, name="reopen"),
    path("<int:year>/<str:period>/publish-request/", views.publish_request, name="publish_request"),
]
