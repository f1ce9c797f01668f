from django.urls import path

from . import views

app_name = "contact"
urlpatterns = [
    path("", views.contact_form, name="form"),
    path("thanks/", views.thanks, name="thanks"),
]
