"""Writes of the assessments app: campaigns, answers, submissions, evidence and estimates.

Every answer is saved on its own as the person goes (autosave) and a submission is idempotent: the
response row is locked, and evidence is unique per (response, competence), so a double click, two tabs
or a retried request give one submission.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from fagdigital.accounts.models import User
from fagdigital.frameworks.models import Competence, Framework, FrameworkStatus, RoleTarget
from fagdigital.frameworks.selectors import job_function_role_profile_codes
from fagdigital.orgs.models import Engagement, OrgUnit, Person
from fagdigital.orgs.selectors import active_engagements_q
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Organisation, Role
from fagdigital.tenancy.services import membership_grant

from .models import (
    SOURCE_PRIORITY,
    Answer,
    Campaign,
    CampaignStatus,
    CampaignUnit,
    CompetenceEstimate,
    Evidence,
    EvidenceSource,
    Instrument,
    InvitationKind,
    ItemKind,
    Participant,
    Response,
    ResponseStatus,
    SentMessage,
    SurveyAnswer,
    SurveyItem,
    TestItem,
    TestQuestion,
    Visibility,
)

ITEM_BANK_PATH = Path(__file__).parent / "data" / "security_item_bank.json"
DEFAULT_SURVEY_PATH = Path(__file__).parent / "data" / "chiefs_survey.json"

# Knowledge-test score (difficulty-weighted share correct) → level; see docs/decisions/0007.
TEST_LEVEL_THRESHOLDS: tuple[tuple[float, int], ...] = ((0.9, 4), (0.6, 3), (0.3, 2), (0.0, 1))


# --- Campaigns -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignSettings:
    name: str
    framework: Framework
    opens_on: dt.date
    closes_on: dt.date
    instruments: Sequence[str]
    visibility: str
    units: Sequence[tuple[OrgUnit, bool]]  # (unit, include_subtree)
    role_profile_codes: Sequence[str] = ()
    reminder_days: Sequence[int] = (7, 2)
    test_area_codes: Sequence[str] = ()
    test_items_per_competence: int = 2


def _check_settings(organisation: Organisation, values: CampaignSettings) -> None:
    errors: dict[str, list[str]] = defaultdict(list)
    if not values.name.strip():
        errors["name"].append(_("Giv målingen et navn."))
    if (
        values.framework.organisation_id != organisation.pk
        or values.framework.status != FrameworkStatus.PUBLISHED
    ):
        errors["framework"].append(_("Vælg en udgivet kompetenceramme."))
    if values.closes_on < values.opens_on:
        errors["closes_on"].append(_("Lukkedatoen skal ligge på eller efter åbningsdatoen."))
    unknown = set(values.instruments) - set(Instrument.values)
    if not values.instruments or unknown:
        errors["instruments"].append(_("Vælg mindst ét instrument."))
    if values.visibility not in Visibility.values:
        errors["visibility"].append(_("Vælg, hvem der kan se resultaterne."))
    if any(unit.organisation_id != organisation.pk for unit, _subtree in values.units):
        errors["units"].append(_("En af enhederne hører ikke til organisationen."))
    person_instruments = set(values.instruments) - {Instrument.CHIEFS}
    if person_instruments and not values.units:
        errors["units"].append(_("Vælg mindst én enhed, når målingen omfatter medarbejdere."))
    if any(day < 0 or day > 365 for day in values.reminder_days):
        errors["reminder_days"].append(
            _("Påmindelser angives som et antal dage før lukning mellem 0 og 365.")
        )
    known_profiles = set(values.framework.role_profiles.values_list("code", flat=True))
    if set(values.role_profile_codes) - known_profiles:
        errors["role_profile_codes"].append(_("En af rolleprofilerne findes ikke i rammen."))
    if Instrument.TEST in values.instruments:
        known_areas = set(values.framework.areas.values_list("code", flat=True))
        if not values.test_area_codes or set(values.test_area_codes) - known_areas:
            errors["test_area_codes"].append(_("Vælg de fokusområder, videnstesten skal dække."))
        if not 1 <= values.test_items_per_competence <= 5:
            errors["test_items_per_competence"].append(_("Vælg mellem 1 og 5 spørgsmål pr. kompetence."))
    if errors:
        raise ValidationError(dict(errors))


def _apply_settings(campaign: Campaign, values: CampaignSettings) -> None:
    campaign.name = values.name.strip()
    campaign.framework = values.framework
    campaign.opens_on = values.opens_on
    campaign.closes_on = values.closes_on
    campaign.instruments = [i for i in Instrument.values if i in values.instruments]
    campaign.visibility = values.visibility
    campaign.role_profile_codes = sorted(set(values.role_profile_codes))
    campaign.reminder_days = sorted(set(values.reminder_days), reverse=True)
    campaign.test_area_codes = (
        sorted(set(values.test_area_codes)) if Instrument.TEST in values.instruments else []
    )
    campaign.test_items_per_competence = values.test_items_per_competence


def _set_scope_units(campaign: Campaign, units: Sequence[tuple[OrgUnit, bool]]) -> None:
    CampaignUnit.objects.filter(campaign=campaign).delete()
    CampaignUnit.objects.bulk_create(
        CampaignUnit(
            organisation_id=campaign.organisation_id, campaign=campaign, unit=unit, include_subtree=subtree
        )
        for unit, subtree in {unit.pk: (unit, subtree) for unit, subtree in units}.values()
    )


@transaction.atomic
def campaign_create(*, actor: Actor, values: CampaignSettings) -> Campaign:
    _check_settings(actor.organisation, values)
    campaign = Campaign(organisation=actor.organisation, created_by=actor.user)
    _apply_settings(campaign, values)
    campaign.save()
    _set_scope_units(campaign, values.units)
    if campaign.uses(Instrument.CHIEFS):
        survey_items_install_default(campaign=campaign)
    return campaign


def _lock_draft(campaign: Campaign) -> Campaign:
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.status != CampaignStatus.DRAFT:
        raise ValidationError(_("Målingen er åbnet, så omfang og instrumenter kan ikke længere ændres."))
    return locked


@transaction.atomic
def campaign_update(*, campaign: Campaign, values: CampaignSettings) -> Campaign:
    campaign = _lock_draft(campaign)
    _check_settings(campaign.organisation, values)
    _apply_settings(campaign, values)
    campaign.save()
    _set_scope_units(campaign, values.units)
    if campaign.uses(Instrument.CHIEFS) and not campaign.survey_items.exists():
        survey_items_install_default(campaign=campaign)
    return campaign


@transaction.atomic
def campaign_delete(*, campaign: Campaign) -> None:
    _lock_draft(campaign).delete()


@transaction.atomic
def campaign_extend(*, campaign: Campaign, closes_on: dt.date, today: dt.date) -> Campaign:
    """Move the close date of an open campaign (only later, and not into the past)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(_("Kun en åben måling kan forlænges."))
    if closes_on < max(campaign.closes_on, today):
        raise ValidationError(
            {"closes_on": [_("Den nye lukkedato skal ligge efter den nuværende og i dag.")]}
        )
    campaign.closes_on = closes_on
    campaign.save(update_fields=["closes_on", "updated_at"])

    from . import tasks  # noqa: PLC0415 — tasks import this module

    transaction.on_commit(lambda: tasks.schedule_campaign(campaign))
    return campaign


