from django.urls import path

from critiques import views

app_name = "critiques"

urlpatterns = [
    path("", views.CritiqueListView.as_view(), name="list"),
    path("<slug:slug>/", views.CritiqueDetailView.as_view(), name="detail"),
]
