"""Writing a planned round in bulk (COPY on PostgreSQL), keeping the invariants the services keep."""

from __future__ import annotations

import contextlib
import gc
import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.utils import timezone

from fagdigital.assessments import evidence_rule
from fagdigital.assessments.models import (
    Answer,
    Campaign,
    Evidence,
    EvidenceSource,
    Instrument,
    Response,
    ResponseStatus,
    SurveyAnswer,
    SurveyItem,
    TestQuestion,
)
from fagdigital.frameworks.models import Competence, Framework

from .planner import PlannedResponse, Planner, Progress, RoundSpec
from .reading import _chief_types, _chiefs, _framework_info, _item_info, _members, _users_for

# --- writing a planned round ------------------------------------------------------------------------


@dataclass(frozen=True)
class WrittenRound:
    participants: int
    responses: int
    submitted: int
    evidence: int
    users_created: int


Row = tuple[Any, ...]


def _insert(model: type[models.Model], columns: Sequence[str], rows: Sequence[Row]) -> int:
    """Insert plain rows in bulk: no model instances, no pk back (see `_insert_responses`).

    `bulk_create` builds an instance and prepares every value through the field API, which for the
    ~200,000 answer, question and evidence rows was most of the seed time; on PostgreSQL it also sends
    the rows as one huge statement, ten times slower than COPY. Here the values are already what the
    columns take, JSON columns included (serialised text); on SQLite dates and datetimes become its text
    format.
    """
    if not rows:
        return 0
    meta = model._meta
    fields: list[models.Field[Any, Any]] = []
    for name in columns:
        model_field = meta.get_field(name)
        assert isinstance(model_field, models.Field)
        fields.append(model_field)
    ops = connection.ops
    table = ops.quote_name(meta.db_table)
    names = ", ".join(
        ops.quote_name(name) for name in [*(f.column for f in fields), "created_at", "updated_at"]
    )
    if connection.vendor == "postgresql":
        return _copy(table, names, [_copy_converter(f) for f in fields], rows)
    adapters: list[Callable[[Any], Any] | None] = []
    for model_field in fields:
        kind = model_field.get_internal_type()
        if kind == "DateTimeField":
            adapters.append(ops.adapt_datetimefield_value)
        elif kind == "DateField":
            adapters.append(ops.adapt_datefield_value)
        else:
            adapters.append(None)
    now = ops.adapt_datetimefield_value(timezone.now())
    prepared: list[tuple[Any, ...]] = [
        (
            *(value if adapt is None else adapt(value) for adapt, value in zip(adapters, row, strict=True)),
            now,
            now,
        )
        for row in rows
    ]
    marks = ", ".join(["%s"] * (len(fields) + 2))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", prepared)  # noqa: S608
    return len(prepared)


# COPY's text format: a tab between columns, a newline after a row, \N for NULL, backslash escapes.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPY_BOOLEANS = {True: "t", False: "f", None: "\\N"}
_COPY_CHUNK = 5_000


def _copy_text(value: str | None) -> str:
    if value is None:
        return "\\N"
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_ESCAPES)
    return value


def _copy_number(value: int | None) -> str:
    return "\\N" if value is None else str(value)


def _copy_converter(model_field: models.Field[Any, Any]) -> Callable[[Any], str]:
    """How one column's values are written: a plain `str` for the many non-null numbers."""
    kind = model_field.get_internal_type()
    if kind == "BooleanField":
        return _COPY_BOOLEANS.__getitem__
    if kind in {"CharField", "TextField", "SlugField", "JSONField"}:
        return _copy_text
    if kind in {"DateField", "DateTimeField"}:
        texts: dict[Any, str] = {}

        def moment(value: Any) -> str:
            found = texts.get(value)
            if found is None:
                found = texts[value] = "\\N" if value is None else str(value)
            return found

        return moment
    return _copy_number if model_field.null else str


