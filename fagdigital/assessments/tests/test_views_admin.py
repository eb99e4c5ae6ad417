"""Campaign administration: create, edit, open, close, extend, delete, follow-up and the chiefs' survey."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from fagdigital.accounts.models import User
from fagdigital.assessments import services
from fagdigital.assessments.models import (
    Campaign,
    CampaignStatus,
    CampaignUnit,
    Instrument,
    Participant,
    Response,
    SurveyItem,
    Visibility,
)
from fagdigital.assessments.selectors import admin as selectors_admin
from fagdigital.assessments.tests.conftest import Team
from fagdigital.conftest import actor_for
from fagdigital.frameworks.services import default_framework_install
from fagdigital.testing.factories import (
    EngagementFactory,
    MembershipFactory,
    OrganisationFactory,
    OrgUnitFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
MakeCampaign = Callable[..., Campaign]


def body(response: HttpResponse) -> str:
    return response.content.decode()


def text(response: HttpResponse) -> str:
    """The page's text without tags and with collapsed whitespace, for phrases split over lines."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body(response)))


@pytest.fixture
def admin(team: Team, client_for: Callable[[User], Client]) -> Client:
    return client_for(team.admin)


def form_data(team: Team, **overrides: Any) -> dict[str, Any]:
    """A valid create form: the whole organisation, self-assessment and test, development dialogue."""
    today = timezone.localdate()
    data: dict[str, Any] = {
        "name": "Digitale kompetencer 2026",
        "framework": str(team.framework.pk),
        "opens_on": today.isoformat(),
        "closes_on": (today + dt.timedelta(days=14)).isoformat(),
        "instruments": ["self", "test"],
        "test_area_codes": ["DS"],
        "test_items_per_competence": "3",
        "visibility": "development",
        "units": [str(team.root.pk)],
        f"subtree_{team.root.pk}": "1",
        "role_profile_codes": [],
        "reminder_days": "7, 2",
        "q": "",
        "action": "save",
    }
    data.update(overrides)
    return data


# --- List ---------------------------------------------------------------------------------------------------


def test_campaign_list_shows_the_organisations_campaigns_with_counts(
    admin: Client, make_campaign: MakeCampaign, django_assert_max_num_queries: Any
) -> None:
    make_campaign(name="Forårsmåling")
    make_campaign(name="Efterårsmåling", open_it=False)
    with django_assert_max_num_queries(12):
        response = admin.get("/maalinger/")
    assert response.status_code == 200
    page = text(response)
    assert "Forårsmåling" in page and "Efterårsmåling" in page
    assert "Opret måling" in page
    # 6 team members, their leader and the person in the sibling unit.
    assert re.search(r"Forårsmåling Åben .*? 8 0 ", page)


def test_campaign_list_query_count_does_not_grow_with_campaigns(
    admin: Client, make_campaign: MakeCampaign, django_assert_max_num_queries: Any
) -> None:
    for n in range(6):
        make_campaign(name=f"Måling {n}", open_it=n % 2 == 0)
    with django_assert_max_num_queries(12):
        assert admin.get("/maalinger/").status_code == 200


