//! The enrollment wizard end to end: a real Chromium, the real API on a
//! fresh database, the real release build.

use e2e::Stack;
use serde_json::json;

/// No bank secret may be kept by the browser outside the app's memory.
async fn assert_no_secrets(stack: &Stack) {
    let kept = stack.browser_storage().await;
    for secret in ["DE89", "370400440532013000", "3704 0044"] {
        assert!(
            !kept.contains(secret),
            "a bank secret in browser storage or the URL: {kept}"
        );
    }
}

#[tokio::test]
async fn an_indirect_reseller_applies_and_is_approved() {
    let stack = Stack::start().await;
    stack
        .browser
        .goto(&stack.url("/"))
        .await
        .expect("the page opens");
    stack.wait_for_text("h1", "Apply to join").await;
    stack.shot("wizard-0-start").await;
    stack.assert_accessible("start").await;
    stack.click(".csp-button--start").await;

    // Model: Continue with nothing chosen shows the error summary, focused,
    // and its link moves focus to the question without touching the URL.
    stack
        .wait_for_text("h1", "How will your company sell?")
        .await;
    let url_before = stack.browser.current_url().await.expect("a URL");
    stack.click("button[type=submit]").await;
    stack
        .wait_for_text(".csp-error-summary", "Select how your company will sell")
        .await;
    assert!(
        stack.focused().await.contains("csp-error-summary"),
        "summary focused: {}",
        stack.focused().await
    );
    stack.shot("wizard-1-model-error").await;
    stack.assert_accessible("model with an error").await;
    stack.click(".csp-error-summary a").await;
    assert!(
        stack.focused().await.starts_with("f-model|"),
        "focus on the question: {}",
        stack.focused().await
    );
    assert_eq!(
        stack.browser.current_url().await.expect("a URL"),
        url_before
    );
    stack.click("#f-model-indirect").await;
    stack.click("button[type=submit]").await;

    // MPN ID with the live lookup.
    stack.wait_for_text("h1", "MPN ID").await;
    stack.fill("#f-mpn_id", "123 4567").await;
    stack
        .wait_for_text("[data-mpn-lookup]", "Is this Contoso Ltd, Germany?")
        .await;
    stack.click("button[type=submit]").await;

    // Company and address: the fields follow the country.
    stack.wait_for_text("h1", "Your company").await;
    stack.fill("#f-company-legal_name", "Contoso Ltd").await;
    stack.choose("#f-address-country", "DE").await;
    stack
        .wait_for_text("label[for=f-address-postal_code]", "Postcode")
        .await;
    stack.fill("#f-address-lines-0", "Unter den Linden 1").await;
    stack.fill("#f-address-locality", "Berlin").await;
    stack.fill("#f-address-postal_code", "1011").await;
    stack.click("button[type=submit]").await;
    stack
        .wait_for_text(".csp-error-summary", "Enter a real postcode, like 26133")
        .await;
    stack.fill("#f-address-postal_code", "10117").await;
    stack.click("button[type=submit]").await;

    // Bank: IBAN and BIC for Germany. The draft exists from here on.
    stack
        .wait_for_text("h1", "Where should the program pay you?")
        .await;
    stack.choose("#f-bank-country", "DE").await;
    stack.fill("#f-bank-account_holder", "Contoso Ltd").await;
    stack
        .fill("#f-bank-iban", "de89 3704 0044 0532 0130 00")
        .await;
    stack.fill("#f-bank-bic", "COBADEFFXXX").await;
    stack.shot("wizard-4-bank").await;
    stack.assert_accessible("bank").await;
    stack.click("button[type=submit]").await;
    assert_no_secrets(&stack).await;

    // Admin: a free-mail address is refused with the reason.
    stack.wait_for_text("h1", "admin").await;
    stack.fill("#f-admin-first_name", "Jane").await;
    stack.fill("#f-admin-last_name", "Doe").await;
    stack.fill("#f-admin-email", "jane@qq.com").await;
    stack.click("button[type=submit]").await;
    stack
        .wait_for_text(".csp-error-summary", "qq.com addresses are personal")
        .await;
    stack.fill("#f-admin-email", "jane.doe@contoso.com").await;
    stack.click("button[type=submit]").await;

    // The address is proven with the code emailed to it; a wrong code is
    // refused with the reason first.
    stack
        .wait_for_text("h1", "Confirm the admin's email address")
        .await;
    stack
        .wait_for_text("form", "We emailed a 6-digit code to jane.doe@contoso.com")
        .await;
    // Until the address is proven, the resume link is only to copy: our
    // sender mails nobody an address they have not shown is theirs.
    stack.click(".csp-later .csp-link-button").await;
    stack.wait_for("[data-resume-unproven]").await;
    assert_eq!(
        stack.in_app("[data-email-link]", "return !!el;").await,
        false
    );
    stack
        .assert_accessible("the code page, the link to copy")
        .await;
    let code = stack.admin_code(0).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    stack.fill("#f-code", wrong).await;
    stack.click("button[type=submit]").await;
    stack
        .wait_for_text(".csp-error-summary", "That code is not right")
        .await;
    stack.shot("wizard-6-code-wrong").await;
    stack.assert_accessible("the code page with an error").await;
    stack.fill("#f-code", &code).await;
    stack.click("button[type=submit]").await;

    // Tenant and the resale rule. Proven now, the link may be emailed.
    stack.wait_for_text("h1", "tenants").await;
    stack.click("[data-email-link]").await;
    stack
        .wait_for_text("[data-resume-emailed]", "jane.doe@contoso.com")
        .await;
    let emailed = stack
        .mail_to("resume", Some("jane.doe@contoso.com"), 0)
        .await;
    assert!(emailed.body.contains("#resume="), "{}", emailed.body);
    stack
        .fill("#f-tenant-csp_domain", "contoso.onmicrosoft.com")
        .await;
    stack
        .click("#f-attestations-no_resale_to_csp_partners")
        .await;
    stack.click("#f-attestations-terms_accepted").await;
    stack.click("button[type=submit]").await;

    // Check your answers: the IBAN only masked; Change returns here.
    stack.wait_for_text("h1", "Check your answers").await;
    let summary = stack.text(".csp-summary").await.unwrap_or_default();
    assert!(
        summary.contains("••••3000") && !summary.contains("DE89"),
        "{summary}"
    );
    stack
        .click(".csp-summary__row:nth-child(3) .csp-link-button")
        .await;
    stack.wait_for_text("h1", "Your company").await;
    stack.fill("#f-company-legal_name", "Contoso Limited").await;
    stack.click("button[type=submit]").await;
    stack.wait_for_text("h1", "Check your answers").await;
    stack.wait_for_text(".csp-summary", "Contoso Limited").await;
    stack.shot("wizard-8-check").await;
    stack.assert_accessible("check your answers").await;
    assert_no_secrets(&stack).await;

    // Submit: a double click submits once.
    stack.wait_for_text(".csp-button", "Accept and send").await;
    stack
        .in_app(
            ".csp-summary ~ .csp-button",
            "el.click(); el.click(); return true;",
        )
        .await;
    stack.wait_for_text("h1", "Application sent").await;
    stack.shot("wizard-9-confirmation").await;
    assert_no_secrets(&stack).await;

    // A reviewer approves; the status page shows it.
    let listing = stack.api.store.applications().await.expect("applications");
    assert_eq!(listing.len(), 1, "one application");
    let id = listing[0].id.clone();
    assert_eq!(
        stack.api.store.history(&id).await.expect("history").len(),
        2,
        "draft, then one submission"
    );
    stack.operator(&["review", "start", &id]).await;
    stack.operator(&["review", "approve", &id]).await;
    stack.click(".csp-button--secondary").await;
    stack.wait_for_text("[data-status]", "Approved").await;
    stack.shot("wizard-10-status").await;
    stack.assert_accessible("status").await;
    stack.close().await;
}

