//! The referrals inbox in the browser: a customer's proven request
//! reaches the approved partner; its referrals admin (added by the global
//! admin, signing in for the first time) sees the referral without the
//! customer's contact, accepts it and sees the contact, closes it won;
//! the customer's page, opened from the emailed link, names the partner.
//! axe-core on each state in both languages.

use e2e::Stack;

#[tokio::test]
async fn a_partner_accepts_a_referral_and_the_customer_learns_who() {
    let mut stack = Stack::start().await;
    stack.approved_admin_signed_in().await;
    stack.publish_profile().await;
    // The global admin adds a referrals admin, who signs in.
    stack.click("[data-nav=users]").await;
    stack.fill("#f-email", "rosa.fischer@contoso.com").await;
    stack.fill("#f-first_name", "Rosa").await;
    stack.fill("#f-last_name", "Fischer").await;
    stack.click("#roles-referrals_admin").await;
    stack.click(".csp-add-user button[type=submit]").await;
    stack
        .wait_for("[data-user='rosa.fischer@contoso.com']")
        .await;
    stack.click("[data-to-account]").await;
    stack.click("[data-sign-out]").await;
    stack.wait_for("#f-password").await;
    let temporary = stack.temporary_password("rosa.fischer@contoso.com").await;
    stack
        .sign_in_first_time(
            "rosa.fischer@contoso.com",
            &temporary,
            "harbour maple signal",
        )
        .await;
    stack.wait_for_text("[data-roles]", "Referrals admin").await;
    let link = stack.customer_asked_and_proved().await;

    stack.click("[data-nav=referrals]").await;
    stack
        .wait_for("[data-referral][data-status=received]")
        .await;
    let list = stack.text("[data-referrals]").await.unwrap_or_default();
    assert!(
        list.contains("Azure") && list.contains("Healthcare"),
        "{list}"
    );
    let page = stack
        .in_app("body", "return host.shadowRoot.textContent;")
        .await;
    let page = page.as_str().unwrap_or_default().to_owned();
    for hidden in ["li.wei@adatum.com", "Li Wei", "+49 30 1234567"] {
        assert!(!page.contains(hidden), "{hidden} shown before accepting");
    }
    stack.shot("referrals-1-inbox").await;
    stack
        .accessible_in_both_languages("referrals, the inbox")
        .await;

    // Those waiting for an answer, and the one there opened.
    stack.choose("#f-referrals-filter", "received").await;
    stack
        .wait_for("[data-referral][data-status=received]")
        .await;
    stack.click("[data-open-referral]").await;
    stack.wait_for("[data-contact-hidden]").await;
    stack
        .wait_for_text("[data-needs]", "Move our patient records to Azure.")
        .await;
    stack.shot("referrals-2-received").await;
    stack
        .accessible_in_both_languages("referrals, one received")
        .await;

    // Accepting empty: each field it needs; then the deal.
    stack.click("form[data-accept] button[type=submit]").await;
    stack
        .wait_for_text(".csp-error-summary", "Enter a name for the deal")
        .await;
    stack.fill("#f-deal_name", "Adatum: records to Azure").await;
    stack.fill("#f-estimated_value", "12500").await;
    stack.fill("#f-currency", "eur").await;
    stack.click("form[data-accept] button[type=submit]").await;
    stack
        .wait_for_text("[data-contact]", "li.wei@adatum.com")
        .await;
    stack.wait_for_text("[data-deal]", "12500 EUR").await;
    stack.shot("referrals-3-accepted").await;
    stack
        .accessible_in_both_languages("referrals, accepted")
        .await;

    // Back in the list (still of those waiting): none now; accepted, it
    // is there, and it is closed won.
    stack.click("[data-referrals-back]").await;
    stack.wait_for("p[data-referrals]").await;
    stack.choose("#f-referrals-filter", "accepted").await;
    stack
        .wait_for("[data-referral][data-status=accepted]")
        .await;
    stack.click("[data-open-referral]").await;
    stack.click("[data-won]").await;
    stack.wait_for("[data-closed]").await;
    stack.wait_for("[data-referral-status=won]").await;

    // The customer, from the emailed link, on another device.
    stack.fresh_browser().await;
    stack.browser.goto(&link).await.expect("opens");
    stack.wait_for("[data-request-status=accepted]").await;
    let partner = enroll_core::Answers::example().company.legal_name;
    stack.wait_for_text("[data-partner]", &partner).await;
    stack.close().await;
}