def test_campaign_list_without_a_published_framework_says_what_to_do(
    organisation: Any, make_member: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    client = client_for(make_member(organisation, "competence_admin"))
    page = text(client.get("/maalinger/"))
    assert "skal organisationen have en udgivet kompetenceramme" in page
    assert "/maalinger/ny/" not in body(client.get("/maalinger/"))
    assert "ingen udgivet kompetenceramme" in text(client.get("/maalinger/ny/"))


# --- Create -------------------------------------------------------------------------------------------------


def test_create_form_offers_the_organisations_published_framework_and_no_unit_list(
    admin: Client, team: Team
) -> None:
    response = admin.get("/maalinger/ny/")
    assert response.status_code == 200
    html = body(response)
    assert f'<option value="{team.framework.pk}" selected>' in html
    # Units are found by search, never all listed as checkboxes.
    assert "Hjemmeplejen Nord" not in html
    assert 'hx-get="/maalinger/enheder/"' in html
    # Both visibility modes are explained on the form.
    page = text(response)
    assert "Udviklingssamtale" in page and "fx til MUS" in page
    assert "Anonym måling" in page and "mindst 5 personer" in page


def test_create_with_valid_input_creates_a_draft(admin: Client, team: Team) -> None:
    response = admin.post("/maalinger/ny/", form_data(team, reminder_days="10 3"))
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/maalinger/{campaign.pk}/"
    assert campaign.status == CampaignStatus.DRAFT
    assert campaign.organisation == team.organisation
    assert campaign.instruments == ["self", "test"]
    assert campaign.visibility == Visibility.DEVELOPMENT
    assert campaign.test_area_codes == ["DS"]
    assert campaign.test_items_per_competence == 3
    assert campaign.reminder_days == [10, 3]
    assert list(CampaignUnit.objects.values_list("unit_id", "include_subtree")) == [(team.root.pk, True)]
    page = text(admin.get(response["Location"]))
    assert "er oprettet som kladde" in page
    assert "8 medarbejdere kommer med" in page


def test_create_with_invalid_input_changes_nothing_and_puts_messages_at_the_fields(
    admin: Client, team: Team
) -> None:
    today = timezone.localdate()
    response = admin.post(
        "/maalinger/ny/",
        form_data(
            team,
            closes_on=(today - dt.timedelta(days=1)).isoformat(),
            instruments=[],
            visibility="",
            units=[],
        ),
    )
    assert response.status_code == 422
    assert not Campaign.objects.exists()
    html = body(response)
    # The error summary links to each field; each field shows its own message.
    assert 'data-module="error-summary"' in html
    assert 'href="#id_closes_on"' in html
    assert 'href="#id_instruments_0"' in html
    assert 'href="#id_visibility_0"' in html
    assert 'id="id_closes_on-error-1"' in html
    assert "Lukkedatoen skal ligge på eller efter åbningsdatoen." in html
    assert "Vælg mindst ét instrument." in html
    assert "Vælg, hvem der kan se resultaterne." in html
    # What was typed is kept.
    assert 'value="Digitale kompetencer 2026"' in html


def test_create_without_units_for_employees_points_at_the_unit_search(admin: Client, team: Team) -> None:
    response = admin.post("/maalinger/ny/", form_data(team, units=[]))
    assert response.status_code == 422
    assert not Campaign.objects.exists()
    html = body(response)
    assert 'href="#id_q"' in html
    assert 'id="id_q-error-1"' in html
    assert "Vælg mindst én enhed" in html


def test_create_with_bad_form_input_says_how_to_fix_it(admin: Client, team: Team) -> None:
    response = admin.post(
        "/maalinger/ny/", form_data(team, name="  ", reminder_days="en uge", opens_on="i morgen")
    )
    assert response.status_code == 422
    assert not Campaign.objects.exists()
    html = body(response)
    assert "Giv målingen et navn." in html
    assert "Skriv antal dage før lukning som hele tal adskilt af komma, fx 7, 2." in html
    assert "Skriv datoen som dag.måned.år" in html
    assert 'href="#id_reminder_days"' in html


def test_create_refuses_another_organisations_unit_and_framework(admin: Client, team: Team) -> None:
    other = OrganisationFactory()
    other_unit = OrgUnitFactory(organisation=other, name="Fremmed enhed")
    other_framework = default_framework_install(organisation=other)
    response = admin.post(
        "/maalinger/ny/",
        form_data(team, units=[str(other_unit.pk)], framework=str(other_framework.pk)),
    )
    assert response.status_code == 422
    assert not Campaign.objects.exists()
    html = body(response)
    assert "Fremmed enhed" not in html
    assert "Vælg en af organisationens udgivne kompetencerammer." in html
    assert "findes ikke længere i organisationen" in html


def test_unit_search_without_javascript_keeps_what_was_typed_and_adds_units(
    admin: Client, team: Team
) -> None:
    data = form_data(team, units=[], name="Halvfærdig måling", q="hjemmepl", action="search")
    response = admin.post("/maalinger/ny/", data)
    assert response.status_code == 200
    assert not Campaign.objects.exists()
    html = body(response)
    assert 'value="Halvfærdig måling"' in html
    assert f'id="add-unit-{team.unit.pk}"' in html
    assert f'id="add-unit-{team.other_unit.pk}"' in html
    # A search round trip shows no validation errors yet.
    assert "data-module" not in html
    # Tick one result and add it: it becomes a chosen unit, still nothing is saved.
    response = admin.post(
        "/maalinger/ny/", {**data, "action": "add", "add_unit": [str(team.unit.pk)], "q": ""}
    )
    html = body(response)
    assert f'name="units" value="{team.unit.pk}"' in html
    assert "1 enhed er føjet til målingen." in html
    assert not Campaign.objects.exists()
    # Only the unit itself, then save.
    response = admin.post(
        "/maalinger/ny/",
        {**data, "action": "save", "q": "", "units": [str(team.unit.pk)], f"subtree_{team.unit.pk}": "0"},
    )
    assert response.status_code == 302
    assert list(CampaignUnit.objects.values_list("unit_id", "include_subtree")) == [(team.unit.pk, False)]


def test_remove_button_takes_a_unit_out_without_saving(admin: Client, team: Team) -> None:
    data = form_data(team, units=[str(team.unit.pk), str(team.other_unit.pk)], remove_unit=str(team.unit.pk))
    response = admin.post("/maalinger/ny/", data)
    assert response.status_code == 200
    html = body(response)
    assert f'name="units" value="{team.unit.pk}"' not in html
    assert f'name="units" value="{team.other_unit.pk}"' in html
    assert not Campaign.objects.exists()


def test_enter_in_another_field_saves_rather_than_searches(admin: Client, team: Team) -> None:
    # Enter submits with the form's first button (the search); an empty search means "save".
    response = admin.post("/maalinger/ny/", form_data(team, action="search", q=""))
    assert response.status_code == 302
    assert Campaign.objects.count() == 1


def test_unit_picker_finds_the_organisations_units_by_name(admin: Client, team: Team) -> None:
    OrgUnitFactory(organisation=OrganisationFactory(), name="Hjemmeplejen Øst")
    response = admin.get("/maalinger/enheder/", {"q": "hjemmepl", "units": [str(team.unit.pk)]}, headers=HTMX)
    assert response.status_code == 200
    html = body(response)
    assert "<html" not in html
    assert "Hjemmeplejen Syd" in html and "Hjemmeplejen Nord" in html
    assert "Hjemmeplejen Øst" not in html
    # Already chosen units are not offered again; the context names the unit above.
    assert f'id="add-unit-{team.unit.pk}"' not in html
    assert "er allerede valgt" in html
    assert "Kommunen" in html
    # A full page without JavaScript lists the matches.
    page = admin.get("/maalinger/enheder/", {"q": "syd"})
    assert "<html" in body(page) and "Hjemmeplejen Syd" in body(page)


# --- Edit ---------------------------------------------------------------------------------------------------


def test_edit_a_draft_shows_its_settings_and_saves_changes(
    admin: Client, team: Team, make_campaign: MakeCampaign
) -> None:
    campaign = make_campaign(open_it=False)
    response = admin.get(f"/maalinger/{campaign.pk}/rediger/")
    assert response.status_code == 200
    html = body(response)
    assert 'value="Måling 2026"' in html
    assert f'name="units" value="{team.root.pk}"' in html
    data = form_data(team, name="Ny titel", visibility="anonymous", instruments=["self"])
    response = admin.post(f"/maalinger/{campaign.pk}/rediger/", data)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.name == "Ny titel"
    assert campaign.visibility == Visibility.ANONYMOUS
    assert campaign.instruments == ["self"]


def test_edit_is_refused_once_open_and_says_why(
    admin: Client, team: Team, make_campaign: MakeCampaign
) -> None:
    campaign = make_campaign()
    response = admin.get(f"/maalinger/{campaign.pk}/rediger/")
    assert response.status_code == 409
    assert "omfang, instrumenter og synlighed fast" in text(response)
    response = admin.post(f"/maalinger/{campaign.pk}/rediger/", form_data(team, name="Ændret"))
    assert response.status_code == 409
    campaign.refresh_from_db()
    assert campaign.name == "Måling 2026"
    services.campaign_close(campaign=campaign)
    assert "lukket måling kan ikke ændres" in text(admin.get(f"/maalinger/{campaign.pk}/rediger/"))


# --- Open, close, extend, delete ----------------------------------------------------------------------------


def test_open_fixes_participants_and_emails_invitations(
    admin: Client, team: Team, make_campaign: MakeCampaign, django_capture_on_commit_callbacks: Any
) -> None:
    campaign = make_campaign(open_it=False)
    detail = text(admin.get(f"/maalinger/{campaign.pk}/"))
    assert "invitation på e-mail med det samme" in detail
    assert "ligger omfang, instrumenter og synlighed fast" in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"/maalinger/{campaign.pk}/aabn/")
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN
    assert Participant.objects.filter(campaign=campaign).count() == 8
    assert len(mail.outbox) >= 6
    assert "er åbnet" in text(admin.get(f"/maalinger/{campaign.pk}/"))


