from django.urls import path

from diversion.evaluation import import_views, views

app_name = "evaluation"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("table.csv", views.download_csv, name="table-csv"),
    path("report.pdf", views.download_pdf, name="report-pdf"),
    path("extract/", views.extract, name="extract"),
    path("methods/", views.methods, name="methods"),
    path("compare/", views.compare, name="compare"),
    path("imports/", import_views.imports, name="imports"),
]