def _copy(table: str, names: str, converters: Sequence[Callable[[Any], str]], rows: Sequence[Row]) -> int:
    """COPY the rows in text format, written by hand: psycopg's per-row `write_row` cost twice as much
    as the database took to store them (millions of rows for a big municipality)."""
    now = str(timezone.now())
    tail = f"\t{now}\t{now}\n"
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for start in range(0, len(rows), _COPY_CHUNK):
            copy.write(
                "".join(
                    [
                        "\t".join([convert(value) for convert, value in zip(converters, row, strict=True)])
                        + tail
                        for row in rows[start : start + _COPY_CHUNK]
                    ]
                )
            )
    return len(rows)


@contextlib.contextmanager
def bulk_writes() -> Iterator[None]:
    """Around writing (or rebuilding from) millions of generated rows: no cyclic garbage collection
    and, on PostgreSQL as a superuser inside a transaction, no per-row foreign-key triggers.

    None of the rows form reference cycles, and the collector's passes over an ever larger heap made a
    big municipality's round half again as slow. Every id in the rows was read from the database in the
    same transaction, so none can dangle (the demo tests check every foreign key of the generated
    tables); for a round of a 45,000-person municipality the deferred checks of some 10 million
    references took longer than writing the rows. Elsewhere (SQLite, an ordinary role, autocommit) the
    references are checked as usual.
    """
    collecting = gc.isenabled()
    gc.disable()
    trusted = connection.vendor == "postgresql" and connection.in_atomic_block and _superuser()
    try:
        if trusted:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        yield
        if trusted:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        # After an error the rollback (of the transaction or a savepoint around this) undoes the SET.
    finally:
        if collecting:
            gc.enable()


def _superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


def _insert_responses(campaign_id: int, columns: Sequence[str], rows: Sequence[Row]) -> list[int]:
    """Insert a new campaign's responses and return their ids in the order given: ids are drawn in row
    order, so the campaign's responses ordered by id line up with the rows."""
    _insert(Response, columns, rows)
    return list(Response.objects.filter(campaign_id=campaign_id).order_by("pk").values_list("pk", flat=True))


