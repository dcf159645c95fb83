//! Screenshots of every page an applicant meets, for looking at (not for
//! asserting): at 1280 px in English and at 320 px in Chinese, with the
//! error states, Check your answers, the confirmation, the status page and
//! the finder; and the pages a customer opens with no account (the
//! find-a-partner page, a partner's invitation, a partner's request for
//! admin roles, with the partner's side of it between) at both widths in
//! both languages.
//!
//! `cargo xtask bench size` (or any build of dist/), then
//! `cargo run -p e2e --example screenshots -- /tmp/shots`.

use e2e::Stack;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: screenshots <directory for the PNGs>");
    std::fs::create_dir_all(&dir).expect("the directory");
    std::env::set_var("CSP_SCREENSHOTS", &dir);
    for (width, locale) in [(1280, "en-US"), (320, "zh-CN")] {
        walk(width, locale).await;
    }
    for width in [1280, 320] {
        for locale in ["en-US", "zh-CN"] {
            find_partner(width, locale).await;
            customer_pages(width, locale).await;
        }
    }
    println!("screenshots in {dir}");
}

/// The wizard from the start page to the status page, pressing Continue
/// once with each page empty to show its errors.
async fn walk(width: u32, locale: &str) {
    let stack = Stack::start_with_width(width).await;
    let shot = |name: &str| format!("{width}-{locale}-{name}");
    stack.browser.goto(&stack.url("/")).await.expect("opens");
    stack.wait_for(".csp-button--start").await;
    stack
        .click(&format!(".csp-language__option[lang={locale}]"))
        .await;
    stack.shot(&shot("01-start")).await;

    let pages: [(&str, &[(&str, &str)]); 7] = [
        ("02-model", &[("#f-model-indirect", "")]),
        ("03-mpn", &[("#f-mpn_id", "1234567")]),
        (
            "04-company",
            &[
                ("#f-company-legal_name", "Contoso Ltd"),
                ("#f-address-country", "DE"),
                ("#f-address-lines-0", "Unter den Linden 1"),
                ("#f-address-locality", "Berlin"),
                ("#f-address-postal_code", "10117"),
            ],
        ),
        (
            "05-bank",
            &[
                ("#f-bank-country", "DE"),
                ("#f-bank-account_holder", "Contoso Ltd"),
                ("#f-bank-iban", "DE89370400440532013000"),
                ("#f-bank-bic", "COBADEFF"),
            ],
        ),
        (
            "06-admin",
            &[
                ("#f-admin-first_name", "Jane"),
                ("#f-admin-last_name", "Doe"),
                ("#f-admin-email", "jane.doe@contoso.com"),
            ],
        ),
        ("06-code", &[("#f-code", "{code}")]),
        (
            "07-tenant",
            &[
                ("#f-tenant-csp_domain", "contoso.onmicrosoft.com"),
                ("#f-attestations-no_resale_to_csp_partners", ""),
                ("#f-attestations-terms_accepted", ""),
            ],
        ),
    ];
    // The first code's email is refused by the relay: the code page says
    // so; a new code is asked for and arrives.
    stack
        .relay
        .script("jane.doe@contoso.com", [test_relay::Behaviour::Reply(550)]);
    stack.click(".csp-button--start").await;
    for (name, answers) in pages {
        let heading = heading_changed(&stack, "").await;
        if name == "06-code" {
            stack.wait_for(".csp-error-message").await;
            stack.shot(&shot("06-code-undelivered")).await;
            // Before the proof, the resume link is only to copy.
            stack.click(".csp-later .csp-link-button").await;
            stack.wait_for("[data-resume-unproven]").await;
            stack.shot(&shot("06-code-later")).await;
            stack.click(".csp-later .csp-link-button").await;
            stack.click(".csp-actions li:first-child button").await;
            stack.admin_code(0).await;
        }
        stack.shot(&shot(name)).await;
        stack.click("button[type=submit]").await;
        stack.wait_for(".csp-error-summary").await;
        stack.shot(&shot(&format!("{name}-errors"))).await;
        for &(selector, value) in answers {
            if value == "{code}" {
                let code = stack.admin_code(0).await;
                stack.fill(selector, &code).await;
            } else if value.is_empty() {
                stack.click(selector).await;
            } else if selector.ends_with("country") {
                stack.choose(selector, value).await;
                stack.wait_for("#f-address-postal_code, #f-bank-iban").await;
            } else {
                stack.fill(selector, value).await;
            }
        }
        stack.click("button[type=submit]").await;
        heading_changed(&stack, &heading).await;
    }
    let check = heading_changed(&stack, "").await;
    stack.shot(&shot("08-check")).await;
    stack.click(".csp-summary ~ .csp-button").await;
    heading_changed(&stack, &check).await;
    stack.shot(&shot("09-confirmation")).await;

    let id = stack.api.store.applications().await.expect("listing")[0]
        .id
        .clone();
    stack.operator(&["review", "start", &id]).await;
    stack.operator(&["review", "approve", &id]).await;
    stack.click(".csp-button--secondary").await;
    stack.wait_for("[data-status]").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    stack.shot(&shot("10-status")).await;
    account_pages(&stack, &shot).await;
    stack.click("[data-open-finder]").await;
    stack.wait_for("#finder-count[data-total]").await;
    stack.shot(&shot("11-finder")).await;
    stack.fill("#finder-q", "zzzz").await;
    stack.wait_for("#finder-count[data-total='0']").await;
    stack.shot(&shot("12-finder-none")).await;
    stack.close().await;
}

