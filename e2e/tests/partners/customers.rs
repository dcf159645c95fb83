//! A direct partner's customers in the browser: its admin invites two
//! customers in English (one emailed by the product); the first accepts on
//! the partner's own page in Chinese after proving the address from the
//! test inbox; the second names another partner's CSP tenant, is refused
//! with the reason, and is accepted with that partner's corporate tenant;
//! the partner sees both customers. axe-core on each new page in both
//! languages.

use e2e::Stack;
use enroll_api::clock::{Clock, SystemClock};
use enroll_api::mfa;

/// Invites `company` (admin `email`, language `locale`) on the Customers
/// page: the link shown.
async fn invite(stack: &Stack, company: &str, email: &str, locale: &str) -> String {
    stack.fill("#f-company_name", company).await;
    stack.fill("#f-admin-email", email).await;
    stack.choose("#f-locale", locale).await;
    stack.click("form[data-invite] button[type=submit]").await;
    stack.wait_for("[data-made]").await;
    let link = stack.in_app("#f-invitation-link", "return el.value;").await;
    let link = link.as_str().expect("the link").to_owned();
    assert!(link.contains("#invitation="), "{link}");
    link
}

/// On the customer's page: proves `email` with the code from the inbox.
async fn prove(stack: &Stack, email: &str) {
    stack.wait_for("#f-admin-email").await;
    stack.fill("#f-admin-email", email).await;
    stack.click("form button[type=submit]").await;
    stack.wait_for("#f-code").await;
    let code = stack.mail_to("customer_code", Some(email), 0).await.code();
    stack.fill("#f-code", &code).await;
    stack.click("form button[type=submit]").await;
    stack.wait_for("[data-proven]").await;
}

/// On the customer's page: names the country and the tenant, and accepts.
async fn accept(stack: &Stack, tenant: &str) {
    stack.choose("#f-country", "DE").await;
    stack.fill("#f-tenant_domain", tenant).await;
    stack.click("[data-accept]").await;
}

#[tokio::test]
async fn a_direct_partner_invites_and_customers_accept_within_the_resale_rule() {
    let stack = Stack::start_with_host_page().await;
    stack.another_approved_partner().await;
    let answers = stack.direct_partner_answers().await;
    let secret = stack.approved_admin_signed_in_of(&answers).await;

    // The Customers page, empty; inviting with nothing typed.
    stack.click("[data-nav=customers]").await;
    stack.wait_for("form[data-invite]").await;
    stack.shot("customers-1-empty").await;
    stack
        .accessible_in_both_languages("customers, none yet")
        .await;
    stack.click("form[data-invite] button[type=submit]").await;
    stack.wait_for(".csp-error-summary").await;
    stack.wait_for("#f-company_name-error").await;

    // Two invitations, the first emailed by the product (once).
    let adatum = invite(&stack, "Adatum Corporation", "li.wei@adatum.com", "zh-CN").await;
    stack.shot("customers-2-made").await;
    stack
        .accessible_in_both_languages("customers, an invitation made")
        .await;
    stack.click("[data-send]").await;
    stack.wait_for("[data-sent]").await;
    let sent = stack
        .mail_to("customer_invitation", Some("li.wei@adatum.com"), 0)
        .await;
    assert!(sent.body.contains(&adatum), "{}", sent.body);
    assert!(
        sent.body.contains("Contoso Ltd 邀请 Adatum Corporation"),
        "{}",
        sent.body
    );
    let zeta = invite(&stack, "Zeta Corporation", "kim@zeta.com", "en-US").await;
    stack.wait_for("[data-invitation][data-status=sent]").await;
    let storage = stack.browser_storage().await;
    let token = adatum.rsplit('.').next().unwrap_or_default();
    assert!(
        !storage.contains(token),
        "the link's token in storage: {storage}"
    );

    // The first customer, on the partner's page in Chinese.
    let fragment = adatum.split_once('#').expect("a fragment").1;
    stack
        .open_host_page(&format!("/invitation.html#{fragment}"))
        .await;
    stack.wait_for(".csp-app[lang=zh-CN]").await;
    stack.wait_for("[data-meaning]").await;
    stack
        .wait_for_text("[data-invitation]", "Contoso Ltd")
        .await;
    stack.shot("invitation-1-open").await;
    stack
        .accessible_in_both_languages("the customer's invitation")
        .await;
    prove(&stack, "li.wei@adatum.com").await;
    stack.shot("invitation-2-proven").await;
    stack
        .accessible_in_both_languages("the invitation, the address proven")
        .await;
    accept(&stack, "adatum.onmicrosoft.com").await;
    stack.wait_for("[data-invitation-status=accepted]").await;
    stack.shot("invitation-3-accepted").await;
    stack
        .accessible_in_both_languages("the invitation, accepted")
        .await;

    // The second, on the API's own page: another partner's CSP tenant is
    // refused with the reason; its corporate tenant may buy.
    stack.browser.goto(&zeta).await.expect("opens");
    prove(&stack, "kim@zeta.com").await;
    accept(&stack, "NorthwindCSP.onmicrosoft.com").await;
    stack
        .wait_for_text(
            ".csp-error-summary",
            "This tenant is used by a CSP partner for CSP transactions",
        )
        .await;
    stack
        .wait_for_text("#f-tenant_domain-error", "Use a separate tenant")
        .await;
    stack.shot("invitation-4-csp-tenant").await;
    stack
        .accessible_in_both_languages("the invitation, a CSP tenant refused")
        .await;
    accept(&stack, "northwind.onmicrosoft.com").await;
    stack.wait_for("[data-invitation-status=accepted]").await;

    // The partner, signed in again, has both customers.
    stack
        .browser
        .goto(&stack.url("/account.html"))
        .await
        .expect("opens");
    stack.fill("#f-email", "jane.doe@contoso.com").await;
    stack.fill("#f-password", "violet quarry tandem").await;
    stack.click("button[type=submit]").await;
    stack.wait_for("#f-code").await;
    // The next step's code (one step either side is taken): the current
    // one may be the very code that set the authenticator up, which is
    // taken once.
    stack
        .fill("#f-code", &mfa::code_at(&secret, SystemClock.now() + 30))
        .await;
    stack.click("button[type=submit]").await;
    stack.wait_for("[data-account]").await;
    stack.click("[data-nav=customers]").await;
    stack
        .wait_for_text("[data-customers]", "northwind.onmicrosoft.com")
        .await;
    let customers = stack.text("[data-customers]").await.unwrap_or_default();
    assert!(customers.contains("adatum.onmicrosoft.com"), "{customers}");
    let accepted = stack
        .in_app(
            "body",
            "return host.shadowRoot.querySelectorAll('[data-invitation][data-status=accepted]').length;",
        )
        .await;
    assert_eq!(accepted.as_u64(), Some(2));
    stack.shot("customers-3-two").await;
    stack
        .accessible_in_both_languages("customers, two accepted")
        .await;
    stack.close().await;
}
