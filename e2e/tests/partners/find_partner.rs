//! A customer looking for a partner, on a distributor's page on another
//! origin, in Chinese: the request checked at its fields, the address
//! proven with the code from the inbox, the request's page; the link in
//! the email opens that page again in another browser. The token is
//! nowhere the browser keeps. axe-core on each page, in both languages.

use e2e::Stack;

#[tokio::test]
async fn a_customer_asks_for_a_partner_on_a_partners_page_in_chinese() {
    let mut stack = Stack::start_with_host_page().await;
    stack.published_partner().await;
    stack.open_host_page("/find-partner.html").await;
    stack.wait_for_text("h1", "寻找合作伙伴").await;
    stack.wait_for("#f-needs-country option[value='DE']").await;
    stack.shot("find-partner-1-empty").await;
    stack
        .accessible_in_both_languages("find a partner, empty")
        .await;
    // The customer reads Chinese (the check ends in English).
    stack.click(".csp-language__option[lang=zh-CN]").await;
    stack.wait_for(".csp-app[lang=zh-CN]").await;

    // Sent empty: each answer it needs, in Chinese, in the summary.
    stack.click("form button[type=submit]").await;
    let summary = stack
        .wait_for_text(".csp-error-summary", "请选择你的行业")
        .await;
    for needed in ["请至少选择一个你需要帮助的产品", "请输入你的姓名", "请同意"]
    {
        assert!(summary.contains(needed), "{needed} in {summary}");
    }
    stack.shot("find-partner-2-problems").await;
    stack
        .assert_accessible("find a partner, problems (zh-CN)")
        .await;

    stack.click("#f-needs-products-azure").await;
    stack.choose("#f-needs-industry", "healthcare").await;
    stack.choose("#f-needs-company_size", "50_99").await;
    stack.choose("#f-needs-country", "DE").await;
    stack.fill("#f-needs-city", "Berlin").await;
    stack
        .fill("#f-needs-description", "把我们的病历系统迁移到 Azure。")
        .await;
    stack.fill("#f-contact-name", "李伟").await;
    stack.fill("#f-contact-email", "li.wei@adatum.com").await;
    stack.click("#f-consent_to_share").await;
    stack.click("form button[type=submit]").await;

    // The code, from the inbox.
    stack.wait_for_text("h1", "确认你的电子邮件地址").await;
    stack
        .wait_for_text("form strong.csp-address", "li.wei@adatum.com")
        .await;
    stack.shot("find-partner-3-code").await;
    stack
        .assert_accessible("find a partner, code (zh-CN)")
        .await;
    let code = stack
        .mail_to("request_code", Some("li.wei@adatum.com"), 0)
        .await
        .code();
    stack.fill("#f-code", &code).await;
    stack.click("form button[type=submit]").await;

    // The request's page: with a partner, whose name is not said yet.
    stack.wait_for("[data-request-status=with_partner]").await;
    stack
        .wait_for_text("[data-confirmed]", "你的电子邮件地址已确认")
        .await;
    assert!(!stack.is_in_app("[data-partner]").await);
    stack.shot("find-partner-4-request").await;
    stack
        .accessible_in_both_languages("find a partner, the request")
        .await;
    stack.click(".csp-language__option[lang=zh-CN]").await;
    stack.wait_for(".csp-app[lang=zh-CN]").await;
    let kept = stack.browser_storage().await;
    let link = stack
        .mail_to("request_link", Some("li.wei@adatum.com"), 0)
        .await;
    let url = link
        .body
        .split_whitespace()
        .find(|w| w.contains("#partner-request="))
        .expect("the link to the request")
        .to_owned();
    assert!(
        url.starts_with(&stack.host_url("/find-partner.html#partner-request=")),
        "the link opens the page it was asked on: {url}"
    );
    let token = url.rsplit('.').next().expect("the token");
    assert!(!kept.contains(token), "the token is not kept: {kept}");

    // The link, on another device.
    stack.fresh_browser().await;
    stack.browser.goto(&url).await.expect("opens");
    stack.wait_for("[data-request-status=with_partner]").await;
    stack
        .wait_for_text(".csp-summary", "把我们的病历系统迁移到 Azure。")
        .await;
    stack.close().await;
}

/// The whole request with the keyboard alone, on the page a vendor
/// serves as it is (`/find-partner.html`): Tab, typing, Space, Enter and
/// the arrow keys as WebDriver key events; nothing clicked, no value set
/// by script.
#[tokio::test]
async fn a_customer_asks_for_a_partner_with_the_keyboard_alone() {
    use fantoccini::key::Key;
    let stack = Stack::start().await;
    stack.published_partner().await;
    stack.open_find_partner().await;

    // Sent empty: the summary takes focus, its first link leads to the
    // products, Space chooses one.
    stack.send_empty_and_follow_the_summary().await;
    stack.tab_to("#f-needs-products-azure").await;
    stack.press(Key::Space).await;
    stack
        .choose_by_keys("#f-needs-industry", "healthcare")
        .await;
    stack.choose_by_keys("#f-needs-company_size", "50_99").await;
    stack.choose_by_keys("#f-needs-country", "DE").await;
    stack.type_into("#f-needs-city", "Berlin").await;
    stack
        .type_into("#f-needs-description", "Move our records to Azure.")
        .await;
    stack.type_into("#f-contact-name", "Li Wei").await;
    stack
        .type_into("#f-contact-email", "li.wei@adatum.com")
        .await;
    stack.tab_to("#f-consent_to_share").await;
    stack.press(Key::Space).await;
    stack.tab_to("form button[type=submit]").await;
    stack.press(Key::Enter).await;

    // The code page opens with its heading focused; Enter in the field
    // sends it.
    stack.wait_for("#f-code").await;
    stack
        .wait_for_text("h1", "Confirm your email address")
        .await;
    let code = stack.mail_to("request_code", None, 0).await.code();
    stack.type_into("#f-code", &code).await;
    stack.press(Key::Enter).await;
    stack.wait_for("[data-request-status=with_partner]").await;
    stack.close().await;
}
