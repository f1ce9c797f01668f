from django.urls import path

from . import views

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("preview/<str:token>/", views.shared_preview, name="shared-preview"),
    path("<slug:section>/<slug:slug>/", views.article_detail, name="detail"),
]