/// Opens the app, presses "Start now" and chooses how the company sells
/// (`indirect` or `direct`).
async fn open_and_choose(stack: &Stack, model: &str) {
    stack
        .browser
        .goto(&stack.url("/"))
        .await
        .expect("the page opens");
    stack.start_as(model).await;
}

#[tokio::test]
async fn resume_in_a_fresh_browser_then_fix_and_resubmit_after_a_review() {
    let mut stack = Stack::start().await;
    open_and_choose(&stack, "indirect").await;
    stack.fill("#f-mpn_id", "1234567").await;
    stack.click("button[type=submit]").await;
    stack.wait_for_text("h1", "Your company").await;

    // Save and come back later: the link, with the token in the fragment.
    stack.click(".csp-later .csp-link-button").await;
    stack.wait_for("#f-resume-link").await;
    let link = stack.in_app("#f-resume-link", "return el.value;").await;
    let link = link.as_str().expect("a link").to_owned();
    assert!(
        link.starts_with(&stack.url("/")) && link.contains("#resume="),
        "{link}"
    );
    // No admin address yet: nothing to email it to.
    stack
        .wait_for_text("[data-resume-panel]", "Enter the admin's work email")
        .await;
    stack.shot("wizard-later").await;

    // Another browser, nothing shared but the link: back at the company page.
    stack.fresh_browser().await;
    stack.browser.goto(&link).await.expect("the link opens");
    stack.answer_company_to_tenant().await;
    assert_no_secrets(&stack).await;
    stack.wait_for_text(".csp-button", "Accept and send").await;
    stack.click(".csp-summary ~ .csp-button").await;
    stack.wait_for_text("h1", "Application sent").await;

    // The reviewer asks for more; the applicant fixes and sends again.
    let id = stack.api.store.applications().await.expect("applications")[0]
        .id
        .clone();
    stack.operator(&["review", "start", &id]).await;
    stack
        .operator(&[
            "review",
            "request-info",
            &id,
            "--reason",
            "Use the registered name: Contoso Limited",
        ])
        .await;
    stack.click(".csp-button--secondary").await;
    stack
        .wait_for_text("[data-status]", "More information needed")
        .await;
    stack
        .wait_for_text(".csp-inset", "Use the registered name")
        .await;
    stack.shot("wizard-more-info").await;
    stack.click("[data-status] ~ .csp-button").await;
    stack.wait_for_text("h1", "Check your answers").await;
    stack
        .click(".csp-summary__row:nth-child(3) .csp-link-button")
        .await;
    stack.fill("#f-company-legal_name", "Contoso Limited").await;
    stack.click("button[type=submit]").await;
    stack.wait_for_text(".csp-summary", "Contoso Limited").await;
    stack.wait_for_text(".csp-button", "Accept and send").await;
    stack.click(".csp-summary ~ .csp-button").await;
    stack.wait_for_text("h1", "Application sent").await;
    let history = stack.api.store.history(&id).await.expect("history");
    let statuses: Vec<&str> = history.iter().map(|h| h.status.as_str()).collect();
    assert_eq!(
        statuses,
        [
            "draft",
            "submitted",
            "in_review",
            "more_info_needed",
            "submitted"
        ]
    );
    let stored = stack
        .api
        .store
        .application(&id)
        .await
        .expect("read")
        .expect("the application");
    assert_eq!(stored.answers.company.legal_name, "Contoso Limited");
    assert_eq!(
        stored.answers.bank.iban, "DE89370400440532013000",
        "the IBAN survived the masked round trip"
    );
    assert_no_secrets(&stack).await;
    stack.close().await;
}