def test_open_with_nobody_in_scope_is_refused_with_the_reason(
    admin: Client, team: Team, make_campaign: MakeCampaign
) -> None:
    empty = OrgUnitFactory(parent=team.root, name="Tom enhed")
    campaign = make_campaign(open_it=False, units=[(empty, True)])
    response = admin.post(f"/maalinger/{campaign.pk}/aabn/")
    assert response.status_code == 409
    assert "Der er ingen medarbejdere i målingens omfang." in text(response)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_extend_moves_the_close_date_later_only(admin: Client, make_campaign: MakeCampaign) -> None:
    campaign = make_campaign()
    old = campaign.closes_on
    earlier = old - dt.timedelta(days=1)
    response = admin.post(f"/maalinger/{campaign.pk}/forlaeng/", {"closes_on": earlier.isoformat()})
    assert response.status_code == 422
    assert "Den nye lukkedato skal ligge efter den nuværende og i dag." in text(response)
    assert admin.post(f"/maalinger/{campaign.pk}/forlaeng/", {"closes_on": "snart"}).status_code == 422
    campaign.refresh_from_db()
    assert campaign.closes_on == old
    later = old + dt.timedelta(days=7)
    response = admin.post(f"/maalinger/{campaign.pk}/forlaeng/", {"closes_on": later.isoformat()})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.closes_on == later
    assert "Målingen er forlænget." in text(admin.get(response["Location"]))


