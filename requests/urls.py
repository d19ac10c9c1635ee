from django.urls import path

from requests import views

app_name = "requests"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/upload/", views.upload, name="upload"),
    path("<int:pk>/photos/", views.photos_update, name="photos_update"),
    path("<int:pk>/preview/", views.preview, name="preview"),
    path("<int:pk>/memo.pdf", views.memo, name="memo"),
    path("<int:pk>/copy/", views.copy, name="copy"),
    path("<int:pk>/files/<int:attachment_id>/", views.attachment, name="attachment"),
    path(
        "<int:pk>/files/<int:attachment_id>/thumb/",
        views.attachment_thumb,
        name="attachment_thumb",
    ),
    path(
        "<int:pk>/files/<int:attachment_id>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("<int:pk>/photos/<int:photo_id>/delete/", views.photo_delete, name="photo_delete"),
    path("<int:pk>/photos/<int:photo_id>/<str:size>/", views.photo, name="photo"),
]