def scope_people(*, campaign: Campaign, on: dt.date) -> list[tuple[int, int, str, str]]:
    """(person id, unit id, unit path, role profile code) for everyone the campaign asks, one row each.

    A person counts in the unit of their primary engagement (else their earliest) inside the scope.
    """
    scope = list(CampaignUnit.objects.filter(campaign=campaign).select_related("unit"))
    if not scope:
        return []
    unit_q = Q()
    for item in scope:
        unit_q |= (
            Q(unit__path__startswith=item.unit.path) if item.include_subtree else Q(unit_id=item.unit_id)
        )
    rows = (
        Engagement.objects.filter(
            active_engagements_q(on=on), unit_q, organisation_id=campaign.organisation_id
        )
        .order_by("person_id", "-is_primary", "start_date", "pk")
        .values_list("person_id", "unit_id", "unit__path", "job_function_id")
    )
    profile_by_job = job_function_role_profile_codes(
        organisation_id=campaign.organisation_id, framework_key=campaign.framework.key
    )
    wanted = set(campaign.role_profile_codes)
    result: list[tuple[int, int, str, str]] = []
    seen: set[int] = set()
    for person_id, unit_id, path, job_function_id in rows:
        if person_id in seen:
            continue
        seen.add(person_id)
        code = profile_by_job.get(job_function_id, "")
        if wanted and code not in wanted:
            continue
        result.append((person_id, unit_id, path, code))
    return result


@transaction.atomic
def campaign_open(*, campaign: Campaign, today: dt.date | None = None) -> Campaign:
    """Fix the participants, install the item bank if a test is used, and queue the invitations."""
    today = today or timezone.localdate()
    campaign = _lock_draft(campaign)
    if campaign.closes_on < today:
        raise ValidationError(_("Lukkedatoen er passeret. Ret datoerne, før målingen åbnes."))
    if campaign.uses(Instrument.CHIEFS) and not campaign.survey_items.exists():
        raise ValidationError(_("Ledelsesmålingen har ingen spørgsmål."))
    people = scope_people(campaign=campaign, on=max(today, campaign.opens_on))
    person_instruments = set(campaign.instruments) - {Instrument.CHIEFS}
    if person_instruments and not people:
        raise ValidationError(_("Der er ingen medarbejdere i målingens omfang."))
    Participant.objects.bulk_create(
        (
            Participant(
                organisation_id=campaign.organisation_id,
                campaign=campaign,
                person_id=person_id,
                unit_id=unit_id,
                unit_path=path,
                role_profile_code=code,
            )
            for person_id, unit_id, path, code in people
        ),
        batch_size=2000,
    )
    if campaign.uses(Instrument.TEST):
        item_bank_install(organisation=campaign.organisation, framework_key=campaign.framework.key)
    campaign.status = CampaignStatus.OPEN
    campaign.opened_at = timezone.now()
    campaign.save(update_fields=["status", "opened_at", "updated_at"])

    from . import tasks  # noqa: PLC0415 — tasks import this module

    campaign_id = campaign.pk
    if campaign.opens_on <= today:
        transaction.on_commit(lambda: tasks.send_invitations.enqueue(campaign_id))
    # Later work (invitations on a future open date, reminders, closing) is queued for its time.
    transaction.on_commit(lambda: tasks.schedule_campaign(campaign))
    return campaign


