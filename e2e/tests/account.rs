//! The partner account end to end: an applicant proves the admin address
//! and applies, the operator approves, and the admin signs in with the
//! temporary password from the outbox, chooses a password, sets up an
//! authenticator (the test computes its codes, as the app on a phone
//! would), signs out and back in with a code. Every page passes axe-core
//! in English and in Chinese.

use e2e::{eventually, eventually_within, Stack};
use enroll_api::clock::{Clock, SystemClock};
use enroll_api::mfa;

#[tokio::test]
async fn the_admin_signs_in_chooses_a_password_sets_up_an_authenticator_and_signs_in_with_a_code() {
    let stack = Stack::start().await;
    stack.browser.goto(&stack.url("/")).await.expect("opens");
    stack.start_as("indirect").await;
    stack.answer_mpn_id("1234567").await;
    stack.answer_company_to_tenant().await;
    stack.click(".csp-summary ~ .csp-button").await;
    stack.wait_for_text("h1", "Application sent").await;
    let id = stack.api.store.applications().await.expect("listing")[0]
        .id
        .clone();
    stack.operator(&["review", "start", &id]).await;
    stack.operator(&["review", "approve", &id]).await;

    // From the status page to the account's sign-in, the address filled.
    stack.click(".csp-button--secondary").await;
    stack.wait_for_text("[data-status]", "Approved").await;
    stack.click("[data-open-account]").await;
    stack
        .wait_for_text("h1", "Sign in to your partner account")
        .await;
    let filled = stack.in_app("#f-email", "return el.value;").await;
    assert_eq!(filled, "jane.doe@contoso.com");
    stack.accessible_in_both_languages("sign in").await;

    // A wrong password: said, and nothing else happens.
    stack.fill("#f-password", "not the password").await;
    stack.click("button[type=submit]").await;
    stack
        .wait_for_text(
            "[role=alert]",
            "The email address or the password is not right",
        )
        .await;
    stack.shot("account-1-sign-in-wrong").await;
    stack
        .accessible_in_both_languages("sign in, wrong password")
        .await;

    let temporary = stack.temporary_password("jane.doe@contoso.com").await;
    stack.fill("#f-password", &temporary).await;
    stack.click("button[type=submit]").await;
    stack.wait_for_text("h1", "Choose your own password").await;
    // A common password is refused with the reason.
    stack.fill("#f-current_password", &temporary).await;
    stack.fill("#f-new_password", "Password2026!").await;
    stack.click("button[type=submit]").await;
    stack
        .wait_for_text(".csp-error-summary", "one of the most common")
        .await;
    stack.shot("account-2-password-common").await;
    stack
        .accessible_in_both_languages("choose a password, refused")
        .await;
    stack.fill("#f-new_password", "violet quarry tandem").await;
    stack.click("button[type=submit]").await;

    // The authenticator: a QR code and the key as text.
    stack
        .wait_for_text("h1", "Protect your account with an authenticator app")
        .await;
    stack.wait_for(".csp-qr svg").await;
    let secret = stack.text("[data-secret]").await.unwrap_or_default();
    let secret = mfa::Secret::from_base32(&secret).expect("the key shown is base32");
    stack.shot("account-3-authenticator").await;
    stack
        .accessible_in_both_languages("set up the authenticator")
        .await;
    let code = mfa::code_at(&secret, SystemClock.now());
    stack.fill("#f-code", &code).await;
    stack.click("button[type=submit]").await;

    // The recovery codes, once.
    stack.wait_for_text("h1", "Keep your recovery codes").await;
    let codes = stack
        .in_app(
            "[data-recovery-codes]",
            "return el.querySelectorAll('li').length;",
        )
        .await;
    assert_eq!(codes, 10);
    stack.accessible_in_both_languages("recovery codes").await;
    stack.click(".csp-button").await;

    // The account, as its global admin sees it.
    stack.wait_for_text("h1", "Contoso Ltd").await;
    stack.wait_for_text("[data-roles]", "Global admin").await;
    stack.shot("account-4-home").await;
    stack.accessible_in_both_languages("the account").await;

    // No password or code is kept by the browser (storage, cookies, the
    // address).
    let kept = stack.browser_storage().await;
    for secret in [temporary.as_str(), "violet quarry tandem", &code] {
        assert!(!kept.contains(secret), "{secret} kept: {kept}");
    }

    // Sign out, and back in: now with a code from the app (a wrong one is
    // refused first; a code used once is refused in the API's tests, where
    // the clock is the test's).
    stack.click("[data-sign-out]").await;
    stack
        .wait_for_text("[role=status]", "You are signed out")
        .await;
    stack.fill("#f-email", "jane.doe@contoso.com").await;
    stack.fill("#f-password", "violet quarry tandem").await;
    stack.click("button[type=submit]").await;
    stack
        .wait_for_text("h1", "Enter the code from your authenticator app")
        .await;
    stack
        .accessible_in_both_languages("the code at sign-in")
        .await;
    let wrong: String = code
        .chars()
        .map(|d| {
            if d == '9' {
                '0'
            } else {
                char::from(d as u8 + 1)
            }
        })
        .collect();
    stack.fill("#f-code", &wrong).await;
    stack.click("button[type=submit]").await;
    stack
        .wait_for_text(".csp-error-summary", "That code is not right")
        .await;
    let next = mfa::code_at(&secret, SystemClock.now() + mfa::STEP_SECS);
    stack.fill("#f-code", &next).await;
    stack.click("button[type=submit]").await;
    stack.wait_for_text("h1", "Contoso Ltd").await;
    stack.close().await;
}

