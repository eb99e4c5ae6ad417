"""Assessment campaigns and what they produce: responses, answers, evidence and competence estimates.

A campaign fixes its participants when it opens (`Participant`), so response rates and reminders
refer to the people who were asked, even if the org structure changes while it runs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fagdigital.core.models import TenantModel
from fagdigital.frameworks.models import BilingualMixin
from fagdigital.privacy.texts import respondent_notice
from fagdigital.tenancy.models import Organisation


class Instrument(models.TextChoices):
    SELF = "self", _("Selvvurdering")
    LEADER = "leader", _("Ledervurdering")
    TEST = "test", _("Videnstest")
    CHIEFS = "chiefs", _("Ledelsesmåling")


class Visibility(models.TextChoices):
    DEVELOPMENT = "development", _("Udviklingssamtale")
    ANONYMOUS = "anonymous", _("Anonym måling")


def visibility_explanation(visibility: str, organisation: Organisation) -> str:
    """What a visibility mode means, with the organisation's own k: admins read it when choosing,
    respondents before they answer (the wording is the privacy package's)."""
    return respondent_notice(organisation=organisation, development=visibility == Visibility.DEVELOPMENT)


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    OPEN = "open", _("Åben")
    CLOSED = "closed", _("Lukket")


class Campaign(TenantModel):
    """A measurement round (måling) over one published framework version."""

    name = models.CharField(_("navn"), max_length=200)
    framework = models.ForeignKey("frameworks.Framework", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=CampaignStatus.choices, default="draft")
    opens_on = models.DateField(_("åbner"))
    closes_on = models.DateField(_("lukker"))
    instruments = models.JSONField(_("instrumenter"), default=list)
    visibility = models.CharField(_("synlighed"), max_length=16, choices=Visibility.choices)
    # Days before the close date on which people who have not submitted get a reminder.
    reminder_days = models.JSONField(_("påmindelser (dage før lukning)"), default=list, blank=True)
    # Empty: everyone in the scope units; else only people whose role profile has one of these codes.
    role_profile_codes = models.JSONField(_("rolleprofiler"), default=list, blank=True)
    # Areas whose competences the knowledge test covers, and how many items per competence.
    test_area_codes = models.JSONField(_("videnstestens fokusområder"), default=list, blank=True)
    # At least evidence_rule.MIN_ITEMS_FOR_TEST_LEVEL for a test level (docs/decisions/0016).
    test_items_per_competence = models.PositiveSmallIntegerField(_("spørgsmål pr. kompetence"), default=4)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("måling")
        verbose_name_plural = _("målinger")
        ordering: ClassVar = ["-opens_on", "-id"]
        indexes: ClassVar = [models.Index(fields=["organisation", "status"], name="campaign_org_status")]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="campaign_window_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A closed round never opens again: its results were published when it closed."""
        fields = kwargs.get("update_fields")
        if (
            self.pk is not None
            and self.status != CampaignStatus.CLOSED
            and (fields is None or "status" in fields)
            and Campaign.objects.filter(pk=self.pk, status=CampaignStatus.CLOSED).exists()
        ):
            raise ValidationError(
                gettext("En lukket måling kan ikke åbnes igen. Opret en ny måling, hvis I vil måle igen.")
            )
        super().save(*args, **kwargs)

    def accepts_answers(self, *, today: dt.date) -> bool:
        """Answers can be given and changed from the open date until and including the close date."""
        return self.status == CampaignStatus.OPEN and self.opens_on <= today <= self.closes_on

    @property
    def visibility_text(self) -> str:
        return visibility_explanation(self.visibility, self.organisation)

    def uses(self, instrument: Instrument | str) -> bool:
        return str(instrument) in self.instruments


class CampaignUnit(TenantModel):
    """An org unit in a campaign's scope, with or without the units below it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="scope_units")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+")
    include_subtree = models.BooleanField(_("med underliggende enheder"), default=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="campaign_unit_once")
        ]


class Participant(TenantModel):
    """A person asked to answer a campaign: fixed when the campaign opens."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, db_index=True)
    role_profile_code = models.SlugField(max_length=100, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    # Reminder days (as in Campaign.reminder_days) already sent, so a reminder is sent once.
    reminders_sent = models.JSONField(default=list, blank=True)
    # Rotated whenever a sign-in link is sent or used: a link works once and only the latest works.
    link_nonce = models.CharField(max_length=32, blank=True)
    # The last reminder (daily or "send reminder now"), so a second click within a day reminds nobody twice.
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["campaign", "person"], name="participant_once_per_campaign")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.person_id}"


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    SUBMITTED = "submitted", _("Indsendt")


class RespondentType(models.TextChoices):
    """Which kind of chief answers, chosen by the chief: IT i Praksis asks top and digitalisation chiefs."""

    TOP = "topchef", _("Topchef (kommunaldirektør eller direktør)")
    DIGITAL = "digitaliseringschef", _("Digitaliserings- eller it-chef")
    SERVICE_AREA = "fagchef", _("Fagchef")