#[tokio::test]
async fn the_direct_path_is_closed_until_the_setting_opens_it() {
    let stack = Stack::start().await;
    open_and_choose(&stack, "direct").await;
    stack
        .wait_for_text(".csp-error-summary", "Direct enrollment is closed")
        .await;

    stack
        .operator(&["program", "set", "--direct-enrollment", "open"])
        .await;
    stack.browser.refresh().await.expect("reload");
    stack.click(".csp-button--start").await;
    stack.click("#f-model-direct").await;
    stack.click("button[type=submit]").await;
    stack.wait_for_text("h1", "MPN ID").await;
    stack.fill("#f-mpn_id", "1234567").await;
    stack.click("button[type=submit]").await;

    // The address form follows the country: a US ZIP code and a list of
    // states, a Japanese prefecture.
    stack.wait_for_text("h1", "Your company").await;
    stack.choose("#f-address-country", "US").await;
    stack
        .wait_for_text("label[for=f-address-postal_code]", "ZIP code")
        .await;
    stack.wait_for("#f-address-region option[value=CA]").await;
    stack.choose("#f-address-country", "JP").await;
    stack
        .wait_for_text("label[for=f-address-region]", "Prefecture")
        .await;

    stack.answer_company_to_tenant().await;
    stack.wait_for_text(".csp-button", "Accept and send").await;
    stack.click(".csp-summary ~ .csp-button").await;
    stack.wait_for_text("h1", "Application sent").await;
    let listing = stack.api.store.applications().await.expect("applications");
    assert_eq!(
        listing[0].answers.model,
        Some(enroll_core::PartnerModel::DirectPartner)
    );
    stack.close().await;
}