def _write(
    *,
    campaign: Campaign,
    planned: Sequence[PlannedResponse],
    users: dict[int, int],
    progress: Callable[[int], None],
) -> tuple[int, int, int]:
    """Responses, answers, questions, survey answers and evidence, as the services would have left them
    after each submission; returns (responses, submitted, evidence)."""
    organisation_id = campaign.organisation_id
    campaign_id = campaign.pk
    kept = [p for p in planned if p.respondent_id in users]
    submitted, draft = ResponseStatus.SUBMITTED.value, ResponseStatus.DRAFT.value
    response_ids = _insert_responses(
        campaign_id,
        (
            "organisation_id",
            "campaign_id",
            "instrument",
            "respondent_id",
            "subject_id",
            "status",
            "saved_at",
            "submitted_at",
            "changed_since_submit",
            "respondent_type",
        ),
        [
            (
                organisation_id,
                campaign_id,
                str(p.instrument),
                users[p.respondent_id],
                p.subject_id,
                submitted if p.submitted else draft,
                p.at,
                p.at if p.submitted else None,
                False,
                p.respondent_type,
            )
            for p in kept
        ],
    )
    if len(response_ids) != len(kept):
        raise RuntimeError("the campaign had responses before its round was written")
    progress(1)
    answers: list[Row] = []
    questions: list[Row] = []
    survey: list[Row] = []
    evidence: list[Row] = []
    codes = dict(Competence.objects.filter(framework_id=campaign.framework_id).values_list("code", "pk"))
    # JSON columns take serialised text; option orders and choices repeat, so each is serialised once.
    dumped: dict[tuple[str, ...], str] = {}

    def dump(keys: Sequence[str]) -> str:
        key = tuple(keys)
        found = dumped.get(key)
        if found is None:
            found = dumped[key] = json.dumps(list(keys))
        return found

    sources = {
        Instrument.SELF.value: EvidenceSource.SELF.value,
        Instrument.LEADER.value: EvidenceSource.LEADER.value,
    }
    for plan, response_id in zip(kept, response_ids, strict=True):
        observed = timezone.localdate(plan.at)
        source = sources.get(plan.instrument)
        counts_as_evidence = plan.submitted and source is not None and plan.subject_id is not None
        for competence_id, level, comment in plan.answers:
            answers.append((organisation_id, response_id, competence_id, level, comment))
            if counts_as_evidence and level is not None:
                evidence.append(
                    (
                        organisation_id,
                        plan.subject_id,
                        competence_id,
                        source,
                        level,
                        observed,
                        campaign_id,
                        response_id,
                        "{}",
                    )
                )
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for position, question in enumerate(plan.questions, start=1):
            correct = question.correct if plan.submitted else None
            questions.append(
                (
                    organisation_id,
                    response_id,
                    question.item.pk,
                    position,
                    dump(question.order),
                    dump(question.selected),
                    question.answered,
                    correct,
                )
            )
            code = question.item.competence_code
            counts[code][0] += int(question.correct)
            counts[code][1] += 1
        if plan.submitted and plan.instrument == Instrument.TEST and plan.subject_id is not None:
            # Scored as the service scores (assessments.evidence_rule): share right, capped, and no level
            # from fewer than 4 items.
            for code, (right, items) in counts.items():
                if code not in codes:
                    continue
                test_level = evidence_rule.knowledge_level_for(correct=right, items=items)
                if test_level is None:
                    continue
                detail = {"correct": right, "items": items, "cap": evidence_rule.DEFAULT_KNOWLEDGE_CAP}
                level = test_level
                evidence.append(
                    (
                        organisation_id,
                        plan.subject_id,
                        codes[code],
                        EvidenceSource.TEST.value,
                        level,
                        observed,
                        campaign_id,
                        response_id,
                        json.dumps(detail),
                    )
                )
        survey.extend((organisation_id, response_id, item_id, value) for item_id, value in plan.survey)
    _insert(Answer, ("organisation_id", "response_id", "competence_id", "level", "comment"), answers)
    progress(2)
    _insert(
        TestQuestion,
        (
            "organisation_id",
            "response_id",
            "item_id",
            "position",
            "option_order",
            "selected",
            "answered",
            "correct",
        ),
        questions,
    )
    _insert(SurveyAnswer, ("organisation_id", "response_id", "item_id", "value"), survey)
    progress(3)
    evidence_columns = (
        "organisation_id",
        "person_id",
        "competence_id",
        "source",
        "level",
        "observed_on",
        "campaign_id",
        "response_id",
        "detail",
    )
    _insert(Evidence, evidence_columns, evidence)
    progress(4)
    return len(response_ids), sum(1 for p in kept if p.submitted), len(evidence)


def _step_reporter(progress: Progress | None, label: str, total: int) -> Callable[[int], None]:
    def report(done: int) -> None:
        if progress is not None:
            progress(label, done, total)

    return report


def _survey_items(campaign: Campaign) -> list[tuple[int, str]]:
    return list(
        SurveyItem.objects.filter(campaign=campaign).order_by("position", "pk").values_list("pk", "code")
    )


def _generate(
    *,
    campaign: Campaign,
    spec: RoundSpec,
    framework: Framework,
    report: Callable[[int], None],
) -> WrittenRound:
    """Plan a round over the campaign's participants and write it (users first)."""
    organisation = campaign.organisation
    competences, targets = _framework_info(framework)
    planner = Planner(
        spec=spec,
        organisation_key=organisation.kommunekode or str(organisation.pk),
        competences=competences,
        targets=targets,
        items=_item_info(organisation, framework),
    )
    members = _members(campaign)
    chiefs = _chiefs(organisation, members) if spec.uses_chiefs else []
    chief_types = _chief_types(organisation, chiefs)
    with bulk_writes():
        planned = planner.plan(members, chiefs=chiefs, survey_items=_survey_items(campaign))
        for plan in planned:
            if plan.instrument == Instrument.CHIEFS:
                plan.respondent_type = chief_types.get(plan.respondent_id, "")
        users, created = _users_for(
            organisation,
            {p.respondent_id for p in planned},
            leaders={m.person_id for m in members if m.leads},
            chiefs=set(chiefs),
        )
        responses, submitted, evidence = _write(
            campaign=campaign, planned=planned, users=users, progress=report
        )
    return WrittenRound(
        participants=len(members),
        responses=responses,
        submitted=submitted,
        evidence=evidence,
        users_created=created,
    )