@transaction.atomic
def campaign_close(*, campaign: Campaign) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(_("Kun en åben måling kan lukkes."))
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "closed_at", "updated_at"])
    # The apps above publish the round's figures in the same transaction (docs/decisions/0010).
    for path in settings.CAMPAIGN_CLOSED_HANDLERS:
        import_string(path)(campaign_id=campaign.pk)
    return campaign


def campaigns_close_due(*, today: dt.date | None = None) -> int:
    """Close every open campaign whose close date has passed (run daily by the worker)."""
    today = today or timezone.localdate()
    closed = 0
    for campaign in Campaign.objects.filter(status=CampaignStatus.OPEN, closes_on__lt=today):
        campaign_close(campaign=campaign)
        closed += 1
    return closed


# --- Item bank and chiefs' survey items ----------------------------------------------------------


def item_bank_install(*, organisation: Organisation, framework_key: str, path: Path = ITEM_BANK_PATH) -> int:
    """Add the bundled items the organisation does not have yet (by key); returns how many were added."""
    bank = json.loads(path.read_text(encoding="utf-8"))
    if bank.get("framework_key") != framework_key:
        return 0
    existing = set(
        TestItem.objects.filter(organisation=organisation, framework_key=framework_key).values_list(
            "key", flat=True
        )
    )
    new = [
        TestItem(
            organisation=organisation,
            framework_key=framework_key,
            competence_code=item["competence"],
            key=item["key"],
            kind=item["kind"],
            difficulty=item["difficulty"],
            scenario_da=item.get("scenario", {}).get("da", ""),
            scenario_en=item.get("scenario", {}).get("en", ""),
            question_da=item["question"]["da"],
            question_en=item["question"].get("en", ""),
            explanation_da=item["explanation"]["da"],
            explanation_en=item["explanation"].get("en", ""),
            options=[
                {
                    "key": o["key"],
                    "da": o["text"]["da"],
                    "en": o["text"].get("en", ""),
                    "correct": bool(o["correct"]),
                }
                for o in item["options"]
            ],
        )
        for item in bank["items"]
        if item["key"] not in existing
    ]
    TestItem.objects.bulk_create(new)
    return len(new)


def survey_items_install_default(*, campaign: Campaign) -> None:
    data = json.loads(DEFAULT_SURVEY_PATH.read_text(encoding="utf-8"))
    SurveyItem.objects.bulk_create(
        SurveyItem(
            organisation_id=campaign.organisation_id,
            campaign=campaign,
            code=item["code"],
            text_da=item["text"]["da"],
            text_en=item["text"]["en"],
            area_code=item.get("area", ""),
            position=index,
        )
        for index, item in enumerate(data["items"])
    )


@transaction.atomic
def survey_item_save(
    *, campaign: Campaign, item: SurveyItem | None, code: str, text_da: str, text_en: str, area_code: str
) -> SurveyItem:
    """Add or change a chiefs' survey statement while the campaign is a draft."""
    campaign = _lock_draft(campaign)
    errors: dict[str, list[str]] = {}
    if not text_da.strip():
        errors["text_da"] = [_("Skriv spørgsmålet på dansk.")]
    clash = SurveyItem.objects.filter(campaign=campaign, code=code)
    if item is not None:
        clash = clash.exclude(pk=item.pk)
    if not code or clash.exists():
        errors["code"] = [_("Koden skal være udfyldt og må ikke findes i forvejen i målingen.")]
    if errors:
        raise ValidationError(errors)
    if item is None:
        position = campaign.survey_items.count()
        item = SurveyItem(organisation_id=campaign.organisation_id, campaign=campaign, position=position)
    item.code, item.text_da, item.text_en, item.area_code = code, text_da.strip(), text_en.strip(), area_code
    item.save()
    return item


@transaction.atomic
def survey_item_delete(*, campaign: Campaign, item: SurveyItem) -> None:
    _lock_draft(campaign)
    item.delete()


# --- Responses and answers -----------------------------------------------------------------------


class AnswerRefusedError(ValidationError):
    """The answer could not be saved: the campaign is closed, or the person may not answer it."""


def closed_message() -> str:
    return _(
        "Målingen er lukket, så svarene kan ikke længere ændres eller indsendes. Dine gemte svar er bevaret."
    )


def _check_accepts(campaign: Campaign, today: dt.date) -> None:
    if not campaign.accepts_answers(today=today):
        if today < campaign.opens_on:
            raise AnswerRefusedError(
                _("Målingen åbner først %(date)s.") % {"date": date_format(campaign.opens_on, "DATE_FORMAT")}
            )
        raise AnswerRefusedError(closed_message())