#[tokio::test]
async fn going_offline_loses_nothing_and_saving_resumes_when_back() {
    let stack = Stack::start().await;
    open_and_choose(&stack, "indirect").await;
    stack
        .wait_for_text(".csp-save-state", "Your answers are saved")
        .await;

    stack.set_offline(true).await;
    stack.fill("#f-mpn_id", "1234567").await;
    stack.click("button[type=submit]").await;
    stack.wait_for_text("h1", "Your company").await;
    stack
        .wait_for_text(".csp-save-state", "could not reach the enrollment service")
        .await;
    stack.shot("wizard-offline").await;
    stack.click(".csp-back-link").await;
    let kept = stack.in_app("#f-mpn_id", "return el.value;").await;
    assert_eq!(kept, "1234567", "what was typed offline is still there");

    stack.set_offline(false).await;
    stack.fill("#f-mpn_id", "1234567").await;
    stack
        .wait_for_text(".csp-save-state", "Your answers are saved")
        .await;
    let stored = stack.api.store.applications().await.expect("applications");
    assert_eq!(
        stored[0].answers.mpn_id, "1234567",
        "saved once the network is back"
    );
    stack.close().await;
}

/// A new application for an indirect reseller, saved with its MPN ID, on
/// the company page.
async fn at_the_company_page(stack: &Stack) {
    open_and_choose(stack, "indirect").await;
    stack.answer_mpn_id("1234567").await;
}

#[tokio::test]
async fn an_answer_over_its_cap_is_not_saved_and_says_so_at_its_field() {
    let stack = Stack::start().await;
    at_the_company_page(&stack).await;

    // Pasted by mistake: a whole paragraph as the legal name.
    stack
        .fill("#f-company-legal_name", &"Contoso Ltd ".repeat(20))
        .await;
    stack
        .wait_for_text(".csp-save-state", "Some answers could not be saved")
        .await;
    stack
        .wait_for_text(".csp-error-message", "no more than 160 characters")
        .await;
    stack.shot("wizard-answer-too-long").await;
    let stored = stack.api.store.applications().await.expect("applications");
    assert_eq!(
        stored[0].answers.company.legal_name, "",
        "nothing over the cap is stored"
    );

    stack.fill("#f-company-legal_name", "Contoso Ltd").await;
    stack
        .wait_for_text(".csp-save-state", "Your answers are saved")
        .await;
    let stored = stack.api.store.applications().await.expect("applications");
    assert_eq!(stored[0].answers.company.legal_name, "Contoso Ltd");
    stack.close().await;
}

