//! What is typed is kept and saved, or the page says why not: offline, the
//! API unreachable during a save and a submit, an answer over its cap, a
//! change made elsewhere, a later page that could not be downloaded.

use e2e::Stack;
use serde_json::json;

#[tokio::test]
async fn going_offline_loses_nothing_and_saving_resumes_when_back() {
    let stack = Stack::start().await;
    stack.open_and_choose("indirect").await;
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

#[tokio::test]
async fn an_answer_over_its_cap_is_not_saved_and_says_so_at_its_field() {
    let stack = Stack::start().await;
    stack.at_the_company_page().await;

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
    stack.open_and_choose("indirect").await;
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
    stack.at_the_company_page().await;
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
    stack.open_and_choose("indirect").await;

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
