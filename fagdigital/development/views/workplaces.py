"""Workplaces beside the plans: the education provider's (offers, enrolments, demand, keys), the network
coordinator's (providers, shared activities, sessions), HR's overview (counts, unknown xAPI statements,
the LMS's keys), anonymised demand, and the learning community's sessions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fagdigital.development.forms import (
    CredentialForm,
    DoneForm,
    MatchActivityForm,
    MatchPersonForm,
    ProviderForm,
    SessionForm,
)
from fagdigital.development.models import (
    ActivityShare,
    ActivityStatus,
    CompletionSource,
    LearningActivity,
    ProviderNetwork,
    ShareState,
    StatementOutcome,
)
from fagdigital.development.selectors import access
from fagdigital.development.selectors import statements as statement_selectors
from fagdigital.development.selectors.catalogue import catalogue_framework
from fagdigital.development.selectors.communities import session_signups, sessions_for
from fagdigital.development.selectors.demand import demand_for
from fagdigital.development.selectors.plans import (
    get_enrolment_for_provider,
    hr_overview,
    provider_enrolments,
)
from fagdigital.development.services import catalogue, communities, completions, statements
from fagdigital.orgs import selectors as org_selectors
from fagdigital.privacy.rules import MIN_ORGANISATIONS
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Organisation, OrganisationKind, Role

from .common import add_errors, form_context, own_person, refusal_text

KEY_ROLES = (Role.COMPETENCE_ADMIN, Role.EDUCATION_PROVIDER)


@actor_required()
def home(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Udvikling: where each role goes from here."""
    return render(
        request,
        "development/home.html",
        {
            "is_municipality": actor.organisation.kind == OrganisationKind.MUNICIPALITY,
            "person": own_person(actor),
        },
    )


# --- Education providers ---------------------------------------------------------------------------------


@actor_required(Role.EDUCATION_PROVIDER)
def provider(request: HttpRequest, actor: Actor) -> HttpResponse:
    own = LearningActivity.objects.filter(organisation=actor.organisation).order_by("title_da")
    context = {
        "activities": own,
        "networks": access.served_networks(organisation=actor.organisation),
        "enrolments": provider_enrolments(actor=actor),
        "received": statement_selectors.received_by_sender(actor=actor, limit=20),
        "unattributed": [
            s
            for s in statement_selectors.received_by_sender(actor=actor, limit=200)
            if s.municipality_id is None and s.outcome == StatementOutcome.UNKNOWN_ACTOR
        ],
        "done_form": DoneForm(initial={"completed_on": timezone.localdate()}),
        "no_framework": catalogue_framework(organisation=actor.organisation) is None,
    }
    return render(request, "development/provider.html", context)


@actor_required(Role.EDUCATION_PROVIDER)
def provider_completion(request: HttpRequest, actor: Actor, plan_item_id: int) -> HttpResponse:
    """The provider marks an enrolled person's activity completed: learning evidence for the person."""
    item = get_enrolment_for_provider(actor=actor, item_id=plan_item_id)
    if request.method != "POST":
        raise Http404
    form = DoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
        return redirect("development:provider")
    person = item.goal.plan.person
    assert item.activity is not None  # enrolments are catalogue activities
    try:
        completions.completion_record(
            person=person,
            activity=item.activity,
            completed_on=form.cleaned_data["completed_on"],
            source=CompletionSource.PROVIDER,
            confirmed_by=actor.user,
            reported_by=actor.organisation,
        )
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(
            request,
            _("%(name)s er registreret som gennemført på »%(title)s«.")
            % {"name": person.name, "title": item.activity.t("title")},
        )
    return redirect("development:provider")


@actor_required(Role.EDUCATION_PROVIDER, Role.NETWORK_COORDINATOR)
def demand(request: HttpRequest, actor: Actor) -> HttpResponse:
    found = demand_for(actor=actor)
    return render(
        request,
        "development/demand.html",
        {"demand": found, "minimum": MIN_ORGANISATIONS},
    )


# --- xAPI keys and HR's matching -------------------------------------------------------------------------