def response_get_or_create(
    *, campaign: Campaign, instrument: Instrument, respondent: User, subject: Person | None
) -> Response:
    """The response of this respondent (about this subject), created on first use; safe under races."""
    response, _created = Response.objects.get_or_create(
        campaign=campaign,
        instrument=instrument,
        respondent=respondent,
        subject=subject,
        defaults={"organisation_id": campaign.organisation_id},
    )
    return response


def _touch(response: Response) -> None:
    response.saved_at = timezone.now()
    fields = ["saved_at", "updated_at"]
    if response.is_submitted:
        response.changed_since_submit = True
        fields.append("changed_since_submit")
    response.save(update_fields=fields)


@transaction.atomic
def answers_save(
    *,
    response: Response,
    levels: Mapping[int, int | None],
    comments: Mapping[int, str] | None = None,
    today: dt.date | None = None,
) -> Response:
    """Save answers of a self- or leader assessment, competence id → level (`None` is "ved ikke").

    Saving the same answers again changes nothing, so a client may resend a whole page at every change.
    All answers are checked before any is written: one bad answer saves none of them.
    """
    today = today or timezone.localdate()
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("campaign__framework")
        .get(pk=response.pk)
    )
    _check_accepts(response.campaign, today)
    if response.instrument not in (Instrument.SELF, Instrument.LEADER):
        raise AnswerRefusedError(_("Svaret hører ikke til en vurdering."))
    comments = comments or {}
    wanted = set(levels) | set(comments)
    known = set(
        Competence.objects.filter(framework_id=response.campaign.framework_id, pk__in=wanted).values_list(
            "pk", flat=True
        )
    )
    if wanted - known:
        raise AnswerRefusedError(_("Et af svarene hører ikke til målingens kompetenceramme."))
    level_count = len(response.campaign.framework.levels) or 4
    if any(level is not None and not 1 <= level <= level_count for level in levels.values()):
        raise AnswerRefusedError(_("Vælg et af niveauerne eller »ved ikke«."))
    existing = {
        a.competence_id: a for a in Answer.objects.filter(response=response, competence_id__in=wanted)
    }
    new: list[Answer] = []
    changed: list[Answer] = []
    for competence_id in wanted:
        answer = existing.get(competence_id)
        level = levels.get(competence_id, answer.level if answer else None)
        comment = comments.get(competence_id, answer.comment if answer else "").strip()
        if answer is None:
            new.append(
                Answer(
                    organisation_id=response.organisation_id,
                    response=response,
                    competence_id=competence_id,
                    level=level,
                    comment=comment,
                )
            )
        elif (answer.level, answer.comment) != (level, comment):
            answer.level, answer.comment, answer.updated_at = level, comment, timezone.now()
            changed.append(answer)
    if new or changed:
        Answer.objects.bulk_create(new)
        Answer.objects.bulk_update(changed, ["level", "comment", "updated_at"])
        _touch(response)
    return response


def answer_save(
    *,
    response: Response,
    competence: Competence,
    level: int | None,
    comment: str | None = None,
    today: dt.date | None = None,
) -> Response:
    """Save one answer; see answers_save."""
    return answers_save(
        response=response,
        levels={competence.pk: level},
        comments=None if comment is None else {competence.pk: comment},
        today=today,
    )


@dataclass(frozen=True)
class SubmitResult:
    response: Response
    applied: bool  # False when the call repeated a submission that was already in place
    resubmitted: bool = False  # True when changes after an earlier submission were submitted


@transaction.atomic
def response_submit(*, response: Response, today: dt.date | None = None) -> SubmitResult:
    """Submit a self- or leader assessment: its answers become evidence. Repeating it changes nothing."""
    today = today or timezone.localdate()
    response = Response.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=response.pk)
    _check_accepts(response.campaign, today)
    if response.is_submitted and not response.changed_since_submit:
        return SubmitResult(response=response, applied=False)
    if response.instrument in (Instrument.SELF, Instrument.LEADER):
        _evidence_from_answers(response, today)
    elif response.instrument == Instrument.CHIEFS:
        pass  # The organisation's own statements: they are results, not evidence about a person.
    else:
        raise AnswerRefusedError(_("En videnstest indsendes for sig."))
    resubmitted = response.is_submitted
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = timezone.now()
    response.changed_since_submit = False
    response.save(update_fields=["status", "submitted_at", "changed_since_submit", "updated_at"])
    return SubmitResult(response=response, applied=True, resubmitted=resubmitted)


