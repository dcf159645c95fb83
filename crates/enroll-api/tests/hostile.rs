//! What a client that does not follow the app can try: using the resume
//! email as a mail relay, characters that fool terminals and mail,
//! overlong answers, and submitting what the program does not allow
//! (flooding: limits.rs).

mod common;

use test_postgres::backends;

use common::Checked;

use common::{complete, error_code, start, start_with, with_admin, Answer, Api, Draft};
use reqwest::Method;
use serde_json::{json, Value};

async fn ask_resume_email(api: &Api, draft: &Draft, body: Option<Value>) -> Answer {
    let mut request = api
        .request(
            Method::POST,
            &format!("/applications/{}/resume-email", draft.id),
        )
        .bearer_auth(&draft.token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.checked().await
}

#[backends]
async fn resume_links_point_only_at_the_public_address_or_a_host_origin() {
    let api = start_with(|o| o.public_url = Some("https://apply.example/".into())).await;
    let draft = api.create(&with_admin("jane.doe@contoso.com")).await;

    for foreign in [
        "https://evil.example/phish",
        "https://partner.example.evil.example/",
        "https://partner.example@evil.example/",
        "javascript:alert(1)",
        "https://partner.example/ Your session expired: sign in at https://evil.example/",
        "https://partner.example/\u{2028}Sign in at https://evil.example/",
        "//evil.example/",
    ] {
        let refused = ask_resume_email(&api, &draft, Some(json!({"link_base": foreign}))).await;
        assert_eq!(refused.status(), 422, "{foreign}");
        assert_eq!(error_code(refused).await, "bad_link_base", "{foreign}");
    }
    assert!(api.outbox().await.is_empty(), "nothing was sent");

    // No link_base, and a Host header naming another site: the public URL.
    let by_host = api
        .request(
            Method::POST,
            &format!("/applications/{}/resume-email", draft.id),
        )
        .bearer_auth(&draft.token)
        .header("Host", "evil.example")
        .checked()
        .await;
    assert_eq!(by_host.status(), 202);
    let allowed = ask_resume_email(
        &api,
        &draft,
        Some(json!({"link_base": "https://partner.example/apply?lang=de#old"})),
    )
    .await;
    assert_eq!(allowed.status(), 202);
    // Two emails, which the relay may receive in either order (the sender
    // hands them over on several connections at once).
    let sent = api.outbox().await;
    assert_eq!(sent.len(), 2);
    let fragment = format!("#resume={}.{}", draft.id, draft.token);
    for link in [
        format!("https://apply.example/{fragment}"),
        format!("https://partner.example/apply?lang=de{fragment}"),
    ] {
        assert!(sent.iter().any(|e| e.body.contains(&link)), "{link}");
    }
    assert!(sent.iter().all(|e| !e.body.contains("evil.example")));
}

/// Every text answer of the contract, as a (path, JSON pointer) pair.
const TEXT_FIELDS: [&str; 25] = [
    "/mpn_id",
    "/company/legal_name",
    "/company/website",
    "/company/tax_id",
    "/address/country",
    "/address/lines/0",
    "/address/locality",
    "/address/region",
    "/address/postal_code",
    "/address/dependent_locality",
    "/address/sorting_code",
    "/bank/country",
    "/bank/account_holder",
    "/bank/iban",
    "/bank/bic",
    "/bank/routing_code",
    "/bank/account_number",
    "/bank/account_type",
    "/admin/first_name",
    "/admin/last_name",
    "/admin/email",
    "/admin/phone",
    "/tenant/csp_domain",
    "/tenant/corporate_domain",
    "/address/lines/1",
];

fn set(answers: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = answers.pointer_mut(parent).unwrap();
    match parent {
        Value::Array(items) => {
            let index: usize = key.parse().unwrap();
            while items.len() <= index {
                items.push(json!(""));
            }
            items[index] = value;
        }
        _ => parent[key] = value,
    }
}

fn field_of(pointer: &str) -> String {
    pointer.trim_start_matches('/').replace('/', ".")
}

#[backends]
async fn control_characters_are_refused_in_every_text_field() {
    let api = start(false).await;
    for control in [
        "\u{1b}[2J",
        "\0",
        "\u{202e}",
        "a\r\nBcc: x@evil.example",
        "\u{85}",
        "\u{2067}",
        // Invisible ones: line and paragraph separators, directional
        // marks, the word joiner, interlinear annotation, a tag, Hangul
        // fillers.
        "a\u{2028}b",
        "\u{2029}",
        "\u{200e}",
        "\u{200f}",
        "\u{61c}",
        "\u{2060}",
        "\u{fffa}",
        "\u{e0041}",
        "\u{3164}",
        "\u{ffa0}",
    ] {
        for pointer in TEXT_FIELDS {
            let mut answers = complete();
            let current = answers
                .pointer(pointer)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            set(&mut answers, pointer, json!(format!("{current}{control}")));
            let report: Value = api
                .request(Method::POST, "/validate")
                .header("Accept-Language", "zh-CN")
                .json(&answers)
                .checked()
                .await
                .body
                .clone();
            let field = field_of(pointer);
            let problem = report["errors"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["field"] == field.as_str())
                .unwrap_or_else(|| panic!("{field} {control:?}: {report}"));
            assert_eq!(problem["code"], "control_character", "{field}");
            assert!(
                problem["message"].as_str().unwrap().contains("控制字符"),
                "{problem}"
            );
        }
    }
    // Submit refuses them too, and what was typed is kept by autosave.
    let mut answers = complete();
    answers["admin"]["first_name"] = json!("Jane\u{1b}[31m");
    let draft = api.create(&answers).await;
    let (etag, stored) = api.get(&draft).await;
    assert_eq!(
        stored["admin"]["first_name"], "Jane\u{1b}[31m",
        "nothing typed is lost"
    );
    let refused = api.submit(&draft, &etag, "k").await;
    assert_eq!(refused.status(), 422);
    let report: Value = refused.body.clone();
    assert_eq!(report["errors"][0]["field"], "admin.first_name");
    assert_eq!(report["errors"][0]["code"], "control_character");
}

#[backends]
async fn joiners_inside_words_pass_and_pasted_invisibles_are_removed() {
    let api = start(false).await;
    let mut answers = complete();
    // Persian "Mehrdad's company" needs a zero-width non-joiner; the BOM and
    // the soft hyphen came along with a paste.
    answers["company"]["legal_name"] = json!("شرکت\u{200c}های مهرداد");
    answers["admin"]["first_name"] = json!("\u{feff}Ja\u{ad}ne\u{200b}");
    let report: Value = api.validate(&answers).await;
    assert_eq!(report["valid"], true, "{report}");
    let draft = api.create(&answers).await;
    let (etag, stored) = api.get(&draft).await;
    assert_eq!(stored["admin"]["first_name"], "Jane");
    assert_eq!(stored["company"]["legal_name"], "شرکت\u{200c}های مهرداد");
    assert_eq!(api.submit(&draft, &etag, "k").await.status(), 200);

    // A reviewer's reason may have several lines, but no escape codes.
    api.operator(&["review", "start", &draft.id]).await.unwrap();
    let escape = api
        .operator(&[
            "review",
            "request-info",
            &draft.id,
            "--reason",
            "Fix\u{1b}[2J it",
        ])
        .await;
    assert!(escape.unwrap_err().contains("control character"));
    api.operator(&[
        "review",
        "request-info",
        &draft.id,
        "--reason",
        "Two things:\n1. the tax ID\n2. the bank",
    ])
    .await
    .unwrap();
    let status = api.status(&draft).await;
    assert_eq!(
        status["history"].as_array().unwrap().last().unwrap()["reason"],
        "Two things:\n1. the tax ID\n2. the bank"
    );
}

#[backends]
async fn saves_refuse_answers_over_their_caps_and_keep_the_draft() {
    let api = start(false).await;
    let draft = api.create(&complete()).await;
    let mut answers = complete();
    answers["admin"]["first_name"] = json!("x".repeat(60_000));
    answers["address"]["lines"] = json!(["Unter den Linden 1", "y".repeat(201)]);
    let refused = api.put(&draft, &draft.etag, &answers).await;
    assert_eq!(refused.status(), 422);
    let report: Value = refused.body.clone();
    let found: Vec<(&str, &str)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["field"].as_str().unwrap(),
                p["params"]["max"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("address.lines.1", "200"), ("admin.first_name", "100")]
    );
    assert!(report["errors"][1]["message"]
        .as_str()
        .unwrap()
        .contains("100"));
    let (etag, stored) = api.get(&draft).await;
    assert_eq!(etag, draft.etag, "nothing changed");
    assert_eq!(stored["admin"]["first_name"], "Jane");

    // A new draft too.
    let refused = api
        .request(Method::POST, "/applications")
        .json(&json!({"admin": {"first_name": "x".repeat(101)}}))
        .checked()
        .await;
    assert_eq!(refused.status(), 422);
}