/// A partner's page opens the account's sign-in by `data-start="account"`:
/// the account's messages arrive with its part, and a wrong password is
/// told in the page's language.
#[tokio::test]
async fn a_partner_page_opens_the_sign_in_with_data_start_account() {
    let stack = Stack::start_with_host_page().await;
    stack.open_host_page("/").await;
    stack.wait_for_text("h1", "Apply to join").await;
    stack
        .browser
        .execute(
            "const host = document.querySelector('csp-enroll');
             host.setAttribute('data-locale', 'zh-CN');
             host.setAttribute('data-start', 'account');
             return true;",
            vec![],
        )
        .await
        .expect("set");
    stack.wait_for_text("h1", "登录你的合作伙伴账户").await;
    stack.fill("#f-email", "nobody@contoso.com").await;
    stack.fill("#f-password", "not a password").await;
    stack.click("button[type=submit]").await;
    stack
        .wait_for_text("[role=alert]", "电子邮件地址或密码不正确")
        .await;
    stack
        .assert_accessible("the sign-in in the partner's page (zh-CN)")
        .await;
    // Nothing of it reached the page's storage or its address.
    let kept = stack.browser_storage().await;
    assert!(!kept.contains("not a password"), "{kept}");
    stack.close().await;
}

/// On the users page: fills in the form to add a user (`email`, first and
/// last name, one role) and sends it.
async fn add_user(stack: &Stack, email: &str, (first, last): (&str, &str), role: &str) {
    stack.fill("#f-email", email).await;
    stack.fill("#f-first_name", first).await;
    stack.fill("#f-last_name", last).await;
    stack.click(&format!("#roles-{role}")).await;
    stack.click(".csp-add-user button[type=submit]").await;
}

/// Waits (10 s at most) until the users page no longer lists `email`.
async fn wait_until_removed(stack: &Stack, email: &str) {
    let row = format!("[data-user='{email}']");
    let patience = std::time::Duration::from_secs(10);
    eventually_within(patience, "the user was removed", async || {
        let listed = stack.is_in_app(&row).await;
        if listed {
            Err("still listed")
        } else {
            Ok(())
        }
    })
    .await;
}