def _evidence_from_answers(response: Response, today: dt.date) -> None:
    assert response.subject_id is not None
    source = EvidenceSource.SELF if response.instrument == Instrument.SELF else EvidenceSource.LEADER
    answers = list(Answer.objects.filter(response=response))
    current = {e.competence_id: e for e in Evidence.objects.filter(response=response)}
    touched: set[int] = set()
    new: list[Evidence] = []
    changed: list[Evidence] = []
    gone: list[int] = []
    for answer in answers:
        existing = current.get(answer.competence_id)
        if answer.level is None:
            if existing is not None:
                gone.append(existing.pk)
                touched.add(answer.competence_id)
            continue
        if existing is None:
            new.append(
                Evidence(
                    organisation_id=response.organisation_id,
                    person_id=response.subject_id,
                    competence_id=answer.competence_id,
                    source=source,
                    level=answer.level,
                    observed_on=today,
                    campaign_id=response.campaign_id,
                    response=response,
                )
            )
        elif existing.level != answer.level or existing.observed_on != today:
            existing.level, existing.observed_on, existing.updated_at = answer.level, today, timezone.now()
            changed.append(existing)
        else:
            continue
        touched.add(answer.competence_id)
    # Estimates built on withdrawn answers go with their evidence (cascade) and are rebuilt below.
    Evidence.objects.filter(pk__in=gone).delete()
    Evidence.objects.bulk_create(new)
    Evidence.objects.bulk_update(changed, ["level", "observed_on", "updated_at"])
    if touched:
        estimates_recompute(person_id=response.subject_id, competence_ids=touched, today=today)
        _evidence_changed(response, touched)


# --- Knowledge tests -----------------------------------------------------------------------------


def _draw_items(items: list[TestItem], count: int, rng: random.Random) -> list[TestItem]:
    """Pick `count` items spread over difficulty: one from each difficulty in turn, at random within it."""
    strata: dict[int, list[TestItem]] = defaultdict(list)
    for item in items:
        strata[item.difficulty].append(item)
    for bucket in strata.values():
        rng.shuffle(bucket)
    levels = sorted(strata)
    rng.shuffle(levels)
    chosen: list[TestItem] = []
    while len(chosen) < count and any(strata.values()):
        for difficulty in levels:
            if strata[difficulty] and len(chosen) < count:
                chosen.append(strata[difficulty].pop())
    return chosen


def test_competences(*, campaign: Campaign) -> list[Competence]:
    """The competences of the campaign's test areas that have items in the organisation's bank."""
    with_items = set(
        TestItem.objects.filter(
            organisation_id=campaign.organisation_id, framework_key=campaign.framework.key, active=True
        ).values_list("competence_code", flat=True)
    )
    return [
        competence
        for competence in Competence.objects.filter(
            framework=campaign.framework, area__code__in=campaign.test_area_codes
        ).order_by("area__position", "position", "code")
        if competence.code in with_items
    ]


@transaction.atomic
def test_start(*, response: Response, today: dt.date | None = None) -> list[TestQuestion]:
    """Draw the person's questions once (stratified by difficulty per competence); later calls reuse them."""
    today = today or timezone.localdate()
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("campaign__framework")
        .get(pk=response.pk)
    )
    existing = list(response.questions.select_related("item"))
    if existing or response.is_submitted:
        return existing
    _check_accepts(response.campaign, today)
    campaign = response.campaign
    competences = test_competences(campaign=campaign)
    by_code: dict[str, list[TestItem]] = defaultdict(list)
    for item in TestItem.objects.filter(
        organisation_id=campaign.organisation_id,
        framework_key=campaign.framework.key,
        active=True,
        competence_code__in=[c.code for c in competences],
    ).order_by("key"):
        by_code[item.competence_code].append(item)
    rng = random.Random(secrets.randbits(64))  # noqa: S311 — the draw needs spread, not secrecy
    questions: list[TestQuestion] = []
    for competence in competences:
        for item in _draw_items(by_code[competence.code], campaign.test_items_per_competence, rng):
            order = [str(option["key"]) for option in item.options]
            rng.shuffle(order)
            questions.append(
                TestQuestion(
                    organisation_id=response.organisation_id,
                    response=response,
                    item=item,
                    position=len(questions) + 1,
                    option_order=order,
                )
            )
    return TestQuestion.objects.bulk_create(questions)


@transaction.atomic
def test_answer_save(
    *, response: Response, question: TestQuestion, selected: Iterable[str], today: dt.date | None = None
) -> TestQuestion:
    today = today or timezone.localdate()
    response = Response.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=response.pk)
    _check_accepts(response.campaign, today)
    if response.is_submitted:
        raise AnswerRefusedError(_("Testen er indsendt, og svarene kan ikke ændres."))
    if question.response_id != response.pk:
        raise AnswerRefusedError(_("Spørgsmålet hører ikke til din test."))
    chosen = sorted(set(selected))
    if set(chosen) - set(question.option_order):
        raise AnswerRefusedError(_("Vælg et af de viste svar."))
    if question.item.kind == ItemKind.SINGLE and len(chosen) > 1:
        raise AnswerRefusedError(_("Vælg ét svar."))
    if question.selected != chosen:
        question.selected = chosen
        question.answered = bool(chosen)
        question.save(update_fields=["selected", "answered", "updated_at"])
        _touch(response)
    return question


def test_level(score: float) -> int:
    return next(level for threshold, level in TEST_LEVEL_THRESHOLDS if score >= threshold)


