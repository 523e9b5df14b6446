from django.urls import path

from diversion.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.index, name="index"),
    path("runs/", views.runs, name="runs"),
    path("dry-run/", views.dry_run, name="dry-run"),
    path("<str:code>/", views.schedule, name="schedule"),
    path("<str:code>/records/", views.records, name="records"),
    path("<str:code>/records.pdf", views.records_pdf_download, name="records-pdf"),
    path("<str:code>/<str:kind>/", views.schedule_edit, name="schedule-edit"),
]
