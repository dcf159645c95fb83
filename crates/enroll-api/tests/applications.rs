//! Drafts, autosave, submission, review and the outbox, over real HTTP
//! against a fresh SQLite file.

mod common;

use common::Checked;

use common::{complete, start};
use enroll_api::store::Store;
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn a_draft_is_created_read_and_autosaved_with_etags() {
    let api = start(false).await;
    let draft = api.create(&json!({"mpn_id": "1234567"})).await;
    assert_eq!(draft.body["status"], "draft");
    assert_eq!(draft.token.len(), 64);
    assert_eq!(draft.etag, "\"1\"");

    let (etag, body) = api.get(&draft).await;
    assert_eq!(etag, draft.etag);
    assert_eq!(body["mpn_id"], "1234567");
    assert!(
        body.get("resume_token").is_none(),
        "the token is shown once"
    );

    let response = api.put(&draft, &etag, &json!({"mpn_id": "7654321"})).await;
    assert_eq!(response.status(), 200);
    let new_etag = response.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(new_etag, etag);

    // The ETag the user saw is stale now: nothing is silently overwritten.
    let stale = api.put(&draft, &etag, &json!({"mpn_id": "1111111"})).await;
    assert_eq!(stale.status(), 412);
    let body: Value = stale.body.clone();
    assert_eq!(body["error"]["code"], "stale_etag");
    assert_eq!(api.get(&draft).await.1["mpn_id"], "7654321");

    let no_if_match = api
        .request(Method::PUT, &format!("/applications/{}", draft.id))
        .bearer_auth(&draft.token)
        .json(&json!({}))
        .checked()
        .await;
    assert_eq!(no_if_match.status(), 428);
}

#[tokio::test]
async fn bank_secrets_come_back_masked_and_survive_a_put_that_leaves_them_masked() {
    let api = start(false).await;
    let draft = api.create(&complete()).await;
    assert_eq!(draft.body["bank"]["iban"], "••••3000");
    let (etag, mut seen) = api.get(&draft).await;
    assert_eq!(seen["bank"]["iban"], "••••3000");
    assert!(
        !seen.to_string().contains("DE89"),
        "no full IBAN anywhere in the answer"
    );

    // The app sends back what it was given, masked IBAN included.
    seen["company"]["legal_name"] = json!("Contoso Limited");
    let response = api.put(&draft, &etag, &seen).await;
    assert_eq!(response.status(), 200);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();

    // And the stored IBAN is still the real one: the application submits.
    let store = Store::open(&api.database).await.unwrap();
    let stored = store.application(&draft.id).await.unwrap().unwrap();
    assert_eq!(stored.answers.bank.iban, "DE89 3704 0044 0532 0130 00");
    assert_eq!(stored.answers.company.legal_name, "Contoso Limited");
    let submitted = api.submit(&draft, &etag, "key-1").await;
    assert_eq!(submitted.status(), 200);

    // Sent empty, a secret is cleared (a bank in another country).
    let other = api.create(&complete()).await;
    let mut answers = complete();
    answers["bank"]["iban"] = json!("");
    api.put(&other, &other.etag, &answers).await;
    assert_eq!(api.get(&other).await.1["bank"]["iban"], "");
}