/// The global admin adds a sales agent and edits the organization profile;
/// the agent signs in with their own temporary password and sees only what
/// a sales agent may; the profile is as saved after signing in again.
#[tokio::test]
async fn the_admin_adds_a_sales_agent_who_sees_only_what_the_role_allows() {
    let stack = Stack::start().await;
    let (id, token) = stack.submitted_application().await;
    stack.operator(&["review", "start", &id]).await;
    stack.operator(&["review", "approve", &id]).await;
    stack
        .browser
        .goto(&stack.url(&format!("/#resume={id}.{token}")))
        .await
        .expect("opens");
    stack.wait_for_text("[data-status]", "Approved").await;
    stack.click("[data-open-account]").await;
    stack.wait_for("#f-password").await;
    let temporary = stack.temporary_password("jane.doe@contoso.com").await;
    let secret = stack
        .sign_in_first_time("jane.doe@contoso.com", &temporary, "violet quarry tandem")
        .await;

    // Users: the admin adds Sam as a sales agent.
    stack.click("[data-nav=users]").await;
    stack.wait_for_text("h1", "Users and roles").await;
    stack.wait_for("[data-user='jane.doe@contoso.com']").await;
    stack.accessible_in_both_languages("users and roles").await;
    add_user(&stack, "sam.lee@contoso.com", ("Sam", "Lee"), "sales_agent").await;
    stack
        .wait_for_text(
            "[role=status]",
            "We emailed a temporary password to sam.lee@contoso.com",
        )
        .await;
    stack
        .wait_for_text(
            "[data-user='sam.lee@contoso.com'] [data-user-roles]",
            "Sales agent",
        )
        .await;
    stack.shot("account-5-users").await;
    stack.accessible_in_both_languages("users, one added").await;

    // Another, whose invitation the mail relay refuses: the list says so
    // when the admin comes back to it; invited again, then removed after
    // the question.
    stack
        .relay
        .script("temp@contoso.com", [test_relay::Behaviour::Reply(550)]);
    add_user(
        &stack,
        "temp@contoso.com",
        ("Tem", "Porary"),
        "helpdesk_agent",
    )
    .await;
    stack
        .wait_for("[data-user='temp@contoso.com'] [data-resend]")
        .await;
    // The users page is opened again until it says so.
    eventually(
        "the users page says the invitation was not delivered",
        async || {
            stack.click("[data-to-account]").await;
            stack.click("[data-nav=users]").await;
            stack.wait_for("[data-user='temp@contoso.com']").await;
            let said = stack
                .text("[data-user='temp@contoso.com'] [data-undelivered]")
                .await;
            match said {
                Some(s) if s.contains("The invitation email could not be delivered") => Ok(()),
                other => Err(other),
            }
        },
    )
    .await;
    stack.shot("account-5-users-undelivered").await;
    stack
        .accessible_in_both_languages("users, an invitation undelivered")
        .await;
    stack
        .click("[data-user='temp@contoso.com'] [data-resend]")
        .await;
    stack
        .wait_for_text(
            "[role=status]",
            "We emailed a new temporary password to temp@contoso.com",
        )
        .await;
    stack
        .click("[data-user='temp@contoso.com'] [data-remove]")
        .await;
    stack
        .wait_for_text(
            "[data-user='temp@contoso.com'] .csp-confirm",
            "Remove Tem Porary from the account?",
        )
        .await;
    stack
        .accessible_in_both_languages("the question before removing")
        .await;
    assert!(
        stack.focused().await.contains("csp-button--warning"),
        "focus on the answer: {}",
        stack.focused().await
    );
    stack.click("[data-remove-yes]").await;
    wait_until_removed(&stack, "temp@contoso.com").await;
    // The global admin's own row offers nothing to do to themselves.
    let own = stack
        .in_app(
            "[data-user='jane.doe@contoso.com'] [data-remove]",
            "return !!el;",
        )
        .await;
    assert_eq!(own, false);

    // Users only in the account's domains: fabrikam.com is proven with the
    // code emailed to an address there, then Kim of Fabrikam is added.
    add_user(&stack, "kim@fabrikam.com", ("Kim", "Ito"), "sales_agent").await;
    stack
        .wait_for_text("#f-email-error", "in one of the account's domains")
        .await;
    stack.click("[data-to-account]").await;
    stack.click("[data-nav=domains]").await;
    stack.wait_for_text("h1", "Your company's domains").await;
    stack
        .wait_for_text("[data-domains] li", "contoso.com")
        .await;
    stack.accessible_in_both_languages("domains").await;
    // A mistyped address: the code went elsewhere; send it again to the
    // right one.
    stack.fill("#f-domain", "fabrikam.com").await;
    stack.fill("#f-email", "ti@fabrikam.com").await;
    stack.click(".csp-prove-domain button[type=submit]").await;
    stack
        .wait_for_text("[role=status]", "We emailed a code to ti@fabrikam.com")
        .await;
    stack.click("[data-another-address]").await;
    stack.fill("#f-domain", "fabrikam.com").await;
    stack.fill("#f-email", "it@fabrikam.com").await;
    stack.click(".csp-prove-domain button[type=submit]").await;
    stack
        .wait_for_text("[role=status]", "We emailed a code to it@fabrikam.com")
        .await;
    let code = stack
        .mail_to("domain_code", Some("it@fabrikam.com"), 0)
        .await
        .code();
    stack.fill("#f-code", &code).await;
    stack.click(".csp-prove-domain button[type=submit]").await;
    stack
        .wait_for_text("[role=status]", "fabrikam.com is proven")
        .await;
    stack
        .wait_for_text("[data-domains] li:nth-child(2)", "fabrikam.com")
        .await;
    stack.shot("account-6-domains").await;
    stack
        .accessible_in_both_languages("domains, one proven")
        .await;
    stack.click("[data-to-account]").await;
    stack.click("[data-nav=users]").await;
    // The list has loaded (the page sends one request at a time, and drops
    // a press made while the list is still on its way).
    stack.wait_for("[data-user='jane.doe@contoso.com']").await;
    add_user(&stack, "kim@fabrikam.com", ("Kim", "Ito"), "sales_agent").await;
    stack
        .wait_for_text(
            "[role=status]",
            "We emailed a temporary password to kim@fabrikam.com",
        )
        .await;

    // The profile: a support contact added.
    stack.click("[data-to-account]").await;
    stack.click("[data-nav=profile]").await;
    stack.wait_for("[data-profile]").await;
    stack.click("[data-edit-profile]").await;
    stack.wait_for("#f-support_contact-email").await;
    stack
        .accessible_in_both_languages("editing the organization profile")
        .await;
    stack.fill("#f-support_contact-first_name", "Help").await;
    stack.fill("#f-support_contact-last_name", "Desk").await;
    stack
        .fill("#f-support_contact-email", "support@contoso.com")
        .await;
    stack.click("button[type=submit]").await;
    stack
        .wait_for_text("[data-profile]", "support@contoso.com")
        .await;
    stack.shot("account-6-profile").await;
    stack
        .accessible_in_both_languages("the organization profile")
        .await;
    stack.click("[data-to-account]").await;
    stack.click("[data-sign-out]").await;

    // Sam signs in with the password emailed to them: a sales agent sees
    // the profile (not to edit) and the provider requests, not the users.
    stack.wait_for("#f-password").await;
    let sams = stack.temporary_password("sam.lee@contoso.com").await;
    assert_ne!(sams, temporary);
    // A sales agent sets up an authenticator too, as every user does.
    stack
        .sign_in_first_time("sam.lee@contoso.com", &sams, "amber canyon lantern")
        .await;
    stack.wait_for_text("[data-roles]", "Sales agent").await;
    assert_eq!(
        stack.in_app("[data-nav=users]", "return !!el;").await,
        false
    );
    stack.wait_for("[data-nav=providers]").await;
    stack
        .accessible_in_both_languages("a sales agent's account")
        .await;
    stack.click("[data-nav=profile]").await;
    stack
        .wait_for_text("[data-profile]", "support@contoso.com")
        .await;
    assert_eq!(
        stack.in_app("[data-edit-profile]", "return !!el;").await,
        false
    );
    stack.click("[data-to-account]").await;
    stack.click("[data-nav=providers]").await;
    stack.wait_for("[data-provider-requests]").await;
    stack
        .accessible_in_both_languages("provider requests")
        .await;
    stack.click("[data-to-account]").await;
    stack.click("[data-sign-out]").await;

    // The admin again, with a code: the profile as saved.
    stack.wait_for("#f-password").await;
    stack.fill("#f-email", "jane.doe@contoso.com").await;
    stack.fill("#f-password", "violet quarry tandem").await;
    stack.click("button[type=submit]").await;
    stack.wait_for("#f-code").await;
    let next = mfa::code_at(&secret, SystemClock.now() + mfa::STEP_SECS);
    stack.fill("#f-code", &next).await;
    stack.click("button[type=submit]").await;
    stack.click("[data-nav=profile]").await;
    stack.wait_for_text("[data-profile]", "Help Desk").await;
    stack.close().await;
}