def test_close_ends_an_open_campaign_and_is_refused_twice(admin: Client, make_campaign: MakeCampaign) -> None:
    campaign = make_campaign()
    detail = admin.get(f"/maalinger/{campaign.pk}/").content.decode()
    assert f'href="/maalinger/{campaign.pk}/luk/"' in detail
    # Closing asks first: the GET explains and changes nothing.
    confirm = text(admin.get(f"/maalinger/{campaign.pk}/luk/"))
    assert "kan ingen længere svare, ændre eller indsende deres svar" in confirm
    assert "En lukket måling kan ikke åbnes igen." in confirm
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN
    assert admin.post(f"/maalinger/{campaign.pk}/luk/").status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED
    response = admin.post(f"/maalinger/{campaign.pk}/luk/")
    assert response.status_code == 409
    assert "Kun en åben måling kan lukkes." in text(response)
    assert admin.post(f"/maalinger/{campaign.pk}/forlaeng/", {"closes_on": "2099-01-01"}).status_code == 409


def test_delete_removes_a_draft_but_not_an_open_campaign(admin: Client, make_campaign: MakeCampaign) -> None:
    draft = make_campaign(open_it=False)
    response = admin.post(f"/maalinger/{draft.pk}/slet/")
    assert response.status_code == 302
    assert response["Location"] == "/maalinger/"
    assert not Campaign.objects.filter(pk=draft.pk).exists()
    opened = make_campaign()
    assert admin.post(f"/maalinger/{opened.pk}/slet/").status_code == 409
    assert Campaign.objects.filter(pk=opened.pk).exists()


