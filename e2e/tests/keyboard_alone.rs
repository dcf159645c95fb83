//! A whole application with the keyboard alone, in the partner's page
//! (`examples/host/`): in English, and in Chinese after switching the
//! language by keyboard.

use e2e::Stack;

/// Waits for the page whose first field is `field`, and has axe-core look
/// at it: every question, in both languages, inside the partner's page.
async fn checked_page(stack: &Stack, field: &str, page: &str) {
    stack.wait_for(field).await;
    stack.assert_accessible(page).await;
}

/// The whole application with the keyboard alone, in the partner's page:
/// Tab, typing, Space, Enter and the arrow keys, as WebDriver key events.
/// Nothing clicked, no value set by script; focus read from the shadow
/// root. In Chinese, the language is switched with the keyboard first.
async fn apply_by_keyboard(chinese: bool) {
    use fantoccini::key::Key;
    let stack = Stack::start_with_host_page().await;
    stack.open_host_page("/").await;
    stack.wait_for(".csp-button--start").await;
    if chinese {
        stack.tab_to(".csp-language__option[lang=zh-CN]").await;
        stack.press(Key::Enter).await;
        stack.wait_for_text(".csp-button--start", "开始").await;
    }
    stack.tab_to(".csp-button--start").await;
    stack.press(Key::Enter).await;

    // Continue with nothing chosen: the summary takes focus, its link
    // leads to the question, Space chooses.
    stack.send_empty_and_follow_the_summary().await;
    stack.tab_to("#f-model-indirect").await;
    stack.press(Key::Space).await;
    stack.tab_to("button[type=submit]").await;
    stack.press(Key::Enter).await;

    checked_page(&stack, "#f-mpn_id", "the MPN ID question, by keyboard").await;
    stack.type_into("#f-mpn_id", "1234567").await;
    stack.press(Key::Enter).await; // Enter in a field sends its form

    checked_page(
        &stack,
        "#f-company-legal_name",
        "the company question, by keyboard",
    )
    .await;
    stack
        .type_into("#f-company-legal_name", "Contoso Ltd")
        .await;
    stack.choose_by_keys("#f-address-country", "DE").await;
    stack
        .type_into("#f-address-lines-0", "Unter den Linden 1")
        .await;
    stack.type_into("#f-address-locality", "Berlin").await;
    stack.type_into("#f-address-postal_code", "10117").await;
    stack.press(Key::Enter).await;

    checked_page(&stack, "#f-bank-country", "the bank question, by keyboard").await;
    stack.choose_by_keys("#f-bank-country", "DE").await;
    stack
        .type_into("#f-bank-account_holder", "Contoso Ltd")
        .await;
    stack
        .type_into("#f-bank-iban", "DE89 3704 0044 0532 0130 00")
        .await;
    stack.type_into("#f-bank-bic", "COBADEFF").await;
    stack.press(Key::Enter).await;

    checked_page(
        &stack,
        "#f-admin-first_name",
        "the admin question, by keyboard",
    )
    .await;
    stack.type_into("#f-admin-first_name", "Jane").await;
    stack.type_into("#f-admin-last_name", "Doe").await;
    stack
        .type_into("#f-admin-email", "jane.doe@contoso.com")
        .await;
    stack.press(Key::Enter).await;

    // The code emailed to the admin, typed in by keys.
    checked_page(&stack, "#f-code", "the code page, by keyboard").await;
    let code = stack.admin_code(0).await;
    stack.type_into("#f-code", &code).await;
    stack.press(Key::Enter).await;

    checked_page(
        &stack,
        "#f-tenant-csp_domain",
        "the tenant question, by keyboard",
    )
    .await;
    stack
        .type_into("#f-tenant-csp_domain", "contoso.onmicrosoft.com")
        .await;
    stack
        .tab_to("#f-attestations-no_resale_to_csp_partners")
        .await;
    stack.press(Key::Space).await;
    stack.tab_to("#f-attestations-terms_accepted").await;
    stack.press(Key::Space).await;
    stack.tab_to("button[type=submit]").await;
    stack.press(Key::Enter).await;

    stack.wait_for(".csp-summary").await;
    // Germany: the postal code before the city, on the line after the street.
    let country = if chinese { "德国" } else { "Germany" };
    stack
        .wait_for_text(
            ".csp-summary",
            &format!("Unter den Linden 1\n10117 Berlin\n{country}"),
        )
        .await;
    stack
        .assert_accessible("check your answers, by keyboard")
        .await;
    stack.tab_to(".csp-summary ~ .csp-button").await;
    stack.press(Key::Enter).await;
    stack.wait_for("[data-confirmation=submitted]").await;
    stack
        .assert_accessible("the confirmation, by keyboard")
        .await;
    let stored = stack.api.store.applications().await.expect("applications");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].status, enroll_core::ApplicationStatus::Submitted);
    assert_eq!(stored[0].answers.company.legal_name, "Contoso Ltd");
    assert_eq!(stored[0].answers.address.postal_code, "10117");
    stack.close().await;
}

#[tokio::test]
async fn an_application_by_keyboard_alone_in_english() {
    apply_by_keyboard(false).await;
}

#[tokio::test]
async fn an_application_by_keyboard_alone_in_chinese() {
    apply_by_keyboard(true).await;
}