#[tokio::test]
async fn unreachable_during_a_save_and_a_submit_then_back_it_is_sent_once_with_every_answer() {
    let stack = Stack::start().await;
    open_and_choose(&stack, "indirect").await;
    stack.fill("#f-mpn_id", "1234567").await;
    stack.click("button[type=submit]").await;
    stack.answer_company_to_tenant().await;
    stack
        .wait_for_text(".csp-save-state", "Your answers are saved")
        .await;

    // The connection drops; a changed answer cannot be saved, and stays.
    stack.set_offline(true).await;
    stack
        .click(".csp-summary__row:nth-child(6) .csp-link-button")
        .await;
    stack.fill("#f-admin-phone", "+49 30 1234567").await;
    stack.click("button[type=submit]").await;
    stack.wait_for_text("h1", "Check your answers").await;
    stack.wait_for_text(".csp-summary", "+49 30 1234567").await;
    stack
        .wait_for_text(".csp-save-state", "could not reach the enrollment service")
        .await;
    stack
        .wait_for_text("[data-retry-now]", "Try again now")
        .await;

    // Accept and send, twice, still offline: it waits, sending nothing.
    stack.click(".csp-summary ~ .csp-button").await;
    stack
        .wait_for_text(".csp-summary ~ .csp-button", "Sending")
        .await;
    stack.click(".csp-summary ~ .csp-button").await;
    stack.shot("wizard-offline-submit").await;
    stack.assert_accessible("check your answers, offline").await;
    let stored = stack.api.store.applications().await.expect("applications");
    assert_eq!(stored[0].status, enroll_core::ApplicationStatus::Draft);
    assert_eq!(stored[0].answers.admin.phone, "", "nothing got through");

    // Back online: the retry saves the change, then sends, by itself.
    stack.set_offline(false).await;
    stack.wait_for_text("h1", "Application sent").await;
    let stored = stack.api.store.applications().await.expect("applications");
    assert_eq!(stored.len(), 1);
    let answers = &stored[0].answers;
    assert_eq!(stored[0].status, enroll_core::ApplicationStatus::Submitted);
    assert_eq!(answers.admin.phone, "+49 30 1234567");
    assert_eq!(
        (
            answers.mpn_id.as_str(),
            answers.company.legal_name.as_str(),
            answers.address.postal_code.as_str(),
            answers.bank.bic.as_str(),
            answers.admin.email.as_str(),
            answers.tenant.csp_domain.as_str(),
        ),
        (
            "1234567",
            "Contoso Ltd",
            "10117",
            "COBADEFF",
            "jane.doe@contoso.com",
            "contoso.onmicrosoft.com"
        )
    );
    let history = stack
        .api
        .store
        .history(&stored[0].id)
        .await
        .expect("history");
    let statuses: Vec<&str> = history.iter().map(|h| h.status.as_str()).collect();
    assert_eq!(statuses, ["draft", "submitted"], "submitted once");
    stack
        .mail_to("status", Some("jane.doe@contoso.com"), 0)
        .await;
    let emails = stack.inbox();
    let received: Vec<&str> = emails.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        received,
        ["admin_code", "status"],
        "one code to prove the address, one confirmation email"
    );
    stack.close().await;
}

/// Someone with the link saves the company as `name` in another browser.
async fn save_elsewhere(stack: &Stack, name: &str) {
    let mut answers = enroll_core::Answers::example();
    answers.company.legal_name = name.into();
    let stored = &stack.api.store.applications().await.expect("applications")[0];
    let saved = stack
        .api
        .store
        .update_answers(&stored.id, stored.version, &answers, "1234567", "en-US")
        .await;
    saved.expect("saved elsewhere");
}

/// The company's legal name as stored.
async fn stored_name(stack: &Stack) -> String {
    let stored = stack.api.store.applications().await.expect("applications");
    stored[0].answers.company.legal_name.clone()
}

#[tokio::test]
async fn a_change_made_elsewhere_is_never_overwritten_unasked() {
    let stack = Stack::start().await;
    at_the_company_page(&stack).await;
    save_elsewhere(&stack, "Fabrikam Ltd").await;

    // Here the applicant types; the save finds the newer version and asks.
    stack.fill("#f-company-legal_name", "Contoso Ltd").await;
    stack
        .wait_for_text("[data-conflict]", "changed somewhere else")
        .await;
    stack.shot("wizard-conflict").await;
    stack.assert_accessible("a conflict").await;
    assert_eq!(
        stored_name(&stack).await,
        "Fabrikam Ltd",
        "not overwritten unasked"
    );

    // Keep mine: saved over the newer version.
    stack
        .click("[data-conflict] .csp-button:not(.csp-button--secondary)")
        .await;
    stack
        .wait_for_text(".csp-save-state", "Your answers are saved")
        .await;
    assert_eq!(stored_name(&stack).await, "Contoso Ltd");

    // Again, and this time take the saved version: it replaces the page's.
    save_elsewhere(&stack, "Northwind Ltd").await;
    stack.fill("#f-company-tax_id", "DE123456789").await;
    stack.wait_for("[data-conflict]").await;
    stack.click("[data-conflict] .csp-button--secondary").await;
    stack
        .wait_for_text(".csp-save-state", "Your answers are saved")
        .await;
    let shown = stack
        .in_app("#f-company-legal_name", "return el.value;")
        .await;
    assert_eq!(shown, "Northwind Ltd");
    assert_eq!(stored_name(&stack).await, "Northwind Ltd");
    stack.close().await;
}

