//! The operator's review of applications: the status moved, why recorded,
//! the applicant emailed; one approved enrollment per MPN ID, and no
//! squatting on one.

use crate::common;

use test_postgres::backends;

use common::{complete, history_of, start};
use serde_json::json;

#[backends]
async fn review_moves_the_status_records_why_and_emails_the_applicant() {
    let api = start(false).await;
    let mut answers = complete();
    answers["locale"] = json!("zh-CN");
    let draft = api.create(&answers).await;
    let submitted = api.submit(&draft, &draft.etag, "k").await;
    assert_eq!(submitted.status(), 200);

    // Approving straight from submitted is not a step of the flow.
    let err = api
        .operator(&["review", "approve", &draft.id])
        .await
        .unwrap_err();
    assert!(err.contains("submitted"), "{err}");
    assert!(api
        .operator(&["review", "reject", &draft.id])
        .await
        .unwrap_err()
        .contains("--reason"));

    api.operator(&["review", "start", &draft.id]).await.unwrap();
    api.operator(&[
        "review",
        "request-info",
        &draft.id,
        "--reason",
        "营业地址与注册信息不符",
    ])
    .await
    .unwrap();
    let status = api.status(&draft).await;
    assert_eq!(status["status"], "more_info_needed");
    assert_eq!(status["history"][3]["reason"], "营业地址与注册信息不符");

    // The applicant fixes an answer and submits again with a new key.
    let (etag, mut seen) = api.get(&draft).await;
    seen["address"]["lines"] = json!(["Unter den Linden 2"]);
    let response = api.put(&draft, &etag, &seen).await;
    assert_eq!(response.status(), 200);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(api.submit(&draft, &etag, "k2").await.status(), 200);
    api.operator(&["review", "start", &draft.id]).await.unwrap();
    api.operator(&["review", "approve", &draft.id])
        .await
        .unwrap();
    let status = api.status(&draft).await;
    assert_eq!(status["status"], "approved");
    let history = history_of(&status);
    assert_eq!(
        history,
        [
            "draft",
            "submitted",
            "in_review",
            "more_info_needed",
            "submitted",
            "in_review",
            "approved"
        ]
    );

    let outbox = api.outbox().await;
    let approved = outbox.iter().rev().find(|e| e.kind == "status").unwrap();
    assert_eq!(approved.to, "jane.doe@contoso.com");
    assert!(
        approved.subject.contains("已获批准"),
        "in the applicant's locale: {}",
        approved.subject
    );
    assert!(
        outbox
            .iter()
            .any(|e| e.body.contains("营业地址与注册信息不符")),
        "the reason is in the email"
    );
    for email in &outbox {
        for secret in ["DE89", "3704 0044", "0532 0130", "370400440532013000"] {
            assert!(
                !email.body.contains(secret) && !email.subject.contains(secret),
                "no bank secret in emails"
            );
        }
    }
}

#[backends]
async fn one_approved_enrollment_per_mpn_id_and_no_squatting() {
    let api = start(true).await;
    // A stranger who knows Contoso's MPN ID and country applies first.
    let mut squat = complete();
    squat["company"]["legal_name"] = json!("Squat Holdings LLC");
    squat["admin"]["email"] = json!("kim@squat.example");
    let stranger = api.create(&squat).await;
    let sent = api.submit(&stranger, &stranger.etag, "a").await;
    assert_eq!(sent.status(), 200, "{}", sent.text());
    // The real owner can still apply: a submission holds nothing.
    let owner = api.create(&complete()).await;
    let sent = api.submit(&owner, &owner.etag, "b").await;
    assert_eq!(sent.status(), 200, "{}", sent.text());
    for id in [&stranger.id, &owner.id] {
        api.operator(&["review", "start", id]).await.unwrap();
    }

    // The reviewer sees them side by side, with the signals.
    let listed = api.operator_output(&["review", "list"]);
    assert!(
        listed.contains("-- 2 applications for MPN ID 1234567"),
        "{listed}"
    );
    let line = |id: &str| {
        listed
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("{id} in {listed}"))
            .to_owned()
    };
    let owner_line = line(&owner.id);
    assert!(owner_line.contains("[name = directory]"), "{owner_line}");
    assert!(
        owner_line.contains("[admin domain = website]"),
        "{owner_line}"
    );
    let stranger_line = line(&stranger.id);
    assert!(
        stranger_line.contains("[directory: Contoso Ltd]"),
        "{stranger_line}"
    );
    assert!(
        stranger_line.contains("[admin domain squat.example != website contoso.com]"),
        "{stranger_line}"
    );

    // Approving one refuses approving the other, saying why; the reviewer
    // rejects it, and its applicant is emailed the reason.
    api.operator(&["review", "approve", &owner.id])
        .await
        .unwrap();
    let refused = api
        .operator(&["review", "approve", &stranger.id])
        .await
        .unwrap_err();
    assert!(
        refused.contains(&format!("approved application {}", owner.id)),
        "{refused}"
    );
    assert_eq!(api.status(&stranger).await["status"], "in_review");
    api.operator(&[
        "review",
        "reject",
        &stranger.id,
        "--reason",
        "This MPN ID belongs to another company.",
    ])
    .await
    .unwrap();
    let told = api
        .outbox()
        .await
        .into_iter()
        .rev()
        .find(|e| e.to == "kim@squat.example" && e.kind == "status")
        .expect("the stranger is told");
    assert!(
        told.body.contains("belongs to another company"),
        "{}",
        told.body
    );

    // Once one is approved, the MPN ID is taken.
    let late = api.create(&complete()).await;
    let refused = api.submit(&late, &late.etag, "c").await;
    assert_eq!(refused.refusal(), (409, "mpn_already_enrolled"));
}