class Response(TenantModel):
    """One person's answers to one instrument of a campaign, saved as they go.

    `subject` is whom the answers are about: the respondent's own person for self-assessment and test,
    a team member for a leader assessment, nobody for the chiefs' survey.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    instrument = models.CharField(max_length=16, choices=Instrument.choices)
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, null=True, related_name="+")
    status = models.CharField(max_length=16, choices=ResponseStatus.choices, default="draft")
    saved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Answers changed after the last submission: the person must submit again for them to count.
    changed_since_submit = models.BooleanField(default=False)
    # The chiefs' survey only: the kind of chief the respondent answers as (RespondentType), chosen by them.
    respondent_type = models.CharField(
        max_length=24, choices=RespondentType.choices, blank=True, default="", db_default=""
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["campaign", "instrument", "subject", "respondent"],
                condition=Q(subject__isnull=False),
                name="response_once_per_subject",
            ),
            models.UniqueConstraint(
                fields=["campaign", "respondent"],
                condition=Q(instrument="chiefs"),
                name="chiefs_response_once",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["campaign", "instrument", "status"], name="response_status")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.instrument}:{self.subject_id}"

    @property
    def is_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED


class Answer(TenantModel):
    """A chosen level for one competence; no level means "ved ikke"."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    competence = models.ForeignKey("frameworks.Competence", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["response", "competence"], name="answer_once_per_competence")
        ]


class ItemKind(models.TextChoices):
    SINGLE = "single", _("Ét rigtigt svar")
    MULTIPLE = "multiple", _("Flere rigtige svar")


class ItemOrigin(models.TextChoices):
    BUNDLED = "bundled", _("Fra fagdigital")
    ORGANISATION = "organisation", _("Organisationens eget")


class TestItem(BilingualMixin, TenantModel):
    """A knowledge-test question for one competence (by code, so it survives new framework versions).

    An item that has been drawn in a test is never changed: a change is saved as a new revision of the
    same key, and the old one is retired, so every result page keeps showing what the person answered.
    """

    __test__ = False  # not a pytest test class

    framework_key = models.SlugField(max_length=100)
    competence_code = models.CharField(max_length=100)
    key = models.CharField(max_length=50)
    revision = models.PositiveSmallIntegerField(default=1)
    origin = models.CharField(max_length=16, choices=ItemOrigin.choices, default=ItemOrigin.BUNDLED)
    kind = models.CharField(max_length=16, choices=ItemKind.choices)
    difficulty = models.PositiveSmallIntegerField(default=2)
    # Role profile codes whose work the scenario describes; empty: the item fits every role.
    role_codes = models.JSONField(default=list, blank=True)
    scenario_da = models.TextField(blank=True)
    scenario_en = models.TextField(blank=True)
    question_da = models.TextField()
    question_en = models.TextField(blank=True)
    explanation_da = models.TextField()
    explanation_en = models.TextField(blank=True)
    # [{"key": "a", "da": ..., "en": ..., "correct": bool}] — never rendered before submission.
    options = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "framework_key", "key", "revision"], name="test_item_key_revision"
            ),
            models.UniqueConstraint(
                fields=["organisation", "framework_key", "key"],
                condition=Q(active=True),
                name="test_item_one_active_revision",
            ),
        ]
        indexes: ClassVar = [
            models.Index(
                fields=["organisation", "framework_key", "competence_code"], name="test_item_competence"
            )
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def correct_keys(self) -> frozenset[str]:
        return frozenset(str(option["key"]) for option in self.options if option.get("correct"))

    def fits_role(self, role_code: str) -> bool:
        """Whether the item's scenario fits a person of this role profile ("" = none: neutral items only)."""
        return not self.role_codes or role_code in self.role_codes


class FrameworkTestPolicy(TenantModel):
    """How far a knowledge test reaches in one framework version: levels 1..knowledge_cap are knowledge.

    Without a row the cap is evidence_rule.DEFAULT_KNOWLEDGE_CAP. Fixed once the version is published,
    like everything else in it, so published figures can be rebuilt from the same rule.
    """

    framework = models.OneToOneField("frameworks.Framework", on_delete=models.CASCADE, related_name="+")
    knowledge_cap = models.PositiveSmallIntegerField(_("højeste niveau, en videnstest kan vise"), default=3)

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(knowledge_cap__gte=1, knowledge_cap__lte=4), name="knowledge_cap_is_a_level"
            )
        ]


class TestQuestion(TenantModel):
    """An item drawn for one person's test, with its shown option order and the chosen options."""

    __test__ = False  # not a pytest test class

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="questions")
    item = models.ForeignKey(TestItem, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    option_order = models.JSONField(default=list)
    selected = models.JSONField(default=list, blank=True)
    answered = models.BooleanField(default=False)
    correct = models.BooleanField(null=True)

    class Meta:
        ordering: ClassVar = ["position"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["response", "item"], name="test_question_once"),
            models.UniqueConstraint(fields=["response", "position"], name="test_question_position"),
        ]


