from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("evaluasi/<int:pk>/", views.evaluation_detail, name="detail"),
    path(
        "evaluasi/<int:pk>/jawaban/<str:code>/<str:level>/",
        views.answer_save,
        name="answer_save",
    ),
    path(
        "evaluasi/<int:pk>/status/<str:name>/",
        views.evaluation_transition,
        name="transition",
    ),
]
