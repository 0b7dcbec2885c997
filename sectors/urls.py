from django.urls import path

from sectors import views

app_name = "sectors"

urlpatterns = [
    path("", views.SectorListView.as_view(), name="list"),
    path("<slug:slug>/", views.SectorDetailView.as_view(), name="detail"),
]