#[backends]
async fn submit_enforces_the_program() {
    let api = start(true).await;
    async fn refusal(api: &Api, answers: &Value) -> (u16, Vec<(String, String)>) {
        let draft = api.create(answers).await;
        let response = api.submit(&draft, &draft.etag, "k").await;
        let status = response.status().as_u16();
        let body: Value = response.body.clone();
        let problems = body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|p| {
                        (
                            p["field"].as_str().unwrap().to_owned(),
                            p["code"].as_str().unwrap().to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        (status, problems)
    }
    let pair = |f: &str, c: &str| vec![(f.to_owned(), c.to_owned())];

    let mut direct = complete();
    direct["model"] = json!("direct_partner");
    assert_eq!(
        refusal(&api, &direct).await,
        (422, pair("model", "direct_enrollment_closed"))
    );

    let mut elsewhere = complete();
    elsewhere["address"] = json!({"country": "KR", "lines": ["1 Sejong-daero"], "locality": "Seoul",
                                  "region": "서울", "postal_code": "04524"});
    let (status, problems) = refusal(&api, &elsewhere).await;
    assert_eq!(status, 422);
    assert!(
        problems.contains(&(
            "address.country".to_owned(),
            "unsupported_country".to_owned()
        )),
        "{problems:?}"
    );

    let mut unknown = complete();
    unknown["mpn_id"] = json!("9999999");
    assert_eq!(
        refusal(&api, &unknown).await,
        (422, pair("mpn_id", "mpn_unknown"))
    );

    let mut abroad = complete();
    abroad["mpn_id"] = json!("7654321"); // Fabrikam Inc., US
    assert_eq!(
        refusal(&api, &abroad).await,
        (422, pair("mpn_id", "mpn_country_mismatch"))
    );

    // A complete, valid application still submits, and the reviewer sees
    // a company name that is not the directory's.
    let mut renamed = complete();
    renamed["company"]["legal_name"] = json!("Not Contoso GmbH");
    let draft = api.create(&renamed).await;
    assert_eq!(api.submit(&draft, &draft.etag, "k").await.status(), 200);

    // Opening direct enrollment lets a direct partner through.
    api.operator(&["program", "set", "--direct-enrollment", "open"])
        .await
        .unwrap();
    let mut direct = complete();
    direct["model"] = json!("direct_partner");
    direct["mpn_id"] = json!("3456789"); // Northwind Traders Ltd, GB
    direct["company"]["legal_name"] = json!("Northwind Traders Ltd");
    direct["address"] = json!({"country": "GB", "lines": ["1 High Street"], "locality": "London",
                               "postal_code": "SW1A 1AA"});
    assert_eq!(refusal(&api, &direct).await, (200, vec![]));

    let list = api.operator_output(&["review", "list"]);
    assert!(
        list.contains("Not Contoso GmbH  [directory: Contoso Ltd]"),
        "{list}"
    );
    assert!(
        !list.contains("Northwind Traders Ltd  [directory"),
        "{list}"
    );
}

#[backends]
async fn operator_output_escapes_what_applicants_typed() {
    let api = start(false).await;
    let mut answers = complete();
    answers["company"]["legal_name"] = json!("Evil\u{1b}]0;pwned\u{7}\u{202e}Ltd\u{2028}\u{e0041}");
    answers["admin"]["first_name"] = json!("Jane\u{1b}[2J");
    let draft = api.create(&answers).await;
    assert_eq!(ask_resume_email(&api, &draft, None).await.status(), 202);
    let list = api.operator_output(&["review", "list"]);
    assert!(
        list.contains("Evil\\u{1b}]0;pwned\\u{7}\\u{202e}Ltd\\u{2028}\\u{e0041}"),
        "{list}"
    );
    for args in [vec!["review", "list"], vec!["outbox"]] {
        let shown = api.operator_output(&args);
        assert!(
            !shown
                .chars()
                .any(|c| c != '\n' && (c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c))),
            "{args:?}: {shown:?}"
        );
        assert!(
            shown.contains("Jane") || shown.contains("Evil"),
            "{args:?}: {shown}"
        );
    }
    // The email's greeting is one clean line; its body keeps its breaks.
    let email = &api.outbox().await[0];
    assert!(!email.subject.chars().any(char::is_control));
    assert!(email.body.starts_with("Hello Jane[2J,"), "{}", email.body);
}

#[backends]
async fn open_partnership_requests_are_capped_per_applicant() {
    let api = start_with(|o| {
        o.seed_demo = true;
        o.limits.open_provider_requests = 2;
    })
    .await;
    let draft = api.create(&complete()).await;
    assert_eq!(api.submit(&draft, &draft.etag, "k").await.status(), 200);
    let ask = |provider: &str| {
        api.request(Method::POST, &format!("/providers/{provider}/requests"))
            .bearer_auth(&draft.token)
            .json(&json!({"message": "Hello"}))
            .checked()
    };
    assert_eq!(ask("p000001").await.status(), 201);
    assert_eq!(ask("p000002").await.status(), 201);
    let third = ask("p000003").await;
    assert_eq!(third.status(), 409);
    assert_eq!(error_code(third).await, "too_many_open_requests");
    assert_eq!(
        ask("p000001").await.status(),
        200,
        "asking again is not a new request"
    );
}

/// Our sender carries nothing an attacker wrote to an address nobody has
/// proven: a draft with a lure for a first name and someone else's
/// address gets no resume email (the app offers the link to copy), and
/// the code that would prove the address carries neither name nor
/// company.
#[backends]
async fn nothing_typed_reaches_an_unproven_address() {
    let api = start(false).await;
    let mut answers = complete();
    answers["admin"]["first_name"] = json!("Winner! Claim your prize at https://evil.example/x");
    answers["company"]["legal_name"] = json!("Prize Desk https://evil.example/claim");
    for victim in ["victim@contoso.com", "victim@gmail.com"] {
        answers["admin"]["email"] = json!(victim);
        let created = api
            .request(Method::POST, "/applications")
            .json(&answers)
            .checked()
            .await;
        assert_eq!(created.status(), 201);
        let draft = Draft {
            id: created.body["id"].as_str().unwrap().to_owned(),
            token: created.body["resume_token"].as_str().unwrap().to_owned(),
            etag: created.etag(),
            body: created.body.clone(),
        };
        let refused = ask_resume_email(&api, &draft, None).await;
        assert_eq!(
            refused.refusal(),
            (422, "admin_email_unverified"),
            "{victim}"
        );
        api.send_admin_code(&draft).await;
    }
    let emails = api.all_emails().await;
    assert!(emails.iter().all(|e| e.kind != "resume"), "no resume email");
    // The work address gets its code (the free-mail one is refused), and
    // nothing typed is in it.
    let codes: Vec<_> = emails.iter().filter(|e| e.kind == "admin_code").collect();
    assert_eq!(codes.len(), 1);
    for email in codes {
        assert_eq!(email.to, "victim@contoso.com");
        for lure in ["Winner", "evil.example", "Prize Desk"] {
            assert!(!email.body.contains(lure), "{lure} in {}", email.body);
            assert!(!email.html.contains(lure), "{lure} in the HTML part");
        }
    }
}
