"""Developing people (decision 0018): the learning catalogue, individual and team plans, completions,
the xAPI statement intake and learning communities.

Activities name competences by framework key and competence *code* (like the knowledge test's item
bank), so an offer survives new framework versions and serves every municipality using the framework.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fagdigital.core.models import TenantModel, TimeStampedModel
from fagdigital.frameworks.models import LEVEL_COUNT, BilingualMixin

# --- The catalogue ---------------------------------------------------------------------------------


class ActivityFormat(models.TextChoices):
    E_LEARNING = "e_learning", _("E-læring")
    WORKSHOP = "workshop", _("Workshop")
    PEER_LEARNING = "peer_learning", _("Sidemandsoplæring")
    SUPERUSER = "superuser", _("Superbrugerforløb")
    COURSE = "course", _("Kursus")
    AMU = "amu", _("AMU-kursus")
    DIPLOMA = "diploma", _("Diplommodul")
    MICRO_LEARNING = "micro_learning", _("Mikrolæring")


class Delivery(models.TextChoices):
    ON_SITE = "on_site", _("Fremmøde")
    ONLINE = "online", _("Online")
    BLENDED = "blended", _("Fremmøde og online")


class ActivityLanguage(models.TextChoices):
    DANISH = "da", _("Dansk")
    ENGLISH = "en", _("Engelsk")


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    PUBLISHED = "published", _("Udgivet")
    ARCHIVED = "archived", _("Arkiveret")


class LearningActivity(BilingualMixin, TenantModel):
    """A learning activity, owned by `organisation`: a municipality (its own offers), an education
    provider (offered to the networks it serves) or a network operator (the network's shared catalogue).
    """

    key = models.SlugField(_("nøgle"), max_length=100)
    title_da = models.CharField(_("titel (dansk)"), max_length=200)
    title_en = models.CharField(_("titel (engelsk)"), max_length=200, blank=True)
    description_da = models.TextField(_("beskrivelse (dansk)"), blank=True)
    description_en = models.TextField(_("beskrivelse (engelsk)"), blank=True)
    format = models.CharField(_("form"), max_length=20, choices=ActivityFormat.choices)
    duration_hours = models.DecimalField(
        _("varighed (timer)"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(9999)],
    )
    ects = models.DecimalField(_("ECTS-point"), max_digits=4, decimal_places=1, null=True, blank=True)
    cost_dkk = models.PositiveIntegerField(_("pris pr. deltager (kr.)"), default=0)
    language = models.CharField(
        _("sprog"), max_length=2, choices=ActivityLanguage.choices, default=ActivityLanguage.DANISH
    )
    delivery = models.CharField(_("sted"), max_length=16, choices=Delivery.choices, default=Delivery.ON_SITE)
    place = models.CharField(_("adresse eller by"), max_length=200, blank=True)
    provider_name = models.CharField(_("udbyder"), max_length=200, blank=True)
    url = models.URLField(_("link til beskrivelsen"), max_length=500, blank=True)
    signup_url = models.URLField(_("link til tilmelding"), max_length=500, blank=True)
    framework_key = models.SlugField(_("kompetenceramme"), max_length=100)
    status = models.CharField(
        _("status"), max_length=16, choices=ActivityStatus.choices, default=ActivityStatus.PUBLISHED
    )
    # The xAPI activity id (IRI) an LMS reports completions with; by default one of ours.
    xapi_id = models.CharField(_("xAPI-aktivitets-id"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("læringsaktivitet")
        verbose_name_plural = _("læringsaktiviteter")
        ordering: ClassVar = ["title_da", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["organisation", "key"], name="activity_key_unique_per_owner"),
            models.UniqueConstraint(
                fields=["organisation", "xapi_id"], name="activity_xapi_id_unique_per_owner"
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["xapi_id"], name="activity_xapi_id")]

    def __str__(self) -> str:
        return self.title_da


class ActivityCompetence(models.Model):
    """A competence (by code) the activity develops, and the level it develops it to."""

    activity = models.ForeignKey(LearningActivity, on_delete=models.CASCADE, related_name="competences")
    competence_code = models.CharField(_("kompetence"), max_length=100)
    level = models.PositiveSmallIntegerField(_("niveau"))

    class Meta:
        ordering: ClassVar = ["competence_code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["activity", "competence_code"], name="activity_competence_once"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=LEVEL_COUNT), name="activity_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competence_code}:{self.level}"


class ProviderNetwork(TimeStampedModel):
    """An education provider admitted by a network's coordinator: it may offer activities to the
    network's municipalities and see their anonymised demand."""

    network = models.ForeignKey("tenancy.Network", on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey("tenancy.Organisation", on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["network", "provider"], name="provider_network_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider_id}@{self.network_id}"


class ShareState(models.TextChoices):
    PROPOSED = "proposed", _("Foreslået")
    SHARED = "shared", _("Delt")


class ActivityShare(TimeStampedModel):
    """An activity offered to a network's municipalities. A municipality proposes, the coordinator
    shares; providers and the network's own catalogue share directly."""

    activity = models.ForeignKey(LearningActivity, on_delete=models.CASCADE, related_name="shares")
    network = models.ForeignKey("tenancy.Network", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=16, choices=ShareState.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["activity", "network"], name="activity_share_once")
        ]
        indexes: ClassVar = [models.Index(fields=["network", "state"], name="activity_share_network")]

    def __str__(self) -> str:
        return f"{self.activity_id}@{self.network_id}:{self.state}"


class ImportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    JSON = "json", _("JSON")


class CatalogueImportStatus(models.TextChoices):
    VALID = "valid", _("Klar til indlæsning")
    INVALID = "invalid", _("Fejl i filen")
    APPLIED = "applied", _("Indlæst")


class CatalogueImport(TenantModel):
    """An uploaded catalogue file, kept from the preview to the confirmation (then its content is cleared)."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(max_length=255)
    file_format = models.CharField(max_length=8, choices=ImportFormat.choices)
    content = models.BinaryField()
    status = models.CharField(max_length=16, choices=CatalogueImportStatus.choices)
    problems = models.JSONField(default=list)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return self.filename


# --- Individual plans --------------------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    REVIEW = "review", _("Til gennemsyn hos lederen")
    APPROVED = "approved", _("Godkendt")
    DONE = "done", _("Afsluttet")


OPEN_PLAN_STATES = (PlanStatus.DRAFT, PlanStatus.REVIEW, PlanStatus.APPROVED)


class DevelopmentPlan(TenantModel):
    """A person's development plan, made for the development conversation (MUS): the employee drafts,
    a current leader reviews and approves, progress and completions follow."""

    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("overskrift"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by_name = models.CharField(max_length=300, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("udviklingsplan")
        verbose_name_plural = _("udviklingsplaner")
        ordering: ClassVar = ["-created_at", "-pk"]
        constraints: ClassVar = [
            # One plan at a time: the next one starts when this one is done.
            models.UniqueConstraint(
                fields=["person"], condition=~Q(status="done"), name="one_open_plan_per_person"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status != PlanStatus.DONE


class GoalStatus(models.TextChoices):
    OPEN = "open", _("I gang")
    REACHED = "reached", _("Nået")


class PlanGoal(TenantModel):
    """A goal in a plan: a competence (by code), the level aimed for, a deadline and the employee's words."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="goals")
    competence_code = models.CharField(_("kompetence"), max_length=100)
    target_level = models.PositiveSmallIntegerField(_("niveau, der sigtes mod"))
    deadline = models.DateField(_("frist"))
    note = models.TextField(_("hvad vil du gøre, og hvad skal det føre til?"), blank=True)
    status = models.CharField(max_length=16, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    position = models.PositiveSmallIntegerField(default=0)
    # Days before the deadline on which a reminder went out (settings.DEVELOPMENT_REMINDER_DAYS).
    reminders_sent = models.JSONField(default=list, blank=True)

    class Meta:
        ordering: ClassVar = ["position", "pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(target_level__gte=1, target_level__lte=LEVEL_COUNT), name="goal_level_range"
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["deadline", "status"], name="goal_deadline")]

    def __str__(self) -> str:
        return f"{self.competence_code}→{self.target_level}"


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planlagt")
    REPORTED = "reported", _("Meldt gennemført, afventer lederen")
    COMPLETED = "completed", _("Gennemført")


class PlanActivity(TenantModel):
    """An activity under a goal: from the catalogue, or the plan's own (e.g. a colleague's peer training)."""

    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="activities")
    activity = models.ForeignKey(
        LearningActivity, on_delete=models.PROTECT, null=True, blank=True, related_name="planned"
    )
    own_title = models.CharField(_("egen aktivitet"), max_length=200, blank=True)
    planned_on = models.DateField(_("senest"), null=True, blank=True)
    status = models.CharField(max_length=16, choices=ItemStatus.choices, default=ItemStatus.PLANNED)
    reported_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["planned_on", "pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(activity__isnull=False) | ~Q(own_title=""), name="plan_activity_named"
            )
        ]

    def __str__(self) -> str:
        return self.own_title or str(self.activity_id)


