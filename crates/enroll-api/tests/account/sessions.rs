//! The partner account's sessions: ended after twelve hours idle or
//! seven days, by the operator, and a token that each step replaces.

use crate::common;

use test_postgres::backends;

use common::account::{
    approved, as_user, change_password, fully_set_up, sign_in, token_of, NEW_PASSWORD,
};
use common::api_with_clock;
use reqwest::Method;

#[backends]
async fn sessions_end_after_twelve_hours_idle_or_seven_days_and_on_revocation() {
    let (api, clock) = api_with_clock().await;
    let (token, _, _) = fully_set_up(&api, &clock).await;
    clock.advance(12 * 3600 - 1);
    assert_eq!(
        as_user(&api, &token, Method::GET, "/account", None)
            .await
            .status(),
        200
    );
    clock.advance(12 * 3600);
    let idle = as_user(&api, &token, Method::GET, "/account", None).await;
    assert_eq!(idle.refusal(), (401, "session_expired"));

    // Busy every 11 hours, it still ends 7 days after signing in.
    let (api, clock) = api_with_clock().await;
    let (token, _, _) = fully_set_up(&api, &clock).await;
    let mut waited = 0;
    while waited + 11 * 3600 < 7 * 24 * 3600 {
        clock.advance(11 * 3600);
        waited += 11 * 3600;
        assert_eq!(
            as_user(&api, &token, Method::GET, "/account", None)
                .await
                .status(),
            200
        );
    }
    clock.advance(7 * 24 * 3600 - waited);
    assert_eq!(
        as_user(&api, &token, Method::GET, "/account", None)
            .await
            .status(),
        401
    );

    // The operator ends a user's sessions at once.
    let (api, clock) = api_with_clock().await;
    let (token, _, _) = fully_set_up(&api, &clock).await;
    let said = api.operator_output(&[
        "accounts",
        "revoke-sessions",
        "--email",
        "JANE.DOE@contoso.com",
    ]);
    assert!(said.contains("1 session(s)"), "{said}");
    assert_eq!(
        as_user(&api, &token, Method::GET, "/account", None)
            .await
            .status(),
        401
    );
}

/// The same step taken twice at once with one token: each answer that
/// says it worked carries a token that works; the other is told the
/// session ended.
#[backends]
async fn a_step_taken_twice_at_once_never_answers_a_dead_token() {
    let (api, _) = api_with_clock().await;
    let (email, temporary) = approved(&api).await;
    let token = token_of(&sign_in(&api, &email, &temporary).await);
    let (one, two) = tokio::join!(
        change_password(&api, &token, &temporary, NEW_PASSWORD),
        change_password(&api, &token, &temporary, "amber canyon lantern"),
    );
    let mut worked = 0;
    for answer in [one, two] {
        match answer.status().as_u16() {
            200 => {
                worked += 1;
                let next = as_user(&api, &token_of(&answer), Method::GET, "/account", None).await;
                assert_eq!(next.code(), "mfa_enrolment_required", "{}", next.text());
            }
            _ => assert_eq!(answer.refusal(), (401, "session_expired")),
        }
    }
    assert_eq!(worked, 1);
}