/// Waits until the page's heading is something other than `before` (the
/// next page has come), and returns it.
async fn heading_changed(stack: &Stack, before: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let now = stack.in_app("h1", "return el ? el.textContent : '';").await;
        let now = now.as_str().unwrap_or_default().to_owned();
        if now != before && !now.is_empty() {
            // Let the page settle (fonts, the address format).
            tokio::time::sleep(Duration::from_millis(400)).await;
            return now;
        }
        assert!(Instant::now() < deadline, "the page never left {before:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The partner account's pages, from the status page's "Sign in" to the
/// account, and back.
async fn account_pages(stack: &Stack, shot: &dyn Fn(&str) -> String) {
    use enroll_api::clock::{Clock, SystemClock};
    stack.click("[data-open-account]").await;
    stack.wait_for("#f-password").await;
    stack.shot(&shot("20-sign-in")).await;
    let temporary = stack.temporary_password("jane.doe@contoso.com").await;
    stack.fill("#f-password", &temporary).await;
    stack.click("button[type=submit]").await;
    stack.wait_for("#f-new_password").await;
    stack.click("button[type=submit]").await;
    stack.wait_for(".csp-error-summary").await;
    stack.shot(&shot("21-password-errors")).await;
    stack.fill("#f-current_password", &temporary).await;
    stack.fill("#f-new_password", "Contoso Ltd. 2026").await;
    stack.click("button[type=submit]").await;
    stack.wait_for(".csp-error-summary").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    stack.shot(&shot("21-password-weak")).await;
    stack.fill("#f-current_password", &temporary).await;
    stack.fill("#f-new_password", "violet quarry tandem").await;
    stack.click("button[type=submit]").await;
    stack.wait_for(".csp-qr svg").await;
    stack.shot(&shot("22-authenticator")).await;
    let secret = stack.text("[data-secret]").await.unwrap_or_default();
    let secret = enroll_api::mfa::Secret::from_base32(&secret).expect("base32");
    let code = enroll_api::mfa::code_at(&secret, SystemClock.now());
    stack.fill("#f-code", &code).await;
    stack.click("button[type=submit]").await;
    stack.wait_for("[data-recovery-codes]").await;
    stack.shot(&shot("23-recovery-codes")).await;
    stack.click(".csp-button").await;
    stack.wait_for("[data-roles]").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    stack.shot(&shot("24-account")).await;
    open_section(stack, "users", "[data-users] [data-user]").await;
    stack.click(".csp-add-user button[type=submit]").await;
    stack.wait_for(".csp-error-summary").await;
    stack.shot(&shot("26-users-errors")).await;
    let outside = [
        ("#f-email", "kim@fabrikam.com"),
        ("#f-first_name", "Kim"),
        ("#f-last_name", "Ito"),
    ];
    fill_in(stack, &outside).await;
    stack.click("#roles-sales_agent").await;
    stack.click(".csp-add-user button[type=submit]").await;
    stack.wait_for("#f-email-error").await;
    stack.shot(&shot("26-users-outside-domains")).await;
    stack.click("[data-to-account]").await;
    open_section(stack, "domains", "[data-domains] li").await;
    stack.shot(&shot("28-domains")).await;
    let domain = [
        ("#f-domain", "fabrikam.com"),
        ("#f-email", "it@fabrikam.com"),
    ];
    fill_in(stack, &domain).await;
    stack.click(".csp-prove-domain button[type=submit]").await;
    stack.wait_for("#f-code").await;
    stack.shot(&shot("28-domains-code")).await;
    stack.click("[data-to-account]").await;
    open_section(stack, "profile", "[data-profile]").await;
    stack.click("[data-edit-profile]").await;
    stack.wait_for("#f-support_contact-email").await;
    stack.fill("#f-support_contact-email", "help@qq.com").await;
    stack.click("button[type=submit]").await;
    stack.wait_for(".csp-error-summary").await;
    stack.shot(&shot("27-profile-errors")).await;
    stack.click("[data-to-account]").await;
    business_profile(stack, shot).await;
    stack.click("[data-to-account]").await;
    referrals(stack, shot).await;
    stack.click("[data-to-account]").await;
    stack.wait_for("[data-sign-out]").await;
    stack.click("[data-sign-out]").await;
    stack.wait_for("#f-password").await;
    stack.fill("#f-password", "violet quarry tandem").await;
    stack.click("button[type=submit]").await;
    stack.wait_for("#f-code").await;
    stack.shot(&shot("25-code-at-sign-in")).await;
    stack.click(".csp-back-link").await;
    stack.wait_for("[data-status]").await;
}

/// The business profile: as it opens, publishing it empty, its form's
/// end with a location, and published.
async fn business_profile(stack: &Stack, shot: &dyn Fn(&str) -> String) {
    open_section(stack, "business-profile", "[data-standing]").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    stack.shot(&shot("29-business-profile")).await;
    stack.click("#f-published").await;
    stack.click("form button[type=submit]").await;
    stack.wait_for(".csp-error-summary").await;
    stack.shot(&shot("29-business-profile-errors")).await;
    stack.click("#f-products-azure").await;
    stack
        .in_app("#f-products-azure", "el.scrollIntoView(); return true;")
        .await;
    stack.shot(&shot("29-business-profile-choices")).await;
    stack.click("[data-add-location]").await;
    stack.fill("#f-locations-0-country", "DE").await;
    stack
        .in_app("#f-published", "el.scrollIntoView(); return true;")
        .await;
    stack.shot(&shot("29-business-profile-end")).await;
}

/// A customer on the find-a-partner page (`/find-partner.html`): empty,
/// sent empty, filled in, the code, the request's page.
async fn find_partner(width: u32, locale: &str) {
    let stack = Stack::start_with_width(width).await;
    stack.published_partner().await;
    let shot = |name: &str| format!("{width}-{locale}-{name}");
    stack.open_find_partner().await;
    stack
        .click(&format!(".csp-language__option[lang={locale}]"))
        .await;
    stack.wait_for(&format!(".csp-app[lang={locale}]")).await;
    stack.shot(&shot("40-find-partner")).await;
    stack.click("form button[type=submit]").await;
    stack.wait_for(".csp-error-summary").await;
    stack.shot(&shot("40-find-partner-errors")).await;
    stack.click("#f-needs-products-azure").await;
    stack.choose("#f-needs-industry", "healthcare").await;
    stack.choose("#f-needs-company_size", "50_99").await;
    stack.choose("#f-needs-country", "DE").await;
    fill_in(
        &stack,
        &[
            ("#f-needs-city", "Berlin"),
            ("#f-needs-description", "Move our patient records to Azure."),
            ("#f-contact-name", "Li Wei"),
            ("#f-contact-email", "li.wei@adatum.com"),
        ],
    )
    .await;
    stack.click("#f-consent_to_share").await;
    stack
        .in_app("#f-needs-description", "el.scrollIntoView(); return true;")
        .await;
    stack.shot(&shot("40-find-partner-filled")).await;
    stack.click("form button[type=submit]").await;
    stack.wait_for("#f-code").await;
    stack.shot(&shot("41-find-partner-code")).await;
    let code = stack.mail_to("request_code", None, 0).await.code();
    stack.fill("#f-code", &code).await;
    stack.click("form button[type=submit]").await;
    stack.wait_for("[data-request-status]").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    stack.shot(&shot("42-find-partner-request")).await;
    stack.close().await;
}

/// A direct partner's customer on the pages it opens with no account,
/// in `locale`: the invitation (opened, the code, the answer sent empty,
/// accepted); the partner's side (the customers with their admin
/// relationships, the customer's page, a request for admin roles sent
/// empty, then sent); the request for admin roles (as it opens, its
/// roles, the code asked for, Reject asked, approved).
async fn customer_pages(width: u32, locale: &str) {
    let stack = Stack::start_with_width(width).await;
    let shot = |name: &str| format!("{width}-{locale}-{name}");
    let answers = stack.direct_partner_answers().await;
    let secret = stack.approved_admin_signed_in_of(&answers).await;
    open_section(&stack, "customers", "form[data-invite]").await;
    let company = [
        ("#f-company_name", "Adatum Corporation"),
        ("#f-admin-email", "li.wei@adatum.com"),
    ];
    fill_in(&stack, &company).await;
    stack.choose("#f-locale", locale).await;
    stack.click("form[data-invite] button[type=submit]").await;
    stack.wait_for("[data-made]").await;
    let link = stack.in_app("#f-invitation-link", "return el.value;").await;
    let link = link.as_str().expect("the invitation's link").to_owned();

    // The invitation, in the language the partner chose for it.
    stack.browser.goto(&link).await.expect("opens");
    stack.wait_for("[data-meaning]").await;
    stack.wait_for(&format!(".csp-app[lang={locale}]")).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    stack.shot(&shot("50-invitation")).await;
    stack.click("form button[type=submit]").await;
    stack.wait_for("#f-code").await;
    stack.shot(&shot("51-invitation-code")).await;
    let code = stack.mail_to("customer_code", None, 0).await.code();
    stack.fill("#f-code", &code).await;
    stack.click("form button[type=submit]").await;
    stack.wait_for("[data-proven]").await;
    stack.shot(&shot("52-invitation-answer")).await;
    stack.click("[data-accept]").await;
    stack.wait_for(".csp-error-summary").await;
    stack.shot(&shot("52-invitation-answer-errors")).await;
    stack.choose("#f-country", "DE").await;
    stack
        .fill("#f-tenant_domain", "adatum.onmicrosoft.com")
        .await;
    stack.click("[data-accept]").await;
    stack.wait_for("[data-invitation-status=accepted]").await;
    stack.shot(&shot("53-invitation-accepted")).await;

    // The partner asks the customer for admin roles.
    stack.signed_in_again(&secret).await;
    stack
        .click(&format!(".csp-language__option[lang={locale}]"))
        .await;
    open_section(&stack, "customers", "[data-open-customer]").await;
    stack
        .in_app("[data-customers]", "el.scrollIntoView(); return true;")
        .await;
    stack.shot(&shot("54-customers")).await;
    stack.click("[data-open-customer]").await;
    stack.wait_for("form[data-request]").await;
    stack.shot(&shot("55-customer")).await;
    stack.click("form[data-request] button[type=submit]").await;
    stack.wait_for(".csp-error-summary").await;
    stack.shot(&shot("55-customer-errors")).await;
    stack.fill("#f-name", "Adatum helpdesk").await;
    stack.click("#f-roles-global_reader").await;
    stack.click("#f-roles-helpdesk_administrator").await;
    stack
        .in_app("#f-roles", "el.scrollIntoView(); return true;")
        .await;
    stack.shot(&shot("55-customer-roles")).await;
    stack.click("form[data-request] button[type=submit]").await;
    stack.wait_for("[data-made-request]").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    stack.shot(&shot("56-request-made")).await;
    stack
        .in_app("[data-history]", "el.scrollIntoView(); return true;")
        .await;
    stack.shot(&shot("56-request-listed")).await;

    // The customer's admin answers, from the email.
    let mail = stack
        .mail_to("relationship_request", Some("li.wei@adatum.com"), 0)
        .await;
    let emailed = mail
        .body
        .split_whitespace()
        .find(|w| w.contains("#admin-relationship="))
        .expect("the link in the email")
        .to_owned();
    stack.browser.goto(&emailed).await.expect("opens");
    stack.wait_for("[data-send-code]").await;
    stack
        .click(&format!(".csp-language__option[lang={locale}]"))
        .await;
    stack.wait_for(&format!(".csp-app[lang={locale}]")).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    stack.shot(&shot("60-admin-relationship")).await;
    stack
        .in_app("[data-roles]", "el.scrollIntoView(); return true;")
        .await;
    stack.shot(&shot("60-admin-relationship-roles")).await;
    stack.click("[data-send-code]").await;
    stack.wait_for("#f-code").await;
    stack.shot(&shot("61-admin-relationship-code")).await;
    stack.click("[data-ask=reject]").await;
    stack.wait_for("[data-yes=reject]").await;
    stack.shot(&shot("61-admin-relationship-reject")).await;
    stack.click(".csp-confirm .csp-link-button").await;
    let code = stack
        .mail_to("relationship_code", Some("li.wei@adatum.com"), 0)
        .await
        .code();
    stack.fill("#f-code", &code).await;
    stack.click("[data-approve]").await;
    stack.wait_for("[data-relationship-status=active]").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    stack.shot(&shot("62-admin-relationship-approved")).await;
    stack
        .in_app("[data-answer]", "el.scrollIntoView(); return true;")
        .await;
    stack.shot(&shot("62-admin-relationship-end")).await;
    stack.close().await;
}

/// The referrals inbox: a customer's request arrives (the profile
/// published); the inbox, the referral, accepting it empty, accepted.
async fn referrals(stack: &Stack, shot: &dyn Fn(&str) -> String) {
    stack.publish_profile().await;
    stack.customer_asked_and_proved().await;
    open_section(stack, "referrals", "[data-referral]").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    stack.shot(&shot("30-referrals")).await;
    stack.click("[data-open-referral]").await;
    stack.wait_for("[data-contact-hidden]").await;
    stack.shot(&shot("30-referral")).await;
    stack.click("form[data-accept] button[type=submit]").await;
    stack.wait_for(".csp-error-summary").await;
    stack.shot(&shot("30-referral-errors")).await;
    fill_in(
        stack,
        &[
            ("#f-deal_name", "Adatum: records to Azure"),
            ("#f-estimated_value", "12500"),
            ("#f-currency", "EUR"),
        ],
    )
    .await;
    stack.click("form[data-accept] button[type=submit]").await;
    stack.wait_for("[data-contact]").await;
    stack.shot(&shot("30-referral-accepted")).await;
}

/// Types each value into its field.
async fn fill_in(stack: &Stack, fields: &[(&str, &str)]) {
    for (selector, value) in fields {
        stack.fill(selector, value).await;
    }
}

/// Opens the account's page `nav` and waits for `ready` on it.
async fn open_section(stack: &Stack, nav: &str, ready: &str) {
    stack.click(&format!("[data-nav={nav}]")).await;
    stack.wait_for(ready).await;
}