class CommentKind(models.TextChoices):
    COMMENT = "comment", _("Kommentar")
    SUBMITTED = "submitted", _("Sendt til lederen")
    RETURNED = "returned", _("Sendt tilbage")
    APPROVED = "approved", _("Godkendt")
    DONE = "done", _("Afsluttet")
    REOPENED = "reopened", _("Åbnet for ændringer")


class PlanComment(TenantModel):
    """The plan's history: comments from the development conversation and each change of status."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=300)
    kind = models.CharField(max_length=16, choices=CommentKind.choices, default=CommentKind.COMMENT)
    text = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar = ["created_at", "pk"]


# --- Completions -------------------------------------------------------------------------------------


class CompletionSource(models.TextChoices):
    LEADER = "leader", _("Bekræftet af lederen")
    PROVIDER = "provider", _("Meldt af udbyderen")
    LMS = "lms", _("Meldt af læringsplatformen (xAPI)")


class Completion(TenantModel):
    """A person completed a catalogue activity: learning evidence at the levels the activity develops.

    `organisation` is the person's. One per person and activity: a later report moves the date.
    """

    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(LearningActivity, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField(_("gennemført"))
    source = models.CharField(max_length=16, choices=CompletionSource.choices)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_by_name = models.CharField(max_length=300, blank=True)
    reported_by = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-completed_on", "-pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["person", "activity"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_completion_per_person_and_activity",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.activity_id}@{self.completed_on}"

    @property
    def evidence_reference(self) -> str:
        return f"development.completion:{self.pk}"


# --- xAPI statement intake ----------------------------------------------------------------------


class StatementCredential(TimeStampedModel):
    """A key an LMS or a provider's system sends xAPI statements with (HTTP Basic: key id and secret).

    Only a SHA-256 hash of the secret is stored: secrets are 32 random bytes, so a fast hash is as
    safe as a slow one and keeps every request cheap.
    """

    organisation = models.ForeignKey("tenancy.Organisation", on_delete=models.CASCADE, related_name="+")
    label = models.CharField(_("navn"), max_length=200)
    key_id = models.CharField(max_length=64, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.label


class StatementOutcome(models.TextChoices):
    COMPLETION = "completion", _("Registreret som gennemført")
    UNKNOWN_ACTOR = "unknown_actor", _("Ukendt person")
    UNKNOWN_ACTIVITY = "unknown_activity", _("Ukendt aktivitet")
    NOT_COMPLETION = "not_completion", _("Ikke en gennemførelse")
    VOIDING = "voiding", _("Annullerer et andet udsagn")
    VOIDED = "voided", _("Annulleret")


UNRESOLVED_OUTCOMES = (StatementOutcome.UNKNOWN_ACTOR, StatementOutcome.UNKNOWN_ACTIVITY)


class Statement(models.Model):
    """An xAPI statement as received (immutable), and what fagdigital made of it."""

    statement_id = models.UUIDField(unique=True, default=uuid.uuid4)
    credential = models.ForeignKey(StatementCredential, on_delete=models.PROTECT, related_name="statements")
    # The organisation that owns the credential (a provider or a municipality's LMS).
    sender = models.ForeignKey("tenancy.Organisation", on_delete=models.CASCADE, related_name="+")
    # The municipality whose HR lists it when unresolved: the person's, the key's, or the one the
    # statement names; null when none can be told.
    municipality = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    received = models.JSONField()  # as sent, with the id filled in when the sender left it out
    stored = models.DateTimeField()
    authority = models.JSONField()
    verb_id = models.CharField(max_length=500)
    object_id = models.CharField(max_length=500)  # the activity IRI, or the voided statement's id
    actor_key = models.CharField(max_length=600)  # the actor's identifier, normalised (mbox:…, account:…)
    actor_name = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(max_length=20, choices=StatementOutcome.choices)
    voided_by = models.UUIDField(null=True, blank=True)
    person = models.ForeignKey(
        "orgs.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    activity = models.ForeignKey(
        LearningActivity, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completion = models.ForeignKey(
        Completion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-stored", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["credential", "stored"], name="statement_credential_stored"),
            models.Index(fields=["municipality", "outcome"], name="statement_municipality_outcome"),
            models.Index(fields=["sender", "outcome"], name="statement_sender_outcome"),
        ]

    def __str__(self) -> str:
        return str(self.statement_id)


class ActorAlias(TenantModel):
    """HR's match of an xAPI actor identifier to a person, used for later statements too."""

    actor_key = models.CharField(max_length=600)
    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["organisation", "actor_key"], name="actor_alias_once")
        ]