/// The pages after the first question are a download of their own
/// (src/later.rs). When it cannot be fetched, the page says so where the
/// question would be and offers a retry; the answers stay and are saved;
/// once the network is back, the retry shows the question and it works.
#[tokio::test]
async fn a_later_page_that_cannot_be_downloaded_says_so_and_works_after_a_retry() {
    let stack = Stack::start().await;
    // Only the later parts fail: the first page and the API work.
    stack.devtools("Network.enable", json!({})).await;
    let cut = json!({ "urls": ["*/split_wizard.*", "*/chunk_*"] });
    stack.devtools("Network.setBlockedURLs", cut).await;
    open_and_choose(&stack, "indirect").await;

    stack
        .wait_for_text("h1", "This page could not be downloaded")
        .await;
    stack
        .wait_for_text("[role=alert]", "Your answers are kept")
        .await;
    stack
        .wait_for_text(".csp-save-state", "Your answers are saved")
        .await;
    let stored = stack.api.store.applications().await.expect("applications");
    assert_eq!(
        stored[0].answers.model,
        Some(enroll_core::PartnerModel::IndirectReseller),
        "the choice made before the failure is saved"
    );
    stack.shot("wizard-part-not-loaded").await;
    stack
        .assert_accessible("a part that could not be downloaded")
        .await;

    stack
        .devtools("Network.setBlockedURLs", json!({ "urls": [] }))
        .await;
    stack.click("[role=alert] button").await;
    stack.wait_for_text("h1", "What is your MPN ID?").await;
    stack.fill("#f-mpn_id", "1234567").await;
    stack.click("button[type=submit]").await;
    stack.wait_for_text("h1", "Your company").await;
    stack.click(".csp-back-link").await;
    let kept = stack.in_app("#f-mpn_id", "return el.value;").await;
    assert_eq!(kept, "1234567", "the page works like any other once loaded");
    stack.close().await;
}

#[tokio::test]
async fn switching_language_on_the_bank_step_keeps_the_answers_the_step_and_the_error() {
    let stack = Stack::start().await;
    open_and_choose(&stack, "indirect").await;
    stack.answer_mpn_id("1234567").await;
    stack.answer_company().await;
    stack.choose("#f-bank-country", "DE").await;
    stack.fill("#f-bank-account_holder", "Contoso Ltd").await;
    stack.fill("#f-bank-iban", "DE89370400440532013001").await;
    stack.click("button[type=submit]").await;
    stack
        .wait_for_text(".csp-error-summary", "Check your IBAN")
        .await;

    // Pressed with the keyboard: the focus stays on the switch (the
    // summary is re-worded, not drawn again and focused).
    stack
        .in_app(
            ".csp-language__option[lang=zh-CN]",
            "el.focus(); return true;",
        )
        .await;
    stack.press(fantoccini::key::Key::Enter).await;
    stack.wait_for_text("h1", "计划应向哪里付款").await;
    let focused = stack.focused().await;
    assert!(focused.contains("csp-language__option"), "focus: {focused}");
    stack
        .wait_for_text(".csp-error-summary", "请检查 IBAN")
        .await;
    stack
        .wait_for_text(".csp-error-message", "请检查 IBAN")
        .await;
    let holder = stack
        .in_app("#f-bank-account_holder", "return el.value;")
        .await;
    assert_eq!(holder, "Contoso Ltd", "the answers stay");
    let pressed = stack
        .in_app(
            ".csp-language__option[lang=zh-CN]",
            "return el.getAttribute('aria-pressed');",
        )
        .await;
    assert_eq!(pressed, "true");
    stack.shot("wizard-bank-error-zh-CN").await;
    stack
        .assert_accessible("the bank step in Chinese with an error")
        .await;

    stack.click(".csp-language__option[lang=en-US]").await;
    stack
        .wait_for_text("h1", "Where should the program pay you?")
        .await;
    stack
        .wait_for_text(".csp-error-summary", "Check your IBAN")
        .await;
    let iban = stack.in_app("#f-bank-iban", "return el.value;").await;
    assert!(iban.as_str().is_some_and(|v| v.contains("3001")), "{iban}");
    stack.close().await;
}

