//! A direct partner's customers in the browser: its admin invites two
//! customers in English (one emailed by the product); the first accepts on
//! the partner's own page in Chinese after proving the address from the
//! test inbox; the second names another partner's CSP tenant, is refused
//! with the reason, and is accepted with that partner's corporate tenant;
//! the partner sees both customers. Then admin relationships: the admin
//! asks a customer for admin roles, is refused auto-extend with Global
//! Administrator, saves the rest as a template and sends it (the template
//! fills the form again, and is deleted); the customer's admin approves
//! from the emailed link with a code emailed to them; the partner sees it
//! active until its end, turns auto-extend off and terminates it, which
//! the customer's page then says. axe-core on each new page and state in
//! both languages.

use e2e::Stack;
use enroll_api::clock::{Clock, SystemClock};

/// Invites `company` (admin `email`, language `locale`) on the Customers
/// page: the link shown.
async fn invite(stack: &Stack, company: &str, email: &str, locale: &str) -> String {
    stack.fill("#f-company_name", company).await;
    stack.fill("#f-admin-email", email).await;
    stack.choose("#f-locale", locale).await;
    stack.click("form[data-invite] button[type=submit]").await;
    // This one's: the one made before shows until this one comes.
    stack.wait_for_text("#made-heading", company).await;
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
    stack.signed_in_again(&secret).await;
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

#[tokio::test]
async fn a_direct_partner_asks_for_admin_roles_and_the_customer_approves() {
    let stack = Stack::start().await;
    let answers = stack.direct_partner_answers().await;
    let secret = stack.approved_admin_signed_in_of(&answers).await;
    stack.click("[data-nav=customers]").await;
    stack.wait_for("form[data-invite]").await;
    let link = invite(&stack, "Adatum Corporation", "li.wei@adatum.com", "en-US").await;
    let company = ("Adatum Corporation", "adatum.onmicrosoft.com");
    stack
        .customer_accepted(&link, "li.wei@adatum.com", company)
        .await;

    // The customer in the list (read again), with no admin relationship.
    stack.click("[data-to-account]").await;
    stack.click("[data-nav=customers]").await;
    stack
        .wait_for_text("[data-customer] [data-relationships]", "None active")
        .await;
    stack.choose("#f-customers-filter", "pending").await;
    stack
        .wait_for_text("[data-customers]", "No customer matches")
        .await;
    stack.choose("#f-customers-filter", "none_active").await;
    stack.wait_for("[data-customer]").await;
    stack.shot("relationships-1-customers").await;
    stack
        .accessible_in_both_languages("customers with their admin relationships")
        .await;

    // Its page: nothing asked yet; the request sent empty.
    stack.click("[data-open-customer]").await;
    stack.wait_for("form[data-request]").await;
    stack.wait_for_focus_on_class("csp-heading-l").await;
    assert_eq!(
        stack.text("h1").await.as_deref(),
        Some("Adatum Corporation")
    );
    stack.shot("relationships-2-customer").await;
    stack
        .accessible_in_both_languages("a customer's page")
        .await;
    stack.fill("#f-duration_days", "").await;
    stack.click("form[data-request] button[type=submit]").await;
    stack
        .wait_for_text("#f-duration_days-error", "whole number of days")
        .await;
    stack.fill("#f-duration_days", "730").await;
    stack.click("form[data-request] button[type=submit]").await;
    stack.wait_for("#f-name-error").await;
    stack.wait_for("#roles-error").await;

    // Global Administrator with auto-extend: refused, said at auto-extend.
    stack.fill("#f-name", "Adatum helpdesk").await;
    stack.click("#f-roles-global_administrator").await;
    stack.click("#f-roles-helpdesk_administrator").await;
    stack.click("#f-auto_extend").await;
    stack.click("form[data-request] button[type=submit]").await;
    stack
        .wait_for_text("#auto_extend-error", "Global Administrator")
        .await;
    stack
        .wait_for_text(".csp-error-summary", "Auto-extend is not possible")
        .await;
    stack.shot("relationships-3-refused").await;
    stack
        .accessible_in_both_languages("a request for admin roles, refused")
        .await;

    // Without it: saved as a template, then sent; its link shown once.
    stack.click("#f-roles-global_administrator").await;
    stack.click("[data-save-template]").await;
    stack
        .wait_for_text(
            "[data-template-told]",
            "Saved as the template “Adatum helpdesk”",
        )
        .await;
    stack.wait_for("#f-template option:nth-child(2)").await;
    stack.click("form[data-request] button[type=submit]").await;
    stack.wait_for("[data-made-request]").await;
    stack.wait_for_focus("made-request-heading").await;
    let shown = stack
        .in_app("#f-relationship-link", "return el.value;")
        .await;
    let shown = shown.as_str().expect("the link").to_owned();
    assert!(
        shown.contains("/admin-relationship.html#admin-relationship="),
        "{shown}"
    );
    stack
        .wait_for("[data-history] [data-status=approval_pending]")
        .await;
    let waiting = stack.text("[data-history]").await.unwrap_or_default();
    assert!(waiting.contains("Helpdesk Administrator"), "{waiting}");
    assert!(waiting.contains("Request expires on"), "{waiting}");
    stack.shot("relationships-4-made").await;
    stack
        .accessible_in_both_languages("a request for admin roles, sent")
        .await;
    let storage = stack.browser_storage().await;
    let token = shown.rsplit('.').next().unwrap_or_default();
    assert!(
        !storage.contains(token),
        "the link's token in storage: {storage}"
    );
    // The template fills the form (sent, it was emptied); deleted, asked
    // first, what was done is focused.
    let template = stack
        .in_app("#f-template", "return el.options[1].value;")
        .await;
    let template = template.as_str().expect("the template's id").to_owned();
    stack.choose("#f-template", &template).await;
    stack
        .wait_for("#f-roles-helpdesk_administrator:checked")
        .await;
    stack.wait_for("#f-auto_extend:checked").await;
    stack.click("[data-ask=delete-template]").await;
    stack.click("[data-yes=delete-template]").await;
    stack
        .wait_for_text("[data-template-told]", "is deleted")
        .await;
    stack.wait_for("[data-template-told]:focus").await;
    stack
        .wait_for("form[data-request]:not(:has(#f-template))")
        .await;

    // The customer's admin, from the email: the request; a code emailed
    // to answer with (the link is the partner's too); approved.
    let mail = stack
        .mail_to("relationship_request", Some("li.wei@adatum.com"), 0)
        .await;
    let emailed = mail
        .body
        .split_whitespace()
        .find(|w| w.contains("#admin-relationship="))
        .expect("the link in the email");
    assert_eq!(emailed, shown);
    stack.browser.goto(emailed).await.expect("opens");
    stack.wait_for("[data-send-code]").await;
    let asked = stack
        .text("[data-admin-relationship]")
        .await
        .unwrap_or_default();
    for said in [
        "Contoso Ltd",
        "Adatum helpdesk",
        "adatum.onmicrosoft.com",
        "730 days",
    ] {
        assert!(asked.contains(said), "{said} in {asked}");
    }
    stack
        .wait_for_text("[data-role=helpdesk_administrator]", "reset passwords")
        .await;
    assert!(!stack.is_in_app("[data-role=global_administrator]").await);
    stack.shot("admin-relationship-1-request").await;
    stack
        .accessible_in_both_languages("the customer's admin relationship")
        .await;
    stack.click("[data-send-code]").await;
    stack.wait_for_focus("f-code").await;
    stack
        .wait_for_text("[data-answer]", "li.wei@adatum.com")
        .await;
    stack.click("[data-approve]").await;
    stack.wait_for_text("#f-code-error", "Enter the code").await;
    stack.shot("admin-relationship-2-code").await;
    stack
        .accessible_in_both_languages("the customer's admin relationship, a code asked for")
        .await;
    // Reject asks first; Cancel leaves it as it was.
    stack.click("[data-ask=reject]").await;
    // Focus moves to "Yes, reject" (not at once: wait for it).
    stack.wait_for_focus_on_class("csp-button--warning").await;
    stack.shot("admin-relationship-3-reject-asked").await;
    stack.click(".csp-confirm .csp-link-button").await;
    stack.wait_for("[data-ask=reject]").await;
    let code = stack
        .mail_to("relationship_code", Some("li.wei@adatum.com"), 0)
        .await
        .code();
    stack.fill("#f-code", &code).await;
    stack.click("[data-approve]").await;
    stack.wait_for("[data-relationship-status=active]").await;
    let ends = enroll_api::clock::iso(SystemClock.now() + 730 * 86_400);
    let standing = stack.wait_for_text("[data-standing]", &ends[..4]).await;
    assert!(
        standing.contains("Approved: Contoso Ltd has these roles")
            && standing.contains("180 days more at each end"),
        "{standing}"
    );
    stack.shot("admin-relationship-4-approved").await;
    stack
        .accessible_in_both_languages("the customer's admin relationship, approved")
        .await;

    // The partner, signed in again: active until its end, in the list
    // and on the customer's page; auto-extend (asked for) turned off;
    // terminated.
    stack.signed_in_again(&secret).await;
    stack.click("[data-nav=customers]").await;
    stack
        .wait_for("[data-customer] [data-relationship][data-status=active]")
        .await;
    let listed = stack.text("[data-customer]").await.unwrap_or_default();
    assert!(listed.contains("Ends on"), "{listed}");
    assert!(listed.contains(&ends[..4]), "{listed}");
    stack.choose("#f-customers-filter", "none_active").await;
    stack
        .wait_for_text("[data-customers]", "No customer matches")
        .await;
    stack.choose("#f-customers-filter", "").await;
    stack.click("[data-open-customer]").await;
    stack.wait_for("[data-history] [data-status=active]").await;
    stack.click("[data-auto-extend=false]").await;
    stack
        .wait_for_text(
            "[role=status].csp-notice",
            "Auto-extend is off for “Adatum helpdesk”",
        )
        .await;
    stack
        .wait_for_text("[data-history]", "Auto-extend off")
        .await;
    stack.wait_for("[data-auto-extend=true]").await;
    stack.shot("relationships-5-active").await;
    stack
        .accessible_in_both_languages("a customer's page, an admin relationship active")
        .await;
    stack.click("[data-ask=terminate]").await;
    stack.click("[data-yes=terminate]").await;
    stack
        .wait_for("[data-history] [data-status=terminated]")
        .await;
    stack
        .wait_for_text("[data-history]", "Ended by your company on")
        .await;
    stack.browser.goto(emailed).await.expect("opens");
    stack
        .wait_for_text(
            "[data-relationship-status=terminated]",
            "Contoso Ltd ended it on",
        )
        .await;
    assert!(!stack.is_in_app("[data-answer]").await, "nothing to answer");
    stack.close().await;
}
