"""The accounts-payable clerk's screens: the lists (tabs with counts, filters in the address, sort, pages,
the CSV export of the whole list, a grouped decision) and the invoice detail (the document, the reason
dialog, the supplier's completion, the version conflict). Untrusted texts never run. Screens saved under
var/screenshots/."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Browser, expect

from tests.browser.conftest import Hub, Tab
from tests.browser.test_web import INBOX, count, rows, sign_in
from tests.invoicing.hostile import plain_pdf

EAUX = "26690001800026"  # Syndicat des eaux du Val-de-Saône (jean.leroy, principal manager)
MUELLER = "DE136695976"  # Müller Bürotechnik GmbH (hans.mueller)
CANARY = "<img src=x onerror=window.__xss=1>"
CREATE = """mutation ($input: InvoiceInput!) { createInvoice(input: $input) {
  invoice { id number version } userErrors { field message } } }"""
PROCESS = """mutation ($input: ProcessInvoiceInput!) { processInvoice(input: $input) {
  invoice { status version } userErrors { code message } } }"""
PDF = plain_pdf("bon de commande signé")
RECEIVED = """query ($number: String!) { workspace { receivedInvoices(first: 1, filter: {number: $number}) {
  nodes { id version status } } } }"""


def french_amount(text: str) -> Decimal:
    return Decimal(re.sub(r"[^\d,\-]", "", text).replace(",", "."))


def tokens(hub: Hub) -> tuple[str, str]:
    supplier = hub.cli("token", "--email", "hans.mueller@mueller-buero.example", "--workspace", MUELLER)
    entity = hub.cli("token", "--email", "jean.leroy@eaux-valdesaone.example", "--workspace", EAUX)
    return supplier, entity


def deposit(hub: Hub, supplier: str, number: str, item: str = "Ramettes A4", **extra: object) -> None:
    answer = hub.graphql(
        supplier,
        CREATE,
        {
            "input": {
                "number": number,
                "issueDate": "2026-11-20",
                "recipientIdentifier": EAUX,
                "lines": [{"itemName": item, "quantity": "3", "netPrice": "1234.50"}],
                **extra,
            }
        },
    )
    assert answer["createInvoice"]["userErrors"] == [], answer  # type: ignore[index]


def received(hub: Hub, entity: str, number: str) -> dict[str, object]:
    found = hub.graphql(entity, RECEIVED, {"number": number})
    return found["workspace"]["receivedInvoices"]["nodes"][0]  # type: ignore[index,no-any-return]


def no_script_ran(tab: Tab) -> None:
    assert tab.page.evaluate("() => window.__xss") is None
    assert tab.page.locator("main img").count() == 0


def group(tab: Tab, name: str):  # type: ignore[no-untyped-def]
    return tab.page.get_by_role("navigation", name="Factures par étape").get_by_role(
        "button", name=re.compile("^" + re.escape(name))
    )


def group_count(tab: Tab, name: str) -> int:
    locator = group(tab, name).locator(".group-count")
    expect(locator).not_to_have_text("…")
    return int(re.sub(r"\D", "", locator.inner_text()))


def query_of(tab: Tab) -> dict[str, list[str]]:
    return parse_qs(urlparse(tab.page.url).query)


def test_received_list_tabs_filters_sort_pages_and_the_whole_csv(tab: Tab) -> None:
    page = tab.page
    tab.go("/")
    sign_in(tab, "agent.compta@villeneuve.example")
    page.wait_for_url(INBOX)
    total = count(tab)
    assert group_count(tab, "Toutes") == total
    assert group(tab, "Toutes").get_attribute("aria-pressed") == "true"
    tab.shot("lists-20-received-tabs")

    # A tab: its statuses only, its count, in the address; the back button returns to every invoice.
    suspended = group_count(tab, "Suspendues")
    assert suspended > 0
    group(tab, "Suspendues").click()
    expect(page).to_have_url(re.compile(r"group=suspended"))
    page.wait_for_function("n => document.querySelectorAll('table.invoices tbody tr').length === n", arg=suspended)
    assert count(tab) == suspended
    assert {s for s in page.locator("table.invoices tbody .status").all_inner_texts()} == {"Suspendue"}
    page.go_back()
    page.wait_for_function("n => document.querySelectorAll('table.invoices tbody tr').length === n", arg=total)

    # Sorting by a column header: aria-sort says which way, the amounts follow it, the address keeps it.
    header = page.get_by_role("columnheader", name=re.compile("Montant TTC"))
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    expect(page).to_have_url(re.compile(r"sort=AMOUNT"))
    page.wait_for_timeout(300)
    amounts = [french_amount(a) for a in page.locator("table.invoices tbody td.num").all_inner_texts()]
    assert amounts == sorted(amounts, reverse=True)
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    page.wait_for_function(
        "() => { const a = [...document.querySelectorAll('table.invoices tbody td.num')].map(e =>"
        " Number(e.textContent.replace(/[^\\d,]/g, '').replace(',', '.')));"
        " return a.every((v, i) => i === 0 || a[i - 1] <= v); }"
    )
    expect(page.get_by_role("columnheader", name=re.compile("Déposée le"))).not_to_have_attribute(
        "aria-sort", re.compile(".")
    )
    tab.shot("lists-21-received-sorted")

    # The other filters, applied together; a wrong amount is said, not ignored.
    page.get_by_text("Plus de filtres").click()
    page.get_by_label("Montant TTC minimal").fill("abc")
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page.get_by_role("alert")).to_contain_text("Un filtre est à corriger")
    expect(page.get_by_label("Montant TTC minimal")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Montant TTC minimal").fill("1 000,00")
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page).to_have_url(re.compile(r"min=1"))
    page.wait_for_function(
        "() => [...document.querySelectorAll('table.invoices tbody td.num')].every(e =>"
        " Number(e.textContent.replace(/[^\\d,]/g, '').replace(',', '.')) >= 1000)"
    )
    assert count(tab) < total
    assert group_count(tab, "Toutes") == count(tab)  # the counts follow the filters
    tab.shot("lists-22-received-more-filters")
    page.get_by_role("button", name="Effacer ces filtres").click()
    page.wait_for_function("n => document.querySelectorAll('table.invoices tbody tr').length === n", arg=total)

    # The engagement number, exactly.
    engagement = page.locator("table.invoices tbody [data-engagement]").first.get_attribute("data-engagement")
    assert engagement
    page.get_by_label("N° d'engagement").fill(engagement)
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_function(
        "e => { const r = [...document.querySelectorAll('table.invoices tbody tr')];"
        " return r.length > 0 && r.every(x => x.textContent.includes('EJ ' + e)); }",
        arg=engagement,
    )
    assert 0 < count(tab) < total
    page.get_by_role("button", name="Effacer ces filtres").click()

    # Pages on the keyset cursors, forward and back, and a shared address opens the same page.
    page.get_by_label("Lignes par page").select_option("10")
    page.wait_for_function("() => document.querySelectorAll('table.invoices tbody tr').length === 10")
    first = rows(tab)
    page.get_by_role("button", name="Page suivante").click()
    expect(page.get_by_text("Page 2", exact=True)).to_be_visible()
    page.wait_for_function(f"() => document.querySelectorAll('table.invoices tbody tr').length === {total - 10}")
    second = rows(tab)
    assert not set(first) & set(second)
    assert query_of(tab)["page"] == ["2"] and "after" in query_of(tab)
    shared = page.url
    tab.shot("lists-23-received-page-2")
    page.get_by_role("button", name="Page précédente").click()
    expect(page.get_by_text("Page 1", exact=True)).to_be_visible()
    page.wait_for_function("() => document.querySelectorAll('table.invoices tbody tr').length === 10")
    assert rows(tab) == first
    expect(page.get_by_role("button", name="Page précédente")).to_be_disabled()
    page.goto(shared)
    expect(page.get_by_text("Page 2", exact=True)).to_be_visible()
    page.wait_for_function(f"() => document.querySelectorAll('table.invoices tbody tr').length === {total - 10}")
    assert rows(tab) == second

    # The export holds every page, not just the one shown, for a French spreadsheet.
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Exporter (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "factures-recues.csv"
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[-1] == "" and len(lines) - 2 == total
    assert lines[0].split(";")[0] == "Numéro" and "Montant TTC" in lines[0].split(";")
    numbers = {line.split(";")[0] for line in lines[1:-1]}
    for row in first + second:
        assert re.split(r"\s", row.strip())[0] in numbers
    amount_at = lines[0].split(";").index("Montant TTC")
    assert all(re.fullmatch(r"-?\d+,\d{2}", line.split(";")[amount_at]) for line in lines[1:-1]), lines[1]
    assert tab.errors == []


def test_the_service_filter_picks_among_the_workspace_s_services_and_its_address_keeps_it(tab: Tab) -> None:
    page = tab.page
    tab.go("/")
    sign_in(tab, "agent.compta@villeneuve.example")
    page.wait_for_url(INBOX)
    total = count(tab)
    page.get_by_text("Plus de filtres").click()
    picker = page.get_by_label("Service destinataire")
    # The town hall's own services, by name and code, not a code to remember.
    expect(picker.get_by_role("option")).to_have_text(
        [
            "— tous les services —",
            "Affaires scolaires (ECOLES)",
            "Direction des finances (FINANCES)",
            "Services techniques (TECHNIQUE)",
        ]
    )
    picker.select_option(label="Direction des finances (FINANCES)")
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page).to_have_url(re.compile(r"service=FINANCES"))
    page.wait_for_function(
        "() => { const r = [...document.querySelectorAll('table.invoices tbody tr')];"
        " return r.length > 0 && r.every(x => x.textContent.includes('FINANCES')); }"
    )
    finances = count(tab)
    assert 0 < finances < total
    assert group_count(tab, "Toutes") == finances
    tab.shot("lists-33-service-picker")

    # The address is the filter: opened again, the list and the picker say FINANCES.
    page.goto(page.url)
    page.wait_for_function("n => document.querySelectorAll('table.invoices tbody tr').length === n", arg=finances)
    expect(page.get_by_label("Service destinataire")).to_have_value("FINANCES")
    # A code the workspace has not (an old link) stays chosen, and filters.
    tab.go("/factures/recues?service=ARCHIVES")
    expect(page.get_by_text("Aucune facture ne correspond à ces critères.")).to_be_visible()
    expect(page.get_by_label("Service destinataire")).to_have_value("ARCHIVES")
    page.get_by_label("Service destinataire").select_option("")
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_function("n => document.querySelectorAll('table.invoices tbody tr').length === n", arg=total)
    expect(page).not_to_have_url(re.compile(r"service="))
    assert tab.errors == []


def test_the_supplier_filters_by_a_recipient_s_service_code(tab: Tab) -> None:
    page = tab.page
    tab.go("/")
    sign_in(tab, "hans.mueller@mueller-buero.example")
    page.wait_for_url(re.compile(r"/factures/emises$"))
    page.get_by_text("Plus de filtres").click()
    # The services are the recipients': no list of them here, a code is typed.
    page.get_by_role("textbox", name="Code service").fill("FINANCES")
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page).to_have_url(re.compile(r"service=FINANCES"))
    expect(page.get_by_role("textbox", name="Code service")).to_have_value("FINANCES")
    tab.shot("lists-34-issued-service-code")
    assert tab.errors == []


def test_issued_list_has_the_supplier_s_tabs(tab: Tab) -> None:
    page = tab.page
    tab.go("/")
    sign_in(tab, "hans.mueller@mueller-buero.example")
    page.wait_for_url(re.compile(r"/factures/emises$"))
    total = count(tab)
    assert group_count(tab, "Toutes") == total
    todo = group_count(tab, "À compléter ou recycler")
    group(tab, "À compléter ou recycler").click()
    expect(page).to_have_url(re.compile(r"group=todo"))
    if todo:
        page.wait_for_function("n => document.querySelectorAll('table.invoices tbody tr').length === n", arg=todo)
        assert set(page.locator("table.invoices tbody .status").all_inner_texts()) <= {"Suspendue", "À recycler"}
    else:
        expect(page.get_by_text("Aucune facture ne correspond à ces critères.")).to_be_visible()
    tab.shot("lists-24-issued-tabs")
    assert tab.errors == []


def test_one_decision_for_several_invoices_with_a_result_each(tab: Tab, live_hub: Hub) -> None:
    supplier, entity = tokens(live_hub)
    run = uuid.uuid4().hex[:6].upper()
    numbers = [f"LOT-{run}-{i}" for i in (1, 2, 3)]
    for number in numbers:
        deposit(live_hub, supplier, number)

    page = tab.page
    tab.go(f"/factures/recues?q=LOT-{run}")
    sign_in(tab, "jean.leroy@eaux-valdesaone.example")
    page.wait_for_function("() => document.querySelectorAll('table.invoices tbody tr').length === 3")
    page.get_by_label("Sélectionner toutes les factures de la page").check()
    expect(page.get_by_role("heading", name="3 factures sélectionnées")).to_be_visible()
    page.get_by_label("Sélectionner la facture " + numbers[2]).uncheck()
    expect(page.get_by_role("heading", name="2 factures sélectionnées")).to_be_visible()
    page.get_by_label("Sélectionner la facture " + numbers[2]).check()
    page.get_by_label("Décision").select_option(label="Suspendue")
    page.get_by_role("button", name="Appliquer aux 3 factures").click()
    expect(page.get_by_role("alert")).to_have_text("Un motif est obligatoire pour cette décision.")
    page.get_by_label("Motif").fill("Bon de commande manquant " + CANARY)

    # Meanwhile someone else decides on the second one: that one is a conflict, the others go through.
    other = received(live_hub, entity, numbers[1])
    moved = live_hub.graphql(
        entity,
        PROCESS,
        {"input": {"invoiceId": other["id"], "status": "PRISE_EN_COMPTE_DESTINATAIRE", "version": other["version"]}},
    )
    assert moved["processInvoice"]["userErrors"] == []  # type: ignore[index]
    tab.shot("lists-25-bulk-selected")
    page.get_by_role("button", name="Appliquer aux 3 factures").click()
    results = page.locator(".bulk-results")
    expect(results.get_by_role("heading")).to_have_text("Résultat : 2 réussie(s) sur 3")
    expect(results.locator("li[data-outcome=ok]")).to_have_count(2)
    failed = results.locator("li[data-outcome=failed]")
    expect(failed).to_contain_text(numbers[1])
    expect(failed).to_contain_text("modifiée entre-temps")
    expect(results.locator("li", has_text=numbers[0])).to_contain_text("désormais « Suspendue »")
    page.wait_for_function(
        "() => [...document.querySelectorAll('table.invoices tbody .status')].filter(e =>"
        " e.textContent === 'Suspendue').length === 2"
    )
    for number in (numbers[0], numbers[2]):
        assert received(live_hub, entity, number)["status"] == "SUSPENDUE"
    no_script_ran(tab)
    tab.shot("lists-26-bulk-results")
    assert tab.errors == []


def test_the_detail_suspend_complete_conflict_and_untrusted_texts(tab: Tab, browser: Browser, live_hub: Hub) -> None:
    supplier, entity = tokens(live_hub)
    number = f"DET-{uuid.uuid4().hex[:6].upper()}"
    deposit(
        live_hub,
        supplier,
        number,
        item=CANARY,
        dueDate="2026-12-20",
        paymentTerms="30 jours net",
        iban="FR7630006000011234567890189",
        engagementNumber="EJ-DET-1",
        note="Livraison au dépôt " + CANARY,
    )
    page = tab.page
    tab.go("/")
    sign_in(tab, "jean.leroy@eaux-valdesaone.example")
    page.wait_for_url(INBOX)
    page.get_by_role("searchbox", name="Rechercher").fill(number)
    expect(page).to_have_url(re.compile(r"q=" + number))
    page.wait_for_function("() => document.querySelectorAll('table.invoices tbody tr').length === 1")
    page.get_by_role("link", name=number).click()

    # The invoice itself, readable.
    expect(page.get_by_role("heading", name="Facture " + number)).to_be_visible()
    supplier_card = page.get_by_role("region", name="Fournisseur")
    expect(supplier_card).to_contain_text("Müller Bürotechnik GmbH")
    expect(supplier_card).to_contain_text("Berlin")
    expect(page.get_by_role("region", name="Destinataire")).to_contain_text("Mâcon")
    references = page.get_by_role("region", name="Références")
    expect(references).to_contain_text("A1 — Facture fournisseur")
    expect(references).to_contain_text("EJ-DET-1")
    expect(page.get_by_role("region", name="Lignes")).to_contain_text(CANARY)
    expect(page.get_by_role("region", name="Lignes")).to_contain_text("1\u202f234,50\u00a0€")
    expect(page.get_by_role("region", name="Paiement")).to_contain_text("FR76 3000 6000 0112 3456 7890 189")
    expect(page.get_by_role("region", name="Paiement")).to_contain_text("30 jours net")
    expect(page.get_by_role("region", name="Notes de la facture")).to_contain_text(CANARY)
    documents = page.get_by_role("region", name="Documents")
    for link in ("PDF lisible", "Document déposé", "UBL (XML)", "CII (XML)"):
        expect(documents.get_by_role("link", name=re.compile(re.escape(link)))).to_have_attribute(
            "href", re.compile(r"/files/")
        )
    frame_box = references.get_by_text("A1 — Facture fournisseur").bounding_box()
    assert frame_box and frame_box["height"] < 60  # at most two lines, broken between words
    no_script_ran(tab)
    tab.shot("lists-27-invoice-detail")

    # Suspend: the dialog is modal, labelled, holds the focus, closes on Escape, insists on a reason.
    page.get_by_role("button", name="Suspendre").click()
    dialog = page.get_by_role("dialog", name=f"Passer la facture {number} à « Suspendue »")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Motif")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="Suspendre").click()
    for _ in range(4):
        page.keyboard.press("Tab")
        assert page.evaluate("() => !!document.activeElement.closest('dialog')")
    dialog.get_by_role("button", name="Confirmer").click()
    expect(dialog.get_by_role("alert")).to_have_text("Un motif est obligatoire pour cette décision.")
    dialog.get_by_label("Motif").fill("Pièce manquante " + CANARY)
    tab.shot("lists-28-reason-dialog")
    dialog.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_test_id("invoice-status")).to_have_text("Suspendue")
    history = page.get_by_role("region", name="Historique")
    expect(history).to_contain_text("Pièce manquante " + CANARY)
    expect(history).to_contain_text("Jean Leroy")
    no_script_ran(tab)

    # The supplier completes it with a document whose name is markup.
    supplier_context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    try:
        other = Tab(supplier_context.new_page(), tab.base)
        other.page.on("console", lambda m: other.errors.append(m.text) if m.type == "error" else None)
        other.go("/factures/emises?q=" + number)
        sign_in(other, "hans.mueller@mueller-buero.example")
        other.page.get_by_role("link", name=number).click()
        form = other.page.get_by_role("region", name="Compléter la facture")
        form.get_by_label("Commentaire").fill("Voici le bon " + CANARY)
        form.get_by_label("Pièces à joindre").set_input_files(
            {"name": CANARY + ".pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        form.get_by_role("button", name="Envoyer le complément").click()
        expect(other.page.get_by_test_id("invoice-status")).to_have_text("Complétée")
        expect(other.page.get_by_role("region", name="Documents")).to_contain_text(CANARY)
        no_script_ran(other)
        other.shot("lists-29-supplier-completed")
        assert other.errors == []
    finally:
        supplier_context.close()

    # The entity reloads and sees it; the attachment downloads under its name.
    page.reload()
    expect(page.get_by_test_id("invoice-status")).to_have_text("Complétée")
    documents = page.get_by_role("region", name="Documents")
    with page.expect_download() as attachment:
        documents.get_by_role("link", name=CANARY + ".pdf").click()
    assert Path(attachment.value.path()).read_bytes() == PDF

    # Someone else decides meanwhile: the decision here is refused, said plainly, and a reload shows why.
    current = received(live_hub, entity, number)
    meanwhile = live_hub.graphql(
        entity,
        PROCESS,
        {"input": {"invoiceId": current["id"], "status": "SERVICE_FAIT", "version": current["version"]}},
    )
    assert meanwhile["processInvoice"]["userErrors"] == []  # type: ignore[index]
    page.get_by_role("button", name="Mettre en paiement").click()
    page.get_by_role("dialog").get_by_role("button", name="Confirmer").click()
    conflict = page.locator(".conflict")
    expect(conflict).to_contain_text("Cette facture a changé entre-temps.")
    expect(page.get_by_test_id("invoice-status")).to_have_text("Complétée")
    tab.shot("lists-30-version-conflict")
    conflict.get_by_role("button", name="Recharger la facture").click()
    expect(page.get_by_test_id("invoice-status")).to_have_text("Service fait")
    page.get_by_role("button", name="Mettre en paiement").click()
    page.get_by_role("dialog").get_by_role("button", name="Confirmer").click()
    expect(page.get_by_test_id("invoice-status")).to_have_text("Mise en paiement")
    expect(page.get_by_role("status").filter(has_text="désormais")).to_contain_text("Mise en paiement")
    no_script_ran(tab)
    tab.shot("lists-31-invoice-paid")
    assert tab.errors == []


ISSUED_ONE = """query ($number: String!) { workspace { issuedInvoices(first: 1, filter: {number: $number}) {
  nodes { status recipient { identifier } serviceCode } } } }"""


def test_the_supplier_reroutes_an_invoice_sent_back(tab: Tab, live_hub: Hub) -> None:
    supplier, entity = tokens(live_hub)
    number = f"RCY-{uuid.uuid4().hex[:6].upper()}"
    deposit(live_hub, supplier, number)
    sent = received(live_hub, entity, number)
    back = {
        "invoiceId": sent["id"],
        "status": "A_RECYCLER",
        "reason": "Pas pour nous " + CANARY,
        "version": sent["version"],
    }
    assert live_hub.graphql(entity, PROCESS, {"input": back})["processInvoice"]["userErrors"] == []  # type: ignore[index]

    page = tab.page
    tab.go("/factures/emises")
    sign_in(tab, "hans.mueller@mueller-buero.example")
    page.get_by_role("searchbox", name="Rechercher").fill(number)
    page.wait_for_function("() => document.querySelectorAll('table.invoices tbody tr').length === 1")
    page.get_by_role("link", name=number).click()
    form = page.get_by_role("region", name="Réacheminer la facture")
    expect(form).to_be_visible()
    # Sending back is not a decision the supplier takes through the action buttons.
    expect(page.get_by_role("button", name=re.compile("Déposée"))).to_have_count(0)
    form.get_by_role("searchbox", name="Rechercher le destinataire").fill("villeneuve")
    form.get_by_role("button", name="Choisir Mairie de Villeneuve-Saint-Martin").click()
    form.get_by_label("Service").select_option("FINANCES")
    tab.shot("lists-32-reroute")
    form.get_by_role("button", name="Réacheminer").click()
    expect(page.get_by_role("region", name="Réacheminer la facture")).to_have_count(0)
    no_script_ran(tab)
    now = live_hub.graphql(supplier, ISSUED_ONE, {"number": number})["workspace"]["issuedInvoices"]["nodes"][0]  # type: ignore[index]
    assert (now["recipient"]["identifier"], now["serviceCode"]) == ("21750001600019", "FINANCES"), now
    assert now["status"] != "A_RECYCLER", now
