//! The partner account's messages the app fetches.

use crate::common;

use test_postgres::backends;

use common::{api_with_clock, Checked};
use reqwest::Method;

/// The account's messages, which the app fetches with the account's part,
/// in both languages; no other book is served (the emails' stay here).
#[backends]
async fn the_account_messages_are_served_in_every_language_and_nothing_else_is() {
    let (api, _) = api_with_clock().await;
    let books = api.get_json("/reference/messages/account").await;
    for (tag, sign_out) in [("en-US", "Sign out"), ("zh-CN", "退出登录")] {
        let text = books[tag].as_str().unwrap_or_default();
        assert!(
            text.lines()
                .any(|l| l == format!("account.sign_out = {sign_out}")),
            "{tag}: {text}"
        );
        assert!(!text.contains("email.status"), "{tag}");
    }
    let emails = api
        .request(Method::GET, "/reference/messages/emails")
        .checked()
        .await;
    assert_eq!(emails.status(), 404);
}
