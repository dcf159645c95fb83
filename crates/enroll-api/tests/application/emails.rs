//! The applicant's emails as written: in both languages, the receipt's
//! address in its country's order, the resume link in the fragment, one
//! email per request however often it is replayed.

use crate::common;

use test_postgres::backends;

use common::{complete, start, Checked};
use reqwest::Method;
use serde_json::json;

#[backends]
async fn emails_read_as_written_in_both_languages() {
    let api = start(false).await;
    for locale in ["en-US", "zh-CN"] {
        let mut answers = complete();
        answers["locale"] = json!(locale);
        answers["mpn_id"] = json!(if locale == "en-US" {
            "1111111"
        } else {
            "2222222"
        });
        let draft = api.create(&answers).await;
        assert_eq!(api.submit(&draft, &draft.etag, "k").await.status(), 200);
        api.operator(&["review", "start", &draft.id]).await.unwrap();
        let reason = "Fix {company} and {name}: 100% of the\nbank details \\n {reason}";
        api.operator(&["review", "request-info", &draft.id, "--reason", reason])
            .await
            .unwrap();
        let outbox = api.outbox().await;
        let mine: Vec<_> = outbox
            .iter()
            .filter(|e| e.parsed.header("Content-Language").as_deref() == Some(locale))
            .collect();
        assert_eq!(mine.len(), 3, "submitted, in review, more info: one each");
        for email in &mine {
            assert!(
                email.body.contains("\n\n"),
                "{locale}: real line breaks: {:?}",
                email.body
            );
            assert!(!email.body.contains("\\n\\n"), "{locale}: {:?}", email.body);
            assert!(email.body.contains("Jane"), "{locale}: {:?}", email.body);
        }
        let last = mine.last().unwrap();
        assert!(
            last.body.contains(reason),
            "{locale}: word for word: {:?}",
            last.body
        );
    }
}

/// The receipt repeats the business address as its country writes it:
/// in Japan the postal code first, then the prefecture, then the street.
#[backends]
async fn the_receipt_writes_the_address_in_its_countrys_order() {
    let api = start(false).await;
    let mut answers = complete();
    answers["locale"] = json!("zh-CN");
    answers["address"] = json!({
        "country": "JP", "lines": ["千代田区丸の内1-1"],
        "region": "東京都", "postal_code": "100-0005"
    });
    let draft = api.create(&answers).await;
    assert_eq!(api.submit(&draft, &draft.etag, "k").await.status(), 200);
    let outbox = api.outbox().await;
    assert_eq!(outbox.len(), 1);
    assert!(
        outbox[0]
            .body
            .ends_with("你填写的营业地址：\n〒100-0005\n東京都\n千代田区丸の内1-1\nJAPAN"),
        "{:?}",
        outbox[0].body
    );
    // The reviewer's emails do not repeat it.
    api.operator(&["review", "start", &draft.id]).await.unwrap();
    let outbox = api.outbox().await;
    assert!(!outbox[1].body.contains("〒"), "{:?}", outbox[1].body);
}

#[backends]
async fn the_resume_email_carries_the_link_in_the_fragment() {
    let api = start(false).await;
    let draft = api
        .create(&json!({"admin": {"email": "jane.doe@contoso.com", "first_name": "Jane"}}))
        .await;
    let response = api
        .request(
            Method::POST,
            &format!("/applications/{}/resume-email", draft.id),
        )
        .bearer_auth(&draft.token)
        .json(&json!({"link_base": "https://partner.example/enroll?x=1"}))
        .checked()
        .await;
    assert_eq!(response.status(), 202);
    let outbox = api.outbox().await;
    let email = &outbox[0];
    assert_eq!(email.to, "jane.doe@contoso.com");
    let link = format!(
        "https://partner.example/enroll?x=1#resume={}.{}",
        draft.id, draft.token
    );
    assert!(email.body.contains(&link), "{}", email.body);

    let no_email = api.create(&json!({})).await;
    let refused = api
        .request(
            Method::POST,
            &format!("/applications/{}/resume-email", no_email.id),
        )
        .bearer_auth(&no_email.token)
        .checked()
        .await;
    assert_eq!(refused.status(), 422);
}

#[backends]
async fn a_replayed_resume_email_request_sends_one_email() {
    // Two emails an hour for this client: replays must not count.
    let api = common::start_with(|o| o.limits.resume_emails_per_client = 2).await;
    let draft = api
        .create(&json!({"admin": {"email": "jane.doe@contoso.com", "first_name": "Jane"}}))
        .await;
    let ask = |key: &str| {
        api.request(
            Method::POST,
            &format!("/applications/{}/resume-email", draft.id),
        )
        .bearer_auth(&draft.token)
        .header("Idempotency-Key", key)
        .checked()
    };
    for key in ["one", "one", "one", "two"] {
        assert_eq!(ask(key).await.status(), 202);
    }
    let outbox = api.outbox().await;
    assert_eq!(outbox.len(), 2, "one email per request, replays send none");
    // The link opens the server's own page on the port it was given (the
    // test asked for port 0).
    let link = format!("{}/#resume={}.{}", api.server.url(), draft.id, draft.token);
    let resume = outbox.iter().find(|e| e.kind == "resume").expect("a link");
    assert!(resume.body.contains(&link), "{}", resume.body);
}
