//! `enroll-api copy`: a program that started on SQLite moves to
//! PostgreSQL (and back) without losing an application, an account, a
//! session or an email waiting to be sent.

mod common;

use common::account::{apply_and_approve, as_user, fully_set_up};
use common::{api_with_clock, complete, Api, Draft};
use enroll_api::cli;
use reqwest::Method;
use serde_json::{json, Value};

/// An application in each status (submitted ones proven and sent), by
/// status name.
async fn one_in_each_status(api: &Api) -> Vec<(&'static str, Draft)> {
    let mut drafts = Vec::new();
    for (n, status) in [
        "draft",
        "submitted",
        "in_review",
        "rejected",
        "more_info_needed",
    ]
    .into_iter()
    .enumerate()
    {
        let mut answers = complete();
        answers["mpn_id"] = json!(format!("765432{n}"));
        answers["admin"]["email"] = json!(format!("applicant{n}@fabrikam.com"));
        let draft = api.create(&answers).await;
        if status != "draft" {
            let sent = api.submit(&draft, &draft.etag, "k").await;
            assert_eq!(sent.status(), 200, "{}", sent.text());
        }
        if !["draft", "submitted"].contains(&status) {
            api.operator(&["review", "start", &draft.id]).await.unwrap();
        }
        let decision = match status {
            "rejected" => "reject",
            "more_info_needed" => "request-info",
            _ => "",
        };
        if !decision.is_empty() {
            let reason = "The tax ID does not match the register.";
            let args = ["review", decision, &draft.id, "--reason", reason];
            api.operator(&args).await.unwrap();
        }
        drafts.push((status, draft));
    }
    drafts
}

/// What the API answers a draft's holder and a signed-in user: the same
/// after a copy.
async fn seen(api: &Api, drafts: &[(&str, Draft)], session: &str) -> Vec<(u16, Value)> {
    let mut answers = Vec::new();
    for (_, draft) in drafts {
        for path in ["", "/status"] {
            let answer = api
                .request(Method::GET, &format!("/applications/{}{path}", draft.id))
                .bearer_auth(&draft.token)
                .send()
                .await
                .unwrap();
            let status = answer.status().as_u16();
            answers.push((status, answer.json().await.unwrap()));
        }
    }
    for path in ["/account", "/account/users", "/account/domains"] {
        let answer = as_user(api, session, Method::GET, path, None).await;
        answers.push((answer.status().as_u16(), answer.body));
    }
    answers
}

/// What the operator's listings print for `database`.
fn listings(database: &str) -> String {
    let mut all = String::new();
    for args in [
        &["outbox"][..],
        &["review", "list"][..],
        &["accounts", "list"][..],
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_enroll-api"))
            .args(args)
            .args(["--database", database])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        all.push_str(&String::from_utf8(output.stdout).unwrap());
    }
    all
}

async fn copy(from: &str, to: &str) -> Result<(), String> {
    let command = cli::parse(&["copy", "--from", from, "--to", to]).map_err(|e| e.to_string())?;
    cli::run(command).await.map_err(|e| e.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_copied_to_postgres_and_back_reads_the_same() {
    let (api, clock) = api_with_clock().await;
    let (session, _, _) = fully_set_up(&api, &clock).await;
    apply_and_approve(&api, "1111111", "kim@northwind.com", "Northwind")
        .await
        .unwrap();
    let drafts = one_in_each_status(&api).await;
    let mut answers = complete();
    answers["mpn_id"] = json!("7654329");
    let waiting = api.create(&answers).await;
    assert_eq!(api.submit(&waiting, &waiting.etag, "k").await.status(), 200);
    let before = seen(&api, &drafts, &session).await;
    assert!(
        before.iter().all(|(status, _)| *status == 200),
        "{before:#?}"
    );
    let sqlite = api.database.clone();
    let postgres = test_postgres::fresh_database().await;
    let (mut listed, mut copied) = (String::new(), String::new());
    let api = api
        .moved_to(&postgres, async {
            // Its reviewer starts while no server runs: the email telling
            // the applicant waits in the outbox.
            let started = ["review", "start", &waiting.id, "--database", &sqlite];
            cli::run(cli::parse(&started).unwrap()).await.unwrap();
            listed = listings(&sqlite);
            copy(&sqlite, &postgres).await.unwrap();
            // Read before a server starts sending what waits.
            copied = listings(&postgres);
        })
        .await;
    assert!(listed.contains("[queued"), "{listed}");
    for status in [
        "draft",
        "submitted",
        "in_review",
        "approved",
        "rejected",
        "more_info_needed",
    ] {
        assert!(listed.contains(status), "{status} in {listed}");
    }
    assert_eq!(copied, listed);
    assert_eq!(seen(&api, &drafts, &session).await, before);
    // PostgreSQL numbers new rows after the copied ones (its sequences were
    // moved past them): a new submission writes history and an email.
    let mut answers = complete();
    answers["mpn_id"] = json!("7654328");
    let after = api.create(&answers).await;
    let sent = api.submit(&after, &after.etag, "k").await;
    assert_eq!(sent.status(), 200, "{}", sent.text());

    // A target holding anything is refused, naming what it holds.
    let refused = copy(&sqlite, &postgres).await.unwrap_err();
    assert!(refused.contains("not empty (applications: "), "{refused}");

    // And back: PostgreSQL to a new SQLite file.
    let dir = tempfile::tempdir().unwrap();
    let back = format!("sqlite://{}", dir.path().join("back.db").display());
    let (mut source, mut copied_back) = (String::new(), String::new());
    let api = api
        .moved_to(&back, async {
            source = listings(&postgres);
            copy(&postgres, &back).await.unwrap();
            copied_back = listings(&back);
        })
        .await;
    assert!(source.contains("[sent"), "sent meanwhile from PostgreSQL");
    assert_eq!(copied_back, source);
    assert_eq!(seen(&api, &drafts, &session).await, before);
}