def test_state_changes_need_post(admin: Client, make_campaign: MakeCampaign) -> None:
    campaign = make_campaign(open_it=False)
    for action in ("aabn", "forlaeng", "slet", "send-igen"):
        assert admin.get(f"/maalinger/{campaign.pk}/{action}/").status_code == 405
    # Closing and reminding answer a GET with a question, never with the change.
    assert admin.get(f"/maalinger/{campaign.pk}/luk/").status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


# --- Access -------------------------------------------------------------------------------------------------


def admin_urls(campaign: Campaign, participant: Participant, item: SurveyItem) -> list[str]:
    base = f"/maalinger/{campaign.pk}"
    return [
        "/maalinger/",
        "/maalinger/ny/",
        "/maalinger/enheder/?q=hjem",
        f"{base}/",
        f"{base}/rediger/",
        f"{base}/svarprocent/",
        f"{base}/deltagere/",
        f"{base}/ledelsesmaaling/spoergsmaal/",
        f"{base}/ledelsesmaaling/spoergsmaal/{item.pk}/",
        f"{base}/ledelsesmaaling/spoergsmaal/{item.pk}/slet/",
    ]


def post_urls(campaign: Campaign, participant: Participant, item: SurveyItem) -> list[str]:
    base = f"/maalinger/{campaign.pk}"
    return [
        f"{base}/aabn/",
        f"{base}/luk/",
        f"{base}/forlaeng/",
        f"{base}/slet/",
        f"{base}/deltagere/{participant.pk}/gensend/",
        f"{base}/ledelsesmaaling/spoergsmaal/{item.pk}/",
        f"{base}/ledelsesmaaling/spoergsmaal/{item.pk}/slet/",
    ]


