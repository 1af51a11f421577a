"""Brainwriting's URLs. The core mounts them (intersector/workshops/urls.py) in the namespace
workshops:brainwriting: phones' under w/<code>/brainwriting/, facilitators' under
convene/<pk>/items/<item_pk>/brainwriting/."""

from django.urls import path

from intersector.workshops.activities.brainwriting import views

participant_urls = [
    path("notes/", views.add_note, name="add_note"),
    path("notes/<int:note_pk>/edit/", views.edit_note, name="edit_note"),
    path("notes/<int:note_pk>/delete/", views.delete_note, name="delete_note"),
    path("votes/", views.vote, name="vote"),
    path("themes/<int:theme_pk>/notes/", views.theme_notes, name="theme_notes"),
]

facilitator_urls = [
    path("settings/", views.settings_view, name="settings"),
    path("round/", views.round_view, name="round"),
    path("themes/", views.themes_page, name="themes"),
    path("themes/panel/", views.themes_panel, name="themes_panel"),
    path("themes/job/", views.themes_job, name="themes_job"),
    path("themes/make/", views.themes_make, name="themes_make"),
    path("themes/edit/", views.themes_edit, name="themes_edit"),
]