#[tokio::test]
async fn the_status_page_writes_its_dates_as_each_language_does() {
    let stack = Stack::start().await;
    let (id, token) = stack.submitted_application().await;
    let link = stack.url(&format!("/#resume={id}.{token}"));
    stack.browser.goto(&link).await.expect("the resume link");
    stack.wait_for("[data-status='submitted']").await;
    // The year the server wrote (UTC; the page shows the reader's zone,
    // which here is UTC too).
    let stored = stack.api.store.applications().await.expect("applications");
    let year = stored[0].created_at[..4].to_owned();
    let english = stack.wait_for_text(".csp-history__at", &year).await;
    assert!(
        !english.contains('T') && !english.contains("UTC"),
        "not ISO: {english}"
    );
    assert!(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December"
        ]
        .iter()
        .any(|m| english.contains(m)),
        "a month named in English: {english}"
    );
    stack.click(".csp-language__option[lang=zh-CN]").await;
    let chinese = stack
        .wait_for_text(".csp-history__at", &format!("{year}年"))
        .await;
    assert!(
        chinese.contains('月') && chinese.contains('日'),
        "{chinese}"
    );
    stack.shot("status-zh-CN").await;
    stack.assert_accessible("the status page in Chinese").await;
    stack.close().await;
}

#[tokio::test]
async fn check_your_answers_writes_each_address_as_its_country_does() {
    let stack = Stack::start().await;
    open_and_choose(&stack, "indirect").await;
    stack.answer_mpn_id("1234567").await;
    stack
        .fill("#f-company-legal_name", "株式会社コントソ")
        .await;
    stack.choose("#f-address-country", "JP").await;
    stack.choose("#f-address-region", "東京都").await;
    stack.fill("#f-address-lines-0", "千代田区丸の内1-1").await;
    stack.fill("#f-address-postal_code", "100-0005").await;
    stack.click("button[type=submit]").await;
    stack
        .wait_for_text("h1", "Where should the program pay you?")
        .await;
    stack.answer_bank_to_tenant("Contoso KK").await;
    // Japan: the postal mark and code, the prefecture, then the street.
    let summary = stack
        .wait_for_text(
            ".csp-summary",
            "〒100-0005\n東京都\n千代田区丸の内1-1\nJapan",
        )
        .await;
    assert!(!summary.contains("〒100-0005, "), "{summary}");
    stack.shot("check-answers-jp").await;
    stack.close().await;
}

/// The relay refuses the email with the code: the code page says it will
/// not arrive and what to do, instead of leaving the applicant waiting; a
/// new code sent once the relay takes mail again arrives and works.
#[tokio::test]
async fn a_code_that_cannot_be_delivered_is_said_on_the_code_page() {
    let stack = Stack::start().await;
    stack
        .relay
        .script("jane.doe@contoso.com", [test_relay::Behaviour::Reply(550)]);
    at_the_company_page(&stack).await;
    stack.answer_company().await;
    stack.answer_bank_and_admin("Contoso Ltd").await;
    stack
        .wait_for_text(
            "form",
            "We could not deliver the code to jane.doe@contoso.com",
        )
        .await;
    stack
        .wait_for_text("form", "Check the email address, or send a new code.")
        .await;
    stack.shot("wizard-6-code-undelivered").await;
    stack
        .assert_accessible("the code page, its email undelivered")
        .await;
    stack.click(".csp-actions li:first-child button").await;
    let code = stack.admin_code(0).await;
    stack
        .wait_for_text("form", "We emailed a 6-digit code to jane.doe@contoso.com")
        .await;
    stack.fill("#f-code", &code).await;
    stack.click("button[type=submit]").await;
    stack.wait_for_text("h1", "tenants").await;
    stack.close().await;
}
