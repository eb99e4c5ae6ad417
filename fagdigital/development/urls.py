"""Pages of the development app (decision 0018). The xAPI endpoint is in xapi_urls.py."""

from django.urls import path

from .views import catalogue, plans, team, workplaces

app_name = "development"

urlpatterns = [
    path("", workplaces.home, name="home"),
    # The catalogue.
    path("katalog/", catalogue.catalogue_list, name="catalogue"),
    path("katalog/ny/", catalogue.activity_edit, name="activity_create"),
    path("katalog/import/", catalogue.catalogue_import_start, name="catalogue_import"),
    path(
        "katalog/import/<int:catalogue_import_id>/",
        catalogue.catalogue_import_detail,
        name="catalogue_import_detail",
    ),
    path("katalog/eksport.<str:file_format>", catalogue.catalogue_export, name="catalogue_export"),
    path("katalog/<int:activity_id>/", catalogue.activity_detail, name="activity"),
    path("katalog/<int:activity_id>/rediger/", catalogue.activity_edit, name="activity_edit"),
    path("katalog/<int:activity_id>/vurder/", catalogue.activity_rate, name="activity_rate"),
    path("katalog/<int:activity_id>/til-plan/", catalogue.activity_to_plan, name="activity_to_plan"),
    # Individual plans.
    path("min-udvikling/", plans.mine, name="mine"),
    path("plan/ny/", plans.plan_create, name="plan_create"),
    path("plan/<int:plan_id>/", plans.plan_detail, name="plan"),
    path("plan/<int:plan_id>/handling/", plans.plan_action, name="plan_action"),
    path("plan/<int:plan_id>/maal/", plans.goal_add, name="goal_add"),
    path("maal/<int:goal_id>/", plans.goal_edit, name="goal_edit"),
    path("maal/<int:goal_id>/slet/", plans.goal_delete, name="goal_delete"),
    path("maal/<int:goal_id>/naaet/", plans.goal_reached, name="goal_reached"),
    path("maal/<int:goal_id>/aktivitet/", plans.goal_activity_add, name="goal_activity_add"),
    path("planaktivitet/<int:plan_item_id>/fjern/", plans.plan_activity_remove, name="plan_activity_remove"),
    path(
        "planaktivitet/<int:plan_item_id>/gennemfoert/", plans.plan_activity_done, name="plan_activity_done"
    ),
    path("medarbejder/<int:person_id>/ny-plan/", plans.person_plan_create, name="person_plan_create"),
    # Leaders: the team, a unit's gaps and team plans.
    path("team/", team.team, name="team"),
    path("team/enhed/<int:unit_id>/", team.unit_detail, name="unit"),
    path("teamplan/<int:team_plan_id>/", team.team_plan_detail, name="team_plan"),
    path("teamplan/<int:team_plan_id>/afslut/", team.team_plan_close, name="team_plan_close"),
    path("teamaktivitet/<int:team_item_id>/", team.team_item_action, name="team_item_action"),
    # HR.
    path("hr/", workplaces.hr, name="hr"),
    path("xapi-udsagn/", workplaces.unresolved, name="unresolved"),
    path("xapi-udsagn/<int:intake_id>/", workplaces.unresolved_match, name="unresolved_match"),
    path("noegler/", workplaces.credentials, name="credentials"),
    path("noegler/<int:credential_id>/spaer/", workplaces.credential_revoke, name="credential_revoke"),
    # Education providers and network coordinators.
    path("udbyder/", workplaces.provider, name="provider"),
    path(
        "udbyder/tilmelding/<int:plan_item_id>/", workplaces.provider_completion, name="provider_completion"
    ),
    path("efterspoergsel/", workplaces.demand, name="demand"),
    path("netvaerk/", workplaces.network, name="network"),
    path("netvaerk/<int:network_id>/", workplaces.network_detail, name="network_detail"),
    path("netvaerk/<int:network_id>/del/", workplaces.network_share, name="network_share"),
    path("netvaerk/<int:network_id>/udbydere/", workplaces.network_providers, name="network_providers"),
    path("netvaerk/<int:network_id>/session/", workplaces.session_create, name="session_create"),
    path("session/<int:session_id>/", workplaces.session_detail, name="session"),
    path("session/<int:session_id>/tilmeld/", workplaces.session_signup, name="session_signup"),
]