class SurveyTheme(models.TextChoices):
    """What a chiefs' survey statement asks about; the survey page groups the statements by it."""

    GENERAL = "", _("Overordnet")
    # The chiefs' view of the staff's competences in one focus area (area_code), shown beside the measured
    # share of employees at target in that area.
    PERCEPTION = "perception", _("Ledelsens vurdering af fokusområdet")
    BARRIER = "barrier", _("Barrierer")
    NEED = "need", _("Behov")


class SurveyOrigin(models.TextChoices):
    """Where a statement's wording comes from, shown beside it: an own item is never taken for a survey's."""

    IT_I_PRAKSIS = "it-i-praksis", _("Som i Rambølls IT i Praksis (ordlyd efter artiklens gengivelse)")
    OWN = "own", _("fagdigitals eget spørgsmål")


class SurveyItem(BilingualMixin, TenantModel):
    """A chiefs' survey statement, answered on the five-point degree scale."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="survey_items")
    code = models.SlugField(max_length=50)
    text_da = models.TextField()
    text_en = models.TextField(blank=True)
    area_code = models.CharField(max_length=50, blank=True)
    theme = models.CharField(
        max_length=16, choices=SurveyTheme.choices, blank=True, default="", db_default=""
    )
    origin = models.CharField(
        max_length=16, choices=SurveyOrigin.choices, default=SurveyOrigin.OWN, db_default=SurveyOrigin.OWN
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["position", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["campaign", "code"], name="survey_item_code_once")
        ]

    def __str__(self) -> str:
        return self.code


class DegreeScale(models.IntegerChoices):
    NOT_AT_ALL = 1, _("Slet ikke")
    SMALL = 2, _("I mindre grad")
    SOME = 3, _("I nogen grad")
    HIGH = 4, _("I høj grad")
    VERY_HIGH = 5, _("I meget høj grad")


class SurveyAnswer(TenantModel):
    """An answer to a survey statement; no value means "ved ikke"."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="survey_answers")
    item = models.ForeignKey(SurveyItem, on_delete=models.CASCADE, related_name="answers")
    value = models.PositiveSmallIntegerField(null=True, blank=True, choices=DegreeScale.choices)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["response", "item"], name="survey_answer_once")
        ]


class EvidenceSource(models.TextChoices):
    TEST = "test", _("Videnstest")
    LEADER = "leader", _("Ledervurdering")
    LEARNING = "learning", _("Gennemført læringsaktivitet")
    SELF = "self", _("Selvvurdering")


# The order sources are shown in. Which one gives the level is evidence_rule's (docs/decisions/0016).
SOURCE_PRIORITY: tuple[str, ...] = (
    EvidenceSource.TEST,
    EvidenceSource.LEADER,
    EvidenceSource.LEARNING,
    EvidenceSource.SELF,
)


class Evidence(TenantModel):
    """One observation of a person's level in a competence, from one source on one date."""

    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")
    competence = models.ForeignKey("frameworks.Competence", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=16, choices=EvidenceSource.choices)
    level = models.PositiveSmallIntegerField()
    observed_on = models.DateField()
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, null=True, related_name="+")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, null=True, related_name="evidence")
    # Knowledge tests: {"correct": 3, "items": 4, "cap": 3}, for the person's explanation.
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["response", "competence"],
                condition=Q(response__isnull=False),
                name="evidence_once_per_response",
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["person", "competence", "observed_on"], name="evidence_person_competence"),
            models.Index(fields=["campaign", "source"], name="evidence_campaign_source"),
        ]


class CompetenceEstimate(TenantModel):
    """A person's current level in a competence, and the evidence it was taken from."""

    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")
    competence = models.ForeignKey("frameworks.Competence", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=16, choices=EvidenceSource.choices)
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="+")
    observed_on = models.DateField()
    # A self-assessment 2+ levels away from the test or leader rating (DESIGN.md §2, calibration).
    calibration_flag = models.BooleanField(default=False)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["person", "competence"], name="estimate_once_per_competence")
        ]
        indexes: ClassVar = [
            models.Index(fields=["organisation", "competence"], name="estimate_org_competence")
        ]


class InvitationKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Påmindelse")
    NEW_LINK = "new_link", _("Nyt link")


class SentMessage(TenantModel):
    """A log of invitations and reminders, so admins can see what went out and re-send."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=16, choices=InvitationKind.choices)
    to = models.EmailField()
    with_link = models.BooleanField(default=False)

    class Meta:
        ordering: ClassVar = ["-created_at"]


class SendFailure(TenantModel):
    """Invitations or reminders of a round that could not be sent: shown to HR on the round's page with a
    button to try again, so a failing mail server or a bad message never fails silently."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="send_failures")
    kind = models.CharField(max_length=16, choices=InvitationKind.choices)
    recipients = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at"]
        indexes: ClassVar = [models.Index(fields=["campaign", "resolved_at"], name="send_failure_open")]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.kind}:{self.error[:40]}"