#[tokio::test]
async fn tokens_guard_every_application_route() {
    let api = start(false).await;
    let draft = api.create(&json!({})).await;
    let other = api.create(&json!({})).await;
    for path in ["", "/status", "/provider-requests"] {
        let url = format!("/applications/{}{path}", draft.id);
        let missing = api.request(Method::GET, &url).checked().await;
        assert_eq!(missing.status(), 401, "{path}");
        let body: Value = missing.body.clone();
        assert_eq!(body["error"]["code"], "token_required");
        let wrong = api
            .request(Method::GET, &url)
            .bearer_auth(&other.token)
            .checked()
            .await;
        assert_eq!(wrong.status(), 401, "another application's token, {path}");
    }
    let unknown = api
        .request(
            Method::GET,
            "/applications/0123456789abcdef0123456789abcdef",
        )
        .bearer_auth(&draft.token)
        .checked()
        .await;
    assert_eq!(unknown.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_submits_with_one_key_submit_once_with_identical_answers() {
    let api = start(false).await;
    let draft = api.create(&complete()).await;
    let url = api.url(&format!("/applications/{}/submit", draft.id));
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (client, url, token, etag) = (
                api.client.clone(),
                url.clone(),
                draft.token.clone(),
                draft.etag.clone(),
            );
            tokio::spawn(async move {
                let response = client
                    .post(url)
                    .bearer_auth(token)
                    .header("If-Match", etag)
                    .header("Idempotency-Key", "double-click")
                    .checked()
                    .await;
                (response.status().as_u16(), response.text().to_owned())
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    assert!(
        answers.iter().all(|a| a == &answers[0]),
        "identical answers: {answers:?}"
    );
    assert_eq!(answers[0].0, 200);
    let status = api.status(&draft).await;
    assert_eq!(status["status"], "submitted");
    let history: Vec<&str> = status["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["draft", "submitted"], "one submission");

    // A new key after submission: refused, and changes are refused too.
    let again = api.submit(&draft, &draft.etag, "another-key").await;
    assert_eq!(again.status(), 409);
    let (etag, _) = api.get(&draft).await;
    assert_eq!(api.put(&draft, &etag, &json!({})).await.status(), 409);

    // One submission, one "we received it" email, whatever was replayed.
    let outbox = api.outbox().await;
    let received: Vec<_> = outbox
        .iter()
        .filter(|e| e.subject.contains("received"))
        .collect();
    assert_eq!(received.len(), 1, "{outbox:#?}");
    assert_eq!(outbox.len(), 1);
}

#[tokio::test]
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
#[tokio::test]
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

#[tokio::test]
async fn bank_fields_the_country_does_not_use_are_dropped_on_save_and_refused() {
    let api = start(false).await;
    let draft = api.create(&complete()).await;
    let (etag, stored) = api.get(&draft).await;
    assert_eq!(stored["bank"]["iban"], "••••3000");
    // The applicant moves the bank to the UK; the app sends back the masked
    // IBAN it was shown.
    let mut moved = stored.clone();
    moved["bank"]["country"] = json!("GB");
    moved["bank"]["routing_code"] = json!("12-34-56");
    moved["bank"]["account_number"] = json!("12345678");
    let saved = api.put(&draft, &etag, &moved).await;
    assert_eq!(saved.status(), 200);
    let (etag, stored) = api.get(&draft).await;
    assert_eq!(stored["bank"]["iban"], "");
    assert_eq!(stored["bank"]["bic"], "");
    // Back to Germany: the old IBAN did not survive hidden.
    // The app sends back the masked IBAN it was once shown.
    let mut back = stored.clone();
    back["bank"]["country"] = json!("DE");
    back["bank"]["iban"] = json!("••••3000");
    assert_eq!(api.put(&draft, &etag, &back).await.status(), 200);
    let (_, stored) = api.get(&draft).await;
    assert_eq!(stored["bank"]["iban"], "", "no hidden IBAN came back");

    let mut answers = complete();
    answers["bank"] = json!({"country": "GB", "account_holder": "Contoso Ltd",
        "routing_code": "12-34-56", "account_number": "12345678",
        "iban": "DE89370400440532013000"});
    let report: Value = api.validate(&answers).await;
    let problems: Vec<(&str, &str)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["field"].as_str().unwrap(), p["code"].as_str().unwrap()))
        .collect();
    assert_eq!(problems, [("bank.iban", "not_applicable")]);
}

#[tokio::test]
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

#[tokio::test]
async fn submit_needs_its_headers_and_valid_answers() {
    let api = start(false).await;
    let draft = api.create(&json!({"mpn_id": "1234567"})).await;
    let no_key = api
        .request(Method::POST, &format!("/applications/{}/submit", draft.id))
        .bearer_auth(&draft.token)
        .header("If-Match", &draft.etag)
        .checked()
        .await;
    assert_eq!(no_key.status(), 400);
    let no_etag = api
        .request(Method::POST, &format!("/applications/{}/submit", draft.id))
        .bearer_auth(&draft.token)
        .header("Idempotency-Key", "k")
        .checked()
        .await;
    assert_eq!(no_etag.status(), 428);

    let incomplete = api.submit(&draft, &draft.etag, "k1").await;
    assert_eq!(incomplete.status(), 422);
    let report: Value = incomplete.body.clone();
    assert_eq!(report["valid"], false);
    assert!(report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["field"] == "bank.country"));
    assert_eq!(api.status(&draft).await["status"], "draft");

    let stale = api.submit(&draft, "\"99\"", "k2").await;
    assert_eq!(stale.status(), 412);
}

#[tokio::test]
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
    assert_eq!(
        (refused.status().as_u16(), refused.code()),
        (409, "mpn_already_enrolled")
    );
}

#[tokio::test]
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
    let history: Vec<&str> = status["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
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

#[tokio::test]
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

#[tokio::test]
async fn bad_inputs_get_4xx_json_never_500() {
    let api = start(false).await;
    let draft = api.create(&json!({})).await;
    let id = draft.id.clone();
    /// (method, path, Authorization, body, expected status)
    type Case = (Method, String, Option<&'static str>, Vec<u8>, u16);
    let cases: Vec<Case> = vec![
        (
            Method::POST,
            "/applications".into(),
            None,
            b"{oops".to_vec(),
            400,
        ),
        (
            Method::POST,
            "/applications".into(),
            None,
            b"[1,2]".to_vec(),
            422,
        ),
        (
            Method::POST,
            "/applications".into(),
            None,
            br#"{"mpn_id": 5}"#.to_vec(),
            422,
        ),
        (
            Method::POST,
            "/applications".into(),
            None,
            br#"{"attestations": {"terms_accepted": "yes"}}"#.to_vec(),
            422,
        ),
        (
            Method::POST,
            "/applications".into(),
            None,
            vec![b'{'; 65 * 1024],
            413,
        ),
        (
            Method::PUT,
            format!("/applications/{id}"),
            Some("Bearer nope"),
            b"{}".to_vec(),
            401,
        ),
        (
            Method::PUT,
            format!("/applications/{id}"),
            Some("Basic abc"),
            b"{}".to_vec(),
            401,
        ),
        (
            Method::GET,
            "/applications/does-not-exist".into(),
            Some("Bearer x"),
            vec![],
            404,
        ),
        (Method::GET, "/providers?page=0".into(), None, vec![], 400),
        (
            Method::GET,
            "/providers?per_page=abc".into(),
            None,
            vec![],
            400,
        ),
        (Method::GET, "/providers/nope".into(), None, vec![], 404),
        (Method::GET, "/mpn/12ab".into(), None, vec![], 400),
        (Method::GET, "/mpn/9999999".into(), None, vec![], 404),
        (Method::DELETE, "/program".into(), None, vec![], 405),
        (Method::GET, "/nothing".into(), None, vec![], 404),
    ];
    for (method, path, auth, body, expected) in cases {
        let mut request = api
            .request(method.clone(), &path)
            .header("Content-Type", "application/json")
            .body(body);
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        let response = request.checked().await;
        assert_eq!(response.status().as_u16(), expected, "{method} {path}");
        let json = &response.body;
        assert!(json["error"]["code"].is_string(), "{method} {path}: {json}");
    }
}

/// The document against the router, both ways, from the document alone (no
/// list or count of routes here): every documented operation is served
/// (answers something other than `no_such_route` or 405), and on every
/// documented path the methods it does not document are not served (405).
/// Paths nobody documented cannot be served at all: routes are registered
/// only through `OpenApiRouter::routes` (clippy.toml), which documents them.
#[tokio::test]
async fn the_contract_and_the_router_agree() {
    let api = start(false).await;
    let document: Value = api.get_json("/openapi.json").await;
    assert_eq!(
        &document,
        enroll_api::openapi::document(),
        "served as built"
    );
    let paths = document["paths"].as_object().unwrap();
    assert!(!paths.is_empty());
    for (template, operations) in paths {
        let concrete: String = template
            .split('/')
            .map(|segment| match segment.starts_with('{') {
                true => "x",
                false => segment,
            })
            .collect::<Vec<_>>()
            .join("/");
        for method in [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::PATCH,
        ] {
            let documented = operations.get(method.as_str().to_lowercase()).is_some();
            let answer = api.request(method.clone(), &concrete).checked().await;
            if documented {
                assert_ne!(answer.status(), 405, "{method} {template}");
                assert_ne!(answer.code(), "no_such_route", "{method} {template}");
            } else {
                assert_eq!(answer.status(), 405, "{method} {template} is served");
            }
        }
    }
}
