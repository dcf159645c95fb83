//! The enrollment wizard end to end: a real Chromium, the real API on a
//! fresh database, the real release build.

use e2e::Stack;

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

#[tokio::test]
async fn resume_in_a_fresh_browser_then_fix_and_resubmit_after_a_review() {
    let mut stack = Stack::start().await;
    stack.open_and_choose("indirect").await;
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
    stack.open_and_choose("direct").await;
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

/// The relay refuses the email with the code: the code page says it will
/// not arrive and what to do, instead of leaving the applicant waiting; a
/// new code sent once the relay takes mail again arrives and works.
#[tokio::test]
async fn a_code_that_cannot_be_delivered_is_said_on_the_code_page() {
    let stack = Stack::start().await;
    stack
        .relay
        .script("jane.doe@contoso.com", [test_relay::Behaviour::Reply(550)]);
    stack.at_the_company_page().await;
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