@actor_required(*KEY_ROLES)
def credentials(request: HttpRequest, actor: Actor) -> HttpResponse:
    if actor.organisation.kind not in (OrganisationKind.MUNICIPALITY, OrganisationKind.EDUCATION_PROVIDER):
        raise Http404
    form = CredentialForm(request.POST if request.method == "POST" else None)
    created = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = statements.credential_create(actor=actor, label=form.cleaned_data["label"])
            except ValidationError as error:
                add_errors(form, error)
                status = 422
            else:
                form = CredentialForm()
        else:
            status = 422
    context = {
        **form_context(form),
        "credentials": statement_selectors.credentials_for(actor=actor),
        "created": created,
        "endpoint": request.build_absolute_uri("/xapi/"),
    }
    response = render(request, "development/credentials.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the new secret is on the page once
    return response


@actor_required(*KEY_ROLES)
def credential_revoke(request: HttpRequest, actor: Actor, credential_id: int) -> HttpResponse:
    credential = statement_selectors.get_credential_for_user(actor=actor, credential_id=credential_id)
    if request.method != "POST":
        raise Http404
    statements.credential_revoke(credential=credential)
    messages.success(request, _("Nøglen »%(label)s« er spærret.") % {"label": credential.label})
    return redirect("development:credentials")


@actor_required(Role.COMPETENCE_ADMIN)
def hr(request: HttpRequest, actor: Actor) -> HttpResponse:
    context = {
        "overview": hr_overview(actor=actor),
        "unresolved": statement_selectors.unresolved_for_municipality(actor=actor)[:5],
        "unresolved_count": statement_selectors.unresolved_for_municipality(actor=actor).count(),
        "proposals": ActivityShare.objects.filter(
            activity__organisation=actor.organisation, state=ShareState.PROPOSED
        ).select_related("activity", "network"),
    }
    return render(request, "development/hr.html", context)


@actor_required(Role.COMPETENCE_ADMIN)
def unresolved(request: HttpRequest, actor: Actor) -> HttpResponse:
    rows = statement_selectors.unresolved_for_municipality(actor=actor)[:200]
    return render(request, "development/unresolved.html", {"rows": rows})


@actor_required(Role.COMPETENCE_ADMIN)
def unresolved_match(request: HttpRequest, actor: Actor, intake_id: int) -> HttpResponse:
    statement = statement_selectors.get_unresolved_for_user(actor=actor, intake_id=intake_id)
    query = request.GET.get("q", "").strip()[:100]
    people = org_selectors.search_people(actor=actor, query=query) if query else []
    offered = access.activities_visible_to_organisation(organisation=actor.organisation).order_by("title_da")
    person_form = MatchPersonForm(
        request.POST if request.method == "POST" and "person" in request.POST else None,
        people=[(p.pk, p.name) for p in people] or [(p.pk, p.name) for p in _candidates(actor, request)],
    )
    activity_form = MatchActivityForm(
        request.POST if request.method == "POST" and "activity" in request.POST else None,
        activities=[(a.pk, a.t("title")) for a in offered],
    )
    if request.method == "POST":
        try:
            if "person" in request.POST and person_form.is_valid():
                chosen = org_selectors.get_person_for_user(
                    actor=actor, person_id=int(person_form.cleaned_data["person"])
                )
                made = statements.statement_match_person(actor=actor, statement=statement, person=chosen)
            elif "activity" in request.POST and activity_form.is_valid():
                activity = offered.get(pk=int(activity_form.cleaned_data["activity"]))
                made = statements.statement_match_activity(
                    actor=actor, statement=statement, activity=activity
                )
            else:
                made = -1
        except ValidationError as error:
            messages.error(request, refusal_text(error))
            return redirect("development:unresolved_match", statement.pk)
        if made >= 0:
            messages.success(
                request,
                _("Matchet. %(count)s udsagn er nu registreret som gennemførte aktiviteter.")
                % {"count": made},
            )
            return redirect("development:unresolved")
    context = {
        "statement": statement,
        "query": query,
        "person_form": person_form,
        "activity_form": activity_form,
        "error_prefix": _("Fejl:"),
    }
    return render(request, "development/unresolved_match.html", context)


def _candidates(actor: Actor, request: HttpRequest) -> list:  # type: ignore[type-arg]
    if request.method == "POST" and request.POST.get("person", "").isdigit():
        found = org_selectors.visible_people(actor=actor).filter(pk=int(request.POST["person"])).first()
        return [found] if found else []
    return []


# --- Network coordinators -------------------------------------------------------------------------------


@actor_required(Role.NETWORK_COORDINATOR)
def network(request: HttpRequest, actor: Actor) -> HttpResponse:
    networks = access.coordinated_networks(actor=actor)
    if len(networks) == 1:
        return redirect("development:network_detail", networks[0].pk)
    return render(request, "development/network_list.html", {"networks": networks})


@actor_required(Role.NETWORK_COORDINATOR)
def network_detail(request: HttpRequest, actor: Actor, network_id: int) -> HttpResponse:
    the_network = access.get_network_for_coordinator(actor=actor, network_id=network_id)
    shares = list(
        ActivityShare.objects.filter(network=the_network)
        .exclude(activity__status=ActivityStatus.DRAFT)
        .select_related("activity", "activity__organisation")
        .order_by("state", "activity__title_da")
    )
    admitted = list(
        ProviderNetwork.objects.filter(network=the_network)
        .select_related("provider")
        .order_by("provider__name")
    )
    providers = Organisation.objects.filter(kind=OrganisationKind.EDUCATION_PROVIDER, is_active=True).exclude(
        pk__in=[link.provider_id for link in admitted]
    )
    own = LearningActivity.objects.filter(organisation=actor.organisation).exclude(
        pk__in=[s.activity_id for s in shares if s.state == ShareState.SHARED]
    )
    context = {
        "network": the_network,
        "proposed": [s for s in shares if s.state == ShareState.PROPOSED],
        "shared": [s for s in shares if s.state == ShareState.SHARED],
        "own_unshared": own.order_by("title_da"),
        "admitted": admitted,
        "provider_form": ProviderForm(providers=[(p.pk, p.name) for p in providers.order_by("name")]),
        "sessions": sessions_for(actor=actor, person=None, upcoming_only=False),
    }
    return render(request, "development/network.html", context)


@actor_required(Role.NETWORK_COORDINATOR)
def network_share(request: HttpRequest, actor: Actor, network_id: int) -> HttpResponse:
    """Share an activity with the network's municipalities (a member's proposal or the network's own), or
    stop sharing it."""
    the_network = access.get_network_for_coordinator(actor=actor, network_id=network_id)
    if request.method != "POST":
        raise Http404
    activity_id = request.POST.get("activity", "")
    # The network's own activities, or one a member proposed (or shared) in this network.
    activity = (
        LearningActivity.objects.filter(pk=int(activity_id))
        .filter(Q(organisation=actor.organisation) | Q(shares__network=the_network))
        .distinct()
        .first()
        if activity_id.isdigit()
        else None
    )
    if activity is None:
        raise Http404
    try:
        if request.POST.get("share") == "0":
            catalogue.activity_unshare(actor=actor, network=the_network, activity=activity)
            messages.success(
                request, _("»%(title)s« deles ikke længere i netværket.") % {"title": activity.t("title")}
            )
        else:
            catalogue.activity_share(actor=actor, network=the_network, activity=activity)
            messages.success(request, _("»%(title)s« er delt i netværket.") % {"title": activity.t("title")})
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    return redirect("development:network_detail", the_network.pk)


@actor_required(Role.NETWORK_COORDINATOR)
def network_providers(request: HttpRequest, actor: Actor, network_id: int) -> HttpResponse:
    the_network = access.get_network_for_coordinator(actor=actor, network_id=network_id)
    if request.method != "POST":
        raise Http404
    provider_id = request.POST.get("provider", "")
    chosen = (
        Organisation.objects.filter(pk=int(provider_id), kind=OrganisationKind.EDUCATION_PROVIDER).first()
        if provider_id.isdigit()
        else None
    )
    if chosen is None:
        messages.error(request, _("Vælg en uddannelsesudbyder."))
        return redirect("development:network_detail", the_network.pk)
    try:
        if request.POST.get("remove") == "1":
            catalogue.provider_remove(actor=actor, network=the_network, provider=chosen)
            messages.success(
                request, _("%(name)s har ikke længere adgang til netværket.") % {"name": chosen.name}
            )
        else:
            catalogue.provider_admit(actor=actor, network=the_network, provider=chosen)
            messages.success(
                request,
                _("%(name)s kan nu udbyde aktiviteter i netværket og se den anonyme efterspørgsel.")
                % {"name": chosen.name},
            )
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    return redirect("development:network_detail", the_network.pk)


@actor_required(Role.NETWORK_COORDINATOR)
def session_create(request: HttpRequest, actor: Actor, network_id: int) -> HttpResponse:
    the_network = access.get_network_for_coordinator(actor=actor, network_id=network_id)
    activities = access.visible_activities(actor=actor).order_by("title_da")
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        initial={"delivery": "online", "starts_time": "13:00"},
        activities=[(a.pk, a.t("title")) for a in activities],
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            activity = activities.filter(pk=int(data["activity"])).first() if data["activity"] else None
            try:
                session = communities.session_save(
                    actor=actor,
                    network=the_network,
                    session=None,
                    title=data["title"],
                    description=data["description"],
                    starts_at=form.starts_at(),
                    delivery=data["delivery"],
                    place=data["place"],
                    activity=activity,
                    competence_codes=[c.competence_code for c in activity.competences.all()]
                    if activity
                    else [],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Sessionen er oprettet og vises for netværkets kommuner."))
                return redirect("development:session", session.pk)
        status = 422
    context = {**form_context(form), "network": the_network}
    return render(request, "development/session_form.html", context, status=status)


@actor_required()
def session_detail(request: HttpRequest, actor: Actor, session_id: int) -> HttpResponse:
    session = access.get_session_for_user(actor=actor, session_id=session_id)
    person = own_person(actor)
    coordinator = session.network.coordinator_id == actor.organisation.pk and actor.has_role(
        Role.NETWORK_COORDINATOR
    )
    context = {
        "session": session,
        "signed_up": person is not None and session.signups.filter(person=person).exists(),
        "can_sign_up": person is not None and actor.organisation.kind == OrganisationKind.MUNICIPALITY,
        "signups": session_signups(session=session) if coordinator else [],
        "signup_count": session.signups.count(),
        "coordinator": coordinator,
        "past": session.starts_at < timezone.now(),
    }
    return render(request, "development/session.html", context)


@actor_required()
def session_signup(request: HttpRequest, actor: Actor, session_id: int) -> HttpResponse:
    session = access.get_session_for_user(actor=actor, session_id=session_id)
    person = own_person(actor)
    if request.method != "POST" or person is None:
        raise Http404
    wanted = request.POST.get("signed_up") == "1"
    try:
        communities.session_signup(session=session, person=person, signed_up=wanted)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("Du er tilmeldt.") if wanted else _("Du er afmeldt."))
    return redirect("development:session", session.pk)