/// On a partner's page (another origin), the admin signs in, adds a user
/// and removes them, and signs out: every method the contract uses passes
/// the browser's CORS check (DELETE and PATCH too, not only GET, POST and
/// PUT), and the server has ended the session.
#[tokio::test]
async fn on_a_partners_page_the_admin_removes_a_user_and_signs_out() {
    let stack = Stack::start_with_host_page().await;
    let (id, _) = stack.submitted_application().await;
    stack.operator(&["review", "start", &id]).await;
    stack.operator(&["review", "approve", &id]).await;
    stack.open_host_page("/").await;
    stack.wait_for_text("h1", "Apply to join").await;
    stack
        .browser
        .execute(
            "document.querySelector('csp-enroll').setAttribute('data-start', 'account'); return true;",
            vec![],
        )
        .await
        .expect("set");
    stack.wait_for("#f-password").await;
    let temporary = stack.temporary_password("jane.doe@contoso.com").await;
    stack
        .sign_in_first_time("jane.doe@contoso.com", &temporary, "violet quarry tandem")
        .await;

    stack.click("[data-nav=users]").await;
    stack.wait_for("[data-user='jane.doe@contoso.com']").await;
    add_user(&stack, "sam.lee@contoso.com", ("Sam", "Lee"), "sales_agent").await;
    stack
        .wait_for("[data-user='sam.lee@contoso.com'] [data-remove]")
        .await;
    stack
        .click("[data-user='sam.lee@contoso.com'] [data-remove]")
        .await;
    stack.click("[data-remove-yes]").await;
    wait_until_removed(&stack, "sam.lee@contoso.com").await;
    let gone = stack
        .api
        .store
        .user_by_email("sam.lee@contoso.com")
        .await
        .expect("the store answers");
    assert!(gone.is_none(), "removed on the server");

    stack.click("[data-to-account]").await;
    stack.click("[data-sign-out]").await;
    stack
        .wait_for_text("[role=status]", "You are signed out")
        .await;
    // The server ended it: no live session of Jane's is left to end.
    let left = stack
        .api
        .store
        .revoke_sessions("jane.doe@contoso.com")
        .await
        .expect("the store answers");
    assert_eq!(left, Some(0));
    stack.close().await;
}