@transaction.atomic
def test_submit(*, response: Response, today: dt.date | None = None) -> SubmitResult:
    """Score the test on the server: one evidence row per competence with the score behind the level."""
    today = today or timezone.localdate()
    response = Response.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=response.pk)
    if response.is_submitted:
        return SubmitResult(response=response, applied=False)
    _check_accepts(response.campaign, today)
    assert response.subject_id is not None
    questions = list(response.questions.select_related("item"))
    if not questions:
        raise AnswerRefusedError(_("Testen er ikke startet."))
    competences = {c.code: c for c in Competence.objects.filter(framework_id=response.campaign.framework_id)}
    earned: dict[str, float] = defaultdict(float)
    possible: dict[str, float] = defaultdict(float)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for question in questions:
        is_correct = frozenset(question.selected) == question.item.correct_keys
        question.correct = is_correct
        code = question.item.competence_code
        possible[code] += question.item.difficulty
        earned[code] += question.item.difficulty if is_correct else 0
        counts[code][0] += int(is_correct)
        counts[code][1] += 1
    TestQuestion.objects.bulk_update(questions, ["correct"])
    touched: set[int] = set()
    for code, total in possible.items():
        competence = competences.get(code)
        if competence is None:
            continue
        score = earned[code] / total if total else 0.0
        Evidence.objects.update_or_create(
            response=response,
            competence=competence,
            defaults={
                "organisation_id": response.organisation_id,
                "person_id": response.subject_id,
                "source": EvidenceSource.TEST,
                "level": test_level(score),
                "observed_on": today,
                "campaign_id": response.campaign_id,
                "detail": {"score": round(score, 3), "correct": counts[code][0], "items": counts[code][1]},
            },
        )
        touched.add(competence.pk)
    estimates_recompute(person_id=response.subject_id, competence_ids=touched, today=today)
    _evidence_changed(response, touched)
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = timezone.now()
    response.save(update_fields=["status", "submitted_at", "updated_at"])
    return SubmitResult(response=response, applied=True)


# --- Chiefs' survey ------------------------------------------------------------------------------


@transaction.atomic
def survey_answer_save(
    *, response: Response, item: SurveyItem, value: int | None, today: dt.date | None = None
) -> SurveyAnswer:
    today = today or timezone.localdate()
    response = Response.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=response.pk)
    _check_accepts(response.campaign, today)
    if item.campaign_id != response.campaign_id or response.instrument != Instrument.CHIEFS:
        raise AnswerRefusedError(_("Spørgsmålet hører ikke til målingen."))
    if value is not None and not 1 <= value <= 5:
        raise AnswerRefusedError(_("Vælg et svar på skalaen eller »ved ikke«."))
    answer, created = SurveyAnswer.objects.get_or_create(
        response=response, item=item, defaults={"organisation_id": response.organisation_id, "value": value}
    )
    if not created and answer.value != value:
        answer.value = value
        answer.save(update_fields=["value", "updated_at"])
    elif not created:
        return answer
    _touch(response)
    return answer


def _evidence_changed(response: Response, competence_ids: set[int]) -> None:
    """Tell the apps above (analytics' rollups) in the same transaction; see docs/decisions/0009."""
    if not competence_ids or response.subject_id is None:
        return
    for path in settings.EVIDENCE_CHANGED_HANDLERS:
        handler = import_string(path)
        handler(
            organisation_id=response.organisation_id,
            person_id=response.subject_id,
            campaign_id=response.campaign_id,
            competence_ids=frozenset(competence_ids),
        )


# --- Evidence → estimate (DESIGN.md §2) ----------------------------------------------------------