class ActivityAlias(TenantModel):
    """HR's match of an xAPI activity IRI to a catalogue activity, used for later statements too."""

    xapi_id = models.CharField(max_length=500)
    activity = models.ForeignKey(LearningActivity, on_delete=models.CASCADE, related_name="+")
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["organisation", "xapi_id"], name="activity_alias_once")
        ]


# --- Learning communities ------------------------------------------------------------------------


class Rating(TenantModel):
    """A participant's rating of an activity they completed, and what they used it for.

    `organisation` is the rater's municipality. Ratings are shown only pooled (decision 0018).
    """

    activity = models.ForeignKey(LearningActivity, on_delete=models.CASCADE, related_name="ratings")
    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")
    stars = models.PositiveSmallIntegerField(_("vurdering"))
    used_for = models.TextField(_("hvad har du brugt det til?"), blank=True)

    class Meta:
        ordering: ClassVar = ["created_at", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["activity", "person"], name="rating_once_per_person"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="rating_stars_range"),
        ]


class CommunitySession(TimeStampedModel):
    """A learning-community session a network's coordinator runs across its municipalities."""

    network = models.ForeignKey("tenancy.Network", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    starts_at = models.DateTimeField(_("tidspunkt"))
    delivery = models.CharField(_("sted"), max_length=16, choices=Delivery.choices, default=Delivery.ONLINE)
    place = models.CharField(_("adresse eller link"), max_length=300, blank=True)
    activity = models.ForeignKey(
        LearningActivity, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    competence_codes = models.JSONField(_("kompetencer"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.title


class SessionSignup(TenantModel):
    """A person signed up for a session (their name is shared with the coordinator, who runs it)."""

    session = models.ForeignKey(CommunitySession, on_delete=models.CASCADE, related_name="signups")
    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["session", "person"], name="session_signup_once")
        ]


# --- Team plans ----------------------------------------------------------------------------------------


class TeamPlan(TenantModel):
    """A plan for a unit, built from its published (aggregated) gaps: shared activities, owners, dates."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("overskrift"), max_length=200)
    purpose = models.TextField(_("formål"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class TeamPlanItem(TenantModel):
    """A shared activity in a team plan: from the catalogue, a community session, or the team's own."""

    team_plan = models.ForeignKey(TeamPlan, on_delete=models.CASCADE, related_name="items")
    activity = models.ForeignKey(
        LearningActivity, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    session = models.ForeignKey(
        CommunitySession, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    own_title = models.CharField(_("egen aktivitet"), max_length=200, blank=True)
    competence_codes = models.JSONField(default=list, blank=True)
    owner = models.ForeignKey(
        "orgs.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(_("dato"))
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.own_title or str(self.activity_id or self.session_id)
