from django.urls import path

from .views import admin as views_admin
from .views import admin_followup, admin_survey, leader_rates
from .views import feedback as views_feedback
from .views import item_bank as views_items
from .views import knowledge_test as views_test
from .views import leader as views_leader
from .views import leader_grid as views_grid
from .views import self_assessment as views
from .views import survey as views_survey

app_name = "assessments"

urlpatterns = [
    # Campaign administration (competence admins).
    path("", views_admin.campaign_list, name="campaign_list"),
    path("ny/", views_admin.campaign_create, name="campaign_create"),
    path("enheder/", views_admin.unit_picker, name="unit_picker"),
    path("<int:campaign_id>/", views_admin.campaign_detail, name="campaign_detail"),
    path("<int:campaign_id>/rediger/", views_admin.campaign_edit, name="campaign_edit"),
    path("<int:campaign_id>/aabn/", views_admin.campaign_open, name="campaign_open"),
    path("<int:campaign_id>/luk/", views_admin.campaign_close, name="campaign_close"),
    path("<int:campaign_id>/forlaeng/", views_admin.campaign_extend, name="campaign_extend"),
    path("<int:campaign_id>/slet/", views_admin.campaign_delete, name="campaign_delete"),
    path("<int:campaign_id>/paamind/", admin_followup.reminder_now, name="reminder_now"),
    path("<int:campaign_id>/send-igen/", admin_followup.send_retry, name="send_retry"),
    path("<int:campaign_id>/svarprocent/", admin_followup.campaign_rates, name="campaign_rates"),
    path("<int:campaign_id>/deltagere/", admin_followup.participant_list, name="participant_list"),
    path(
        "<int:campaign_id>/deltagere/<int:participant_id>/gensend/",
        admin_followup.participant_resend,
        name="participant_resend",
    ),
    path("<int:campaign_id>/ledelsesmaaling/spoergsmaal/", admin_survey.survey_items, name="survey_items"),
    path(
        "<int:campaign_id>/ledelsesmaaling/spoergsmaal/<int:item_id>/",
        admin_survey.survey_item_edit,
        name="survey_item_edit",
    ),
    path(
        "<int:campaign_id>/ledelsesmaaling/spoergsmaal/<int:item_id>/slet/",
        admin_survey.survey_item_delete,
        name="survey_item_delete",
    ),
    path("<int:campaign_id>/ledelsesmaaling/resultater/", admin_survey.survey_results, name="survey_results"),
    # The knowledge test's item bank and a round's item statistics (competence admins).
    path("videnstest/spoergsmaal/", views_items.item_list, name="item_list"),
    path("videnstest/spoergsmaal/ny/", views_items.item_create, name="item_create"),
    path("videnstest/spoergsmaal/opdater/", views_items.bank_update, name="item_bank_update"),
    path("videnstest/spoergsmaal/<int:test_item_id>/", views_items.item_edit, name="item_edit"),
    path(
        "videnstest/spoergsmaal/<int:test_item_id>/tilbagetraek/", views_items.item_retire, name="item_retire"
    ),
    path(
        "videnstest/spoergsmaal/<int:test_item_id>/genoptag/", views_items.item_restore, name="item_restore"
    ),
    path("<int:campaign_id>/videnstest/statistik/", views_items.test_statistics, name="test_statistics"),
    # Taking part: "Mine målinger", sign-in links and the self-assessment.
    path("mine/", views.my_campaigns, name="mine"),
    path("link/<str:token>/", views.signin_link, name="signin_link"),
    path("nyt-link/", views.new_link, name="new_link"),
    path("nyt-link/sendt/", views.new_link_sent, name="new_link_sent"),
    path("<int:campaign_id>/selvvurdering/", views.self_start, name="self_start"),
    path("<int:campaign_id>/selvvurdering/gem/", views.self_save, name="self_save"),
    path("<int:campaign_id>/selvvurdering/indsend/", views.self_review, name="self_review"),
    path("<int:campaign_id>/selvvurdering/<int:area_id>/", views.self_area, name="self_area"),
    # Knowledge test.
    path("<int:campaign_id>/videnstest/", views_test.test_start, name="test_start"),
    path("<int:campaign_id>/videnstest/spoergsmaal/", views_test.test_questions, name="test_questions"),
    path("<int:campaign_id>/videnstest/gem/", views_test.test_save, name="test_save"),
    path("<int:campaign_id>/videnstest/indsend/", views_test.test_submit, name="test_submit"),
    path("<int:campaign_id>/videnstest/resultat/", views_test.test_result, name="test_result"),
    # Leader assessment.
    path("<int:campaign_id>/ledervurdering/", views_leader.team, name="leader_team"),
    path("<int:campaign_id>/ledervurdering/<int:person_id>/", views_leader.rate, name="leader_rate"),
    path("<int:campaign_id>/ledervurdering/<int:person_id>/gem/", views_leader.save, name="leader_save"),
    path(
        "<int:campaign_id>/ledervurdering/<int:person_id>/indsend/", views_leader.submit, name="leader_submit"
    ),
    path("<int:campaign_id>/mine-enheder/svarprocent/", leader_rates.unit_rates, name="leader_unit_rates"),
    # The leader's team grid: one focus area at a time.
    path("<int:campaign_id>/ledervurdering/omraade/<int:area_id>/", views_grid.grid, name="leader_grid"),
    path(
        "<int:campaign_id>/ledervurdering/omraade/<int:area_id>/indsend-faerdige/",
        views_grid.grid_submit_finished,
        name="leader_grid_submit_finished",
    ),
    path(
        "<int:campaign_id>/ledervurdering/omraade/<int:area_id>/<int:person_id>/gem/",
        views_grid.grid_save,
        name="leader_grid_save",
    ),
    path(
        "<int:campaign_id>/ledervurdering/omraade/<int:area_id>/<int:person_id>/indsend/",
        views_grid.grid_submit,
        name="leader_grid_submit",
    ),
    # Chiefs' survey.
    path("<int:campaign_id>/ledelsesmaaling/", views_survey.survey, name="survey"),
    path("<int:campaign_id>/ledelsesmaaling/gem/", views_survey.save, name="survey_save"),
    path("<int:campaign_id>/ledelsesmaaling/indsend/", views_survey.submit, name="survey_submit"),
    # Personal feedback.
    path("min-profil/", views_feedback.my_profile, name="my_profile"),
    path("min-profil/pdf/", views_feedback.my_profile_pdf, name="my_profile_pdf"),
    path(
        "<int:campaign_id>/ledervurdering/<int:person_id>/profil/",
        views_feedback.team_member_profile,
        name="team_member_profile",
    ),
]