def estimates_recompute(
    *, person_id: int, competence_ids: Iterable[int], today: dt.date | None = None
) -> None:
    """Re-derive the person's estimate for these competences from their valid evidence.

    The first source in SOURCE_PRIORITY with evidence inside the validity period wins; within it the
    most recent. A self-assessment 2+ levels from the most recent test or leader rating is flagged.
    """
    today = today or timezone.localdate()
    ids = set(competence_ids)
    if not ids:
        return
    since = today - dt.timedelta(days=settings.ESTIMATE_VALIDITY_DAYS)
    evidence = Evidence.objects.filter(
        person_id=person_id, competence_id__in=ids, observed_on__gte=since
    ).order_by("-observed_on", "-pk")
    latest: dict[int, dict[str, Evidence]] = defaultdict(dict)
    for row in evidence:
        latest[row.competence_id].setdefault(row.source, row)
    existing = {
        e.competence_id: e
        for e in CompetenceEstimate.objects.filter(person_id=person_id, competence_id__in=ids)
    }
    new: list[CompetenceEstimate] = []
    changed: list[CompetenceEstimate] = []
    gone: list[int] = []
    for competence_id in ids:
        by_source = latest.get(competence_id, {})
        chosen = _choose({s: (e.pk, e.level, e.observed_on) for s, e in by_source.items()})
        estimate = existing.get(competence_id)
        if chosen is None:
            if estimate is not None:
                gone.append(estimate.pk)
            continue
        source, _row, flag = chosen
        evidence_row = by_source[source]
        values = {
            "level": evidence_row.level,
            "source": source,
            "evidence": evidence_row,
            "observed_on": evidence_row.observed_on,
            "calibration_flag": flag,
        }
        if estimate is None:
            new.append(
                CompetenceEstimate(
                    organisation_id=evidence_row.organisation_id,
                    person_id=person_id,
                    competence_id=competence_id,
                    **values,
                )
            )
        elif any(getattr(estimate, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(estimate, key, value)
            estimate.updated_at = timezone.now()
            changed.append(estimate)
    CompetenceEstimate.objects.filter(pk__in=gone).delete()
    CompetenceEstimate.objects.bulk_create(new)
    CompetenceEstimate.objects.bulk_update(changed, [*ESTIMATE_FIELDS, "updated_at"])


ESTIMATE_FIELDS = ("level", "source", "evidence", "observed_on", "calibration_flag")


def _choose(latest: dict[str, tuple[int, int, dt.date]]) -> tuple[str, tuple[int, int, dt.date], bool] | None:
    """Apply the estimate rule to the latest valid evidence per source: (source, (id, level, date), flag)."""
    source = next((s for s in SOURCE_PRIORITY if s in latest), None)
    if source is None:
        return None
    own = latest.get(EvidenceSource.SELF)
    flag = own is not None and any(
        other is not None and abs(other[1] - own[1]) >= 2
        for other in (latest.get(EvidenceSource.TEST), latest.get(EvidenceSource.LEADER))
    )
    return source, latest[source], flag


@transaction.atomic
def estimates_rebuild(*, organisation_id: int, today: dt.date | None = None) -> int:
    """Recompute every estimate of the organisation from its evidence, in bulk; returns how many exist."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=settings.ESTIMATE_VALIDITY_DAYS)
    rows = (
        Evidence.objects.filter(organisation_id=organisation_id, observed_on__gte=since)
        .order_by("person_id", "competence_id", "source", "-observed_on", "-pk")
        .values_list("person_id", "competence_id", "source", "pk", "level", "observed_on")
        .iterator(chunk_size=20_000)
    )
    latest: dict[tuple[int, int], dict[str, tuple[int, int, dt.date]]] = defaultdict(dict)
    for person_id, competence_id, source, pk, level, observed_on in rows:
        latest[(person_id, competence_id)].setdefault(source, (pk, level, observed_on))
    CompetenceEstimate.objects.filter(organisation_id=organisation_id).delete()
    estimates = []
    for (person_id, competence_id), by_source in latest.items():
        chosen = _choose(by_source)
        if chosen is None:
            continue
        source, (evidence_id, level, observed_on), flag = chosen
        estimates.append(
            CompetenceEstimate(
                organisation_id=organisation_id,
                person_id=person_id,
                competence_id=competence_id,
                level=level,
                source=source,
                evidence_id=evidence_id,
                observed_on=observed_on,
                calibration_flag=flag,
            )
        )
    CompetenceEstimate.objects.bulk_create(estimates, batch_size=5000)
    return len(estimates)


def role_target_levels(*, role_profile_code: str, framework: Framework) -> dict[int, RoleTarget]:
    """Targets of a role profile by competence id (empty when the person has no role profile)."""
    if not role_profile_code:
        return {}
    return {
        t.competence_id: t
        for t in RoleTarget.objects.filter(
            role_profile__framework=framework, role_profile__code=role_profile_code
        )
    }


# --- Invitations, reminders and sign-in links ---------------------------------------------------

SIGNIN_SALT = "fagdigital.assessments.signin"


class SignInLinkInvalidError(ValidationError):
    """The link is unknown, used, replaced by a newer one, expired, or its campaign has closed."""


def signin_token(*, participant: Participant) -> str:
    """A one-time sign-in token: it names the participant and a nonce that is rotated on every use."""
    participant.link_nonce = secrets.token_hex(16)
    participant.save(update_fields=["link_nonce", "updated_at"])
    return signing.dumps({"p": participant.pk, "n": participant.link_nonce}, salt=SIGNIN_SALT, compress=True)


@transaction.atomic
def signin_link_use(*, token: str, today: dt.date | None = None) -> tuple[User, Participant]:
    """Check a sign-in link and return the user to log in (created for the person on first use)."""
    today = today or timezone.localdate()
    expired = _("Linket er udløbet eller allerede brugt. Bed om et nyt, eller log ind med din adgangskode.")
    try:
        data = signing.loads(
            token, salt=SIGNIN_SALT, max_age=dt.timedelta(days=settings.SIGNIN_LINK_MAX_AGE_DAYS)
        )
    except signing.BadSignature as error:
        raise SignInLinkInvalidError(expired) from error
    participant = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("campaign", "person__user", "campaign__organisation")
        .filter(pk=data.get("p"))
        .first()
    )
    if (
        participant is None
        or not participant.link_nonce
        or not secrets.compare_digest(participant.link_nonce, str(data.get("n", "")))
    ):
        raise SignInLinkInvalidError(expired)
    if not participant.campaign.accepts_answers(today=today):
        raise SignInLinkInvalidError(_("Målingen er lukket, så linket virker ikke længere."))
    person = participant.person
    user = person.user
    if user is not None and user.has_usable_password():
        raise SignInLinkInvalidError(_("Du har en adgangskode. Log ind med den."))
    if user is None:
        user = User.objects.filter(email__iexact=person.email).first() if person.email else None
        if user is not None and user.has_usable_password():
            raise SignInLinkInvalidError(_("Du har en adgangskode. Log ind med den."))
        if user is None:
            user = User.objects.create_user(
                email=person.email or f"{secrets.token_hex(8)}@link.invalid", password=None
            )
        person.user = user
        person.save(update_fields=["user", "updated_at"])
    membership_grant(user=user, organisation=participant.campaign.organisation, roles=[Role.EMPLOYEE])
    participant.link_nonce = ""
    participant.save(update_fields=["link_nonce", "updated_at"])
    return user, participant


def _message_for(participant: Participant, kind: InvitationKind, base_url: str) -> EmailMessage | None:
    person = participant.person
    email = person.user.email if person.user_id and person.user else person.email
    if not email:
        return None
    with_link = person.user is None or not person.user.has_usable_password()
    link = (
        f"{base_url}/maalinger/link/{signin_token(participant=participant)}/"
        if with_link
        else f"{base_url}/maalinger/mine/"
    )
    context = {
        "person": person,
        "campaign": participant.campaign,
        "link": link,
        "with_link": with_link,
        "link_days": settings.SIGNIN_LINK_MAX_AGE_DAYS,
        "is_reminder": kind == InvitationKind.REMINDER,
    }
    with translation.override("da"):
        subject = render_to_string("assessments/email/invitation_subject.txt", context).strip()
        body = render_to_string("assessments/email/invitation.txt", context)
    SentMessage.objects.create(
        organisation_id=participant.organisation_id,
        participant=participant,
        kind=kind,
        to=email,
        with_link=with_link,
    )
    return EmailMessage(subject=subject, body=body, to=[email])


def _send(participants: Iterable[Participant], kind: InvitationKind) -> int:
    base_url = settings.SITE_URL.rstrip("/")
    messages = [m for p in participants if (m := _message_for(p, kind, base_url)) is not None]
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)
    return len(messages)


def invitations_send(*, campaign_id: int) -> int:
    """E-mail everyone in an open campaign who has not been invited yet; returns how many were sent."""
    campaign = Campaign.objects.get(pk=campaign_id)
    if campaign.status != CampaignStatus.OPEN:
        return 0
    sent = 0
    # People without any e-mail address cannot be invited; the participant list shows them as not invited.
    no_address = Q(person__email="") & (Q(person__user__isnull=True) | Q(person__user__email=""))
    pending = (
        Participant.objects.filter(campaign=campaign, invited_at__isnull=True)
        .exclude(no_address)
        .select_related("person__user", "campaign")
    )
    while True:
        with transaction.atomic():
            batch = list(pending.select_for_update(skip_locked=True, of=("self",))[:500])
            if not batch:
                return sent
            sent += _send(batch, InvitationKind.INVITATION)
            Participant.objects.filter(pk__in=[p.pk for p in batch]).update(invited_at=timezone.now())


@transaction.atomic
def invitation_resend(*, participant: Participant) -> bool:
    """Send the invitation again (with a fresh link, which replaces the old one)."""
    if not participant.campaign.accepts_answers(today=timezone.localdate()):
        raise ValidationError(_("Målingen er ikke åben, så der kan ikke sendes invitationer."))
    sent = _send([participant], InvitationKind.INVITATION) == 1
    if sent:
        participant.invited_at = timezone.now()
        participant.save(update_fields=["invited_at", "updated_at"])
    return sent


def invitations_send_due(*, today: dt.date | None = None) -> int:
    """Invite everyone not yet invited to campaigns that have reached their open date."""
    today = today or timezone.localdate()
    campaigns = Campaign.objects.filter(
        status=CampaignStatus.OPEN,
        opens_on__lte=today,
        closes_on__gte=today,
        participants__invited_at__isnull=True,
    ).distinct()
    return sum(invitations_send(campaign_id=campaign.pk) for campaign in campaigns)


def reminders_send_due(*, today: dt.date | None = None) -> int:
    """Remind people who have not submitted their self-assessment, on each reminder day of the campaign."""
    today = today or timezone.localdate()
    sent = 0
    for campaign in Campaign.objects.filter(
        status=CampaignStatus.OPEN, opens_on__lte=today, closes_on__gte=today
    ):
        due = [day for day in campaign.reminder_days if (campaign.closes_on - today).days <= day]
        if not due:
            continue
        day = min(due)
        first = Instrument.SELF if campaign.uses(Instrument.SELF) else Instrument.TEST
        submitted = Response.objects.filter(
            campaign=campaign, status=ResponseStatus.SUBMITTED, instrument=first
        ).values("subject_id")
        with transaction.atomic():
            waiting = [
                participant
                for participant in Participant.objects.filter(campaign=campaign, invited_at__isnull=False)
                .exclude(person_id__in=submitted)
                .select_related("person__user", "campaign")
                .select_for_update(of=("self",))
                if day not in participant.reminders_sent
            ]
            sent += _send(waiting, InvitationKind.REMINDER)
            for participant in waiting:
                participant.reminders_sent = sorted({*participant.reminders_sent, day})
            Participant.objects.bulk_update(waiting, ["reminders_sent"])
    return sent
