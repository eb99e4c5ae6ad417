from __future__ import annotations
from typing import Any
import pytest
from playwright.sync_api import Page
from fagdigital.frameworks.models import Framework
from fagdigital.frameworks.services import default_framework_install, framework_new_version
from fagdigital.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

JS = """() => { const out=[]; const vw=document.documentElement.clientWidth;
for (const el of document.querySelectorAll('body *')) { const r=el.getBoundingClientRect(); if (r.right>vw+1) { out.push(el.tagName+'.'+el.className+'#'+el.id+' '+Math.round(r.left)+'-'+Math.round(r.right)); } }
return out.slice(0,15); }"""


def test_debug(page: Page, live_server: Any, login: Any) -> None:
    organisation = OrganisationFactory(name="R")
    fw = default_framework_install(organisation=organisation)
    d = framework_new_version(framework=fw)
    user = UserFactory(email="k@example.dk")
    MembershipFactory(user=user, organisation=organisation, roles=["competence_admin"])
    login(page, "k@example.dk", "test-password-123")
    for url in [
        f"/rammer/{d.pk}/maalniveauer/",
        f"/rammer/{d.pk}/rediger/",
        f"/rammer/{d.pk}/rediger/kompetencer/{d.competences.first().pk}/",
        "/rammer/",
        f"/rammer/{fw.pk}/",
    ]:
        page.goto(live_server.url + url)
        print(
            url, page.viewport_size, page.evaluate("document.documentElement.scrollWidth"), page.evaluate(JS)
        )
        page.screenshot(
            path=f"/tmp/fw/shot{url.replace('/', '_')}{page.viewport_size['width']}.png", full_page=False
        )
