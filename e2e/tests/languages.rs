//! The wizard in each language: switching keeps the answers, the step and
//! the errors; dates and addresses written as each language and country
//! write them.

use e2e::Stack;

#[tokio::test]
async fn switching_language_on_the_bank_step_keeps_the_answers_the_step_and_the_error() {
    let stack = Stack::start().await;
    stack.open_and_choose("indirect").await;
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
    stack.open_and_choose("indirect").await;
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