def test_employees_and_leaders_are_refused(
    team: Team, make_campaign: MakeCampaign, client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    participant = Participant.objects.filter(campaign=campaign).first()
    item = campaign.survey_items.first()
    assert participant is not None and item is not None
    for user in (team.users[0], team.leader):
        client = client_for(user)
        for url in admin_urls(campaign, participant, item):
            assert client.get(url).status_code == 403, url
        for url in post_urls(campaign, participant, item):
            assert client.post(url, {"closes_on": "2099-01-01", "text_da": "x"}).status_code == 403, url
        assert client.get(f"/maalinger/{campaign.pk}/ledelsesmaaling/resultater/").status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN
    assert SurveyItem.objects.filter(pk=item.pk).exists()


def test_another_organisations_campaign_ids_give_404(
    admin: Client, client_for: Callable[[User], Client], django_capture_on_commit_callbacks: Any
) -> None:
    other = OrganisationFactory()
    framework = default_framework_install(organisation=other)
    unit = OrgUnitFactory(organisation=other, name="Hemmelig afdeling")
    EngagementFactory(person=PersonFactory(organisation=other, name="Hemmelige Hansen"), unit=unit)
    other_admin = UserFactory()
    MembershipFactory(user=other_admin, organisation=other, roles=["competence_admin"])
    today = timezone.localdate()
    campaign = services.campaign_create(
        actor=actor_for(other_admin, other),
        values=services.CampaignSettings(
            name="Deres måling",
            framework=framework,
            opens_on=today,
            closes_on=today + dt.timedelta(days=7),
            instruments=["self", "chiefs"],
            visibility="development",
            units=[(unit, True)],
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.campaign_open(campaign=campaign)
    participant = Participant.objects.get(campaign=campaign)
    item = campaign.survey_items.first()
    assert item is not None
    for url in [
        *admin_urls(campaign, participant, item)[3:],
        f"/maalinger/{campaign.pk}/ledelsesmaaling/resultater/",
    ]:
        response = admin.get(url)
        assert response.status_code == 404, url
        assert "Hemmelig" not in body(response)
    for url in post_urls(campaign, participant, item):
        assert admin.post(url, {"closes_on": "2099-01-01", "text_da": "x"}).status_code == 404, url
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN


# --- Response rates -----------------------------------------------------------------------------------------


def test_rates_in_an_anonymous_campaign_are_sums_of_publication_blocks(
    admin: Client, team: Team, make_campaign: MakeCampaign, django_assert_max_num_queries: Any
) -> None:
    campaign = make_campaign(visibility=Visibility.ANONYMOUS)
    # A fixed few queries per instrument (self, test) and for the blocks: none per unit.
    with django_assert_max_num_queries(20):
        response = admin.get(f"/maalinger/{campaign.pk}/svarprocent/")
    assert response.status_code == 200
    page = text(response)
    assert "Målingen er anonym. Svarprocenter vises for grupper på mindst 5 deltagere" in page
    # Syd's one assistant is in no block: the unit has no rate of its own, and says why.
    assert "Hjemmeplejen Syd 1 Deltagerne her tælles med i en større gruppe højere oppe" in page
    assert "(0 af 1)" not in page
    # Nord's 7 are one block; the whole organisation's rate covers the same 7 of its 8 participants.
    assert "Hjemmeplejen Nord 7 7 0 % (0 af 7)" in page
    assert "Kommunen 8 7 0 % (0 af 7)" in page


def test_rates_in_a_development_campaign_show_every_unit(
    admin: Client, team: Team, make_campaign: MakeCampaign
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF, Instrument.LEADER))
    response_row = services.response_get_or_create(
        campaign=campaign, instrument=Instrument.SELF, respondent=team.users[0], subject=team.members[0]
    )
    Response.objects.filter(pk=response_row.pk).update(status="submitted")
    page = text(admin.get(f"/maalinger/{campaign.pk}/svarprocent/"))
    assert "Hjemmeplejen Syd 1 0 % (0 af 1)" in page
    assert "Hjemmeplejen Nord 7 14 % (1 af 7) 0 % (0 af 7)" in page
    assert "Vurderet af leder" in page


# --- Participants -------------------------------------------------------------------------------------------


def test_participant_list_shows_status_in_a_development_campaign(
    admin: Client, team: Team, make_campaign: MakeCampaign, django_assert_max_num_queries: Any
) -> None:
    campaign = make_campaign()
    services.response_get_or_create(
        campaign=campaign, instrument=Instrument.SELF, respondent=team.users[0], subject=team.members[0]
    )
    with django_assert_max_num_queries(12):
        response = admin.get(f"/maalinger/{campaign.pk}/deltagere/")
    assert response.status_code == 200
    page = text(response)
    assert "8 deltagere." in page
    assert "Påbegyndt" in page and "Ikke startet" in page
    assert team.members[0].name in page
    # Search by name, as a partial for HTMX.
    response = admin.get(f"/maalinger/{campaign.pk}/deltagere/", {"q": team.outsider.name}, headers=HTMX)
    html = body(response)
    assert "<html" not in html
    assert team.outsider.name in html and team.members[1].name not in html


def test_participant_list_of_an_anonymous_campaign_shows_no_answer_status(
    admin: Client, team: Team, make_campaign: MakeCampaign
) -> None:
    campaign = make_campaign(visibility=Visibility.ANONYMOUS)
    response_row = services.response_get_or_create(
        campaign=campaign, instrument=Instrument.SELF, respondent=team.users[0], subject=team.members[0]
    )
    Response.objects.filter(pk=response_row.pk).update(status="submitted")
    page = text(admin.get(f"/maalinger/{campaign.pk}/deltagere/"))
    assert team.members[0].name in page
    assert "Indsendt" not in page and "Ikke startet" not in page and "Påbegyndt" not in page
    assert "Påmindelser" not in page
    assert "Målingen er anonym" in page


def test_participant_list_pages(
    admin: Client, make_campaign: MakeCampaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    campaign = make_campaign()
    monkeypatch.setattr(selectors_admin, "PARTICIPANTS_PER_PAGE", 3)
    first = text(admin.get(f"/maalinger/{campaign.pk}/deltagere/"))
    last = text(admin.get(f"/maalinger/{campaign.pk}/deltagere/", {"side": "3"}))
    assert "Side 1 af 3" in first and "Næste side" in first
    assert "Side 3 af 3" in last and "Forrige side" in last


def test_resend_sends_the_invitation_again(admin: Client, team: Team, make_campaign: MakeCampaign) -> None:
    campaign = make_campaign()
    participant = Participant.objects.get(campaign=campaign, person=team.members[0])
    mail.outbox.clear()
    response = admin.post(f"/maalinger/{campaign.pk}/deltagere/{participant.pk}/gensend/", {"q": "x"})
    assert response.status_code == 302
    assert response["Location"] == f"/maalinger/{campaign.pk}/deltagere/?q=x"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [team.users[0].email]
    assert "Invitationen er sendt igen" in text(admin.get(response["Location"]))


def test_resend_after_close_is_refused(admin: Client, team: Team, make_campaign: MakeCampaign) -> None:
    campaign = make_campaign()
    participant = Participant.objects.get(campaign=campaign, person=team.members[0])
    services.campaign_close(campaign=campaign)
    mail.outbox.clear()
    response = admin.post(f"/maalinger/{campaign.pk}/deltagere/{participant.pk}/gensend/")
    assert response.status_code == 409
    assert not mail.outbox


# --- Chiefs' survey -----------------------------------------------------------------------------------------


def test_survey_items_can_be_added_changed_and_deleted_in_a_draft(
    admin: Client, make_campaign: MakeCampaign
) -> None:
    campaign = make_campaign(open_it=False)
    base = f"/maalinger/{campaign.pk}/ledelsesmaaling/spoergsmaal"
    count = campaign.survey_items.count()
    assert count >= 4
    page = text(admin.get(f"{base}/"))
    assert "I hvor høj grad besidder medarbejderne de digitale kompetencer" in page
    # Invalid: nothing saved, the message at the field.
    response = admin.post(f"{base}/0/", {"text_da": " ", "area_code": ""})
    assert response.status_code == 422
    assert "Skriv spørgsmålet på dansk." in body(response)
    assert 'href="#id_text_da"' in body(response)
    assert campaign.survey_items.count() == count
    # New, with a code made from the question.
    response = admin.post(
        f"{base}/0/", {"text_da": "I hvor høj grad bruger I data i styringen?", "area_code": "BK"}
    )
    assert response.status_code == 302
    item = campaign.survey_items.get(text_da="I hvor høj grad bruger I data i styringen?")
    assert item.code == "i-data-i-styringen"
    assert item.area_code == "BK"
    # Changed: the code stays.
    response = admin.post(
        f"{base}/{item.pk}/", {"text_da": "Ny tekst", "text_en": "New text", "area_code": ""}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.text_da, item.text_en, item.code) == ("Ny tekst", "New text", "i-data-i-styringen")
    # Deleted after a confirmation page.
    assert "Slet spørgsmålet?" in text(admin.get(f"{base}/{item.pk}/slet/"))
    assert admin.post(f"{base}/{item.pk}/slet/").status_code == 302
    assert not SurveyItem.objects.filter(pk=item.pk).exists()


def test_survey_items_are_read_only_once_open(admin: Client, make_campaign: MakeCampaign) -> None:
    campaign = make_campaign()
    item = campaign.survey_items.first()
    assert item is not None
    base = f"/maalinger/{campaign.pk}/ledelsesmaaling/spoergsmaal"
    page = body(admin.get(f"{base}/"))
    assert "kan ikke længere ændres" in page
    assert f"{base}/{item.pk}/" not in page
    assert admin.get(f"{base}/{item.pk}/").status_code == 409
    response = admin.post(f"{base}/{item.pk}/", {"text_da": "Ændret", "area_code": ""})
    assert response.status_code == 409
    assert admin.post(f"{base}/0/", {"text_da": "Nyt", "area_code": ""}).status_code == 409
    assert admin.post(f"{base}/{item.pk}/slet/").status_code == 409
    item.refresh_from_db()
    assert item.text_da != "Ændret"
    assert campaign.survey_items.filter(text_da="Nyt").count() == 0


def test_survey_pages_are_not_found_when_the_campaign_has_no_chiefs_survey(
    admin: Client, make_campaign: MakeCampaign
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF,))
    assert admin.get(f"/maalinger/{campaign.pk}/ledelsesmaaling/spoergsmaal/").status_code == 404
    assert admin.get(f"/maalinger/{campaign.pk}/ledelsesmaaling/resultater/").status_code == 404


def test_survey_results_show_the_distribution_only_when_closed_with_k_answers(
    admin: Client,
    team: Team,
    make_campaign: MakeCampaign,
    make_member: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    campaign = make_campaign()
    items = list(campaign.survey_items.all())
    answers = ([4, 5], [2, None], [4, 4], [1, 2], [3, 5])
    for values in answers[:4]:
        chief = make_member(team.organisation, "top_management")
        response = services.response_get_or_create(
            campaign=campaign, instrument=Instrument.CHIEFS, respondent=chief, subject=None
        )
        for item, value in zip(items, values, strict=False):
            services.survey_answer_save(response=response, item=item, value=value)
        services.survey_respondent_type_set(response=response, respondent_type="topchef")
        services.response_submit(response=response)
    url = f"/maalinger/{campaign.pk}/ledelsesmaaling/resultater/"
    page = text(admin.get(url))
    assert "4 har indsendt ledelsesmålingen" in page
    assert "Svarene vises, når målingen er lukket." in page
    assert items[0].text_da not in page
    services.campaign_close(campaign=campaign)
    # Closed, but 4 chiefs are fewer than k = 5: still no answers.
    page = text(admin.get(url))
    assert "For få har svaret til, at svarene kan vises." in page and items[0].text_da not in page
    # With a fifth chief (in a second round), the distribution shows.
    second = make_campaign(name="Måling 2")
    items = list(second.survey_items.all())
    for values in answers:
        chief = make_member(team.organisation, "top_management")
        response = services.response_get_or_create(
            campaign=second, instrument=Instrument.CHIEFS, respondent=chief, subject=None
        )
        for item, value in zip(items, values, strict=False):
            services.survey_answer_save(response=response, item=item, value=value)
        services.response_submit(response=response)
    services.campaign_close(campaign=second)
    page = text(admin.get(f"/maalinger/{second.pk}/ledelsesmaaling/resultater/"))
    # First statement: 1 "slet ikke", 1 "i mindre grad", 1 "i nogen grad", 2 "i høj grad" → 40 %.
    assert f"{items[0].text_da} 1 1 1 2 0 0 5 40 %" in page
    # Second: 1 "i mindre grad", 1 "i høj grad", 2 "i meget høj grad", 1 "ved ikke" → 75 %.
    assert f"{items[1].text_da} 0 1 0 1 2 1 4 75 %" in page
    chief_client = client_for(make_member(team.organisation, "top_management"))
    response = chief_client.get(f"/maalinger/{second.pk}/ledelsesmaaling/resultater/")
    assert response.status_code == 200
    assert "Mine målinger" in text(response)
    # Top management cannot manage campaigns.
    assert chief_client.get(f"/maalinger/{second.pk}/").status_code == 403


def test_detail_links_to_follow_up_pages_and_hides_small_anonymous_totals(
    admin: Client, team: Team, make_campaign: MakeCampaign
) -> None:
    campaign = make_campaign()
    html = body(admin.get(f"/maalinger/{campaign.pk}/"))
    for url in ("svarprocent/", "deltagere/", "ledelsesmaaling/spoergsmaal/", "ledelsesmaaling/resultater/"):
        assert f"/maalinger/{campaign.pk}/{url}" in html
    small = make_campaign(visibility=Visibility.ANONYMOUS, units=[(team.other_unit, True)])
    page = text(admin.get(f"/maalinger/{small.pk}/"))
    assert (
        "ingen gruppe på mindst 5 deltagere med samme rolleprofil er med, så antallet af svar vises ikke"
        in page
    )


def test_pages_format_dates_for_the_chosen_language(admin: Client, make_campaign: MakeCampaign) -> None:
    campaign = make_campaign()
    admin.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in ("/maalinger/", f"/maalinger/{campaign.pk}/", f"/maalinger/{campaign.pk}/deltagere/"):
        assert admin.get(url).status_code == 200, url
    with translation.override("en"):
        expected = date_format(campaign.closes_on, "DATE_FORMAT")
    assert expected in text(admin.get(f"/maalinger/{campaign.pk}/"))
