//! Where the emails are handed over: to a relay over STARTTLS only
//! (in the clear only on loopback, when told), or as files in a mail dir.

use crate::common;

use test_postgres::backends;

use common::mail::{ask, newest, unproven_draft, JANE};
use common::{complete, start_with, start_with_relay, Checked};
use enroll_api::mail::relay::Security;
use enroll_api::store::Delivery;
use reqwest::Method;
use test_relay::mail::Mail;
use test_relay::{Relay, RelayOptions};

/// A relay that does not offer STARTTLS is not sent a code in the clear:
/// the email fails, saying why. `?tls=none` on loopback delivers.
#[backends]
async fn a_relay_without_starttls_is_refused_unless_told_it_is_on_loopback() {
    let plain = Relay::start(RelayOptions {
        starttls: false,
        credentials: None,
        ..RelayOptions::default()
    })
    .await;
    let api = start_with_relay(plain.clone(), |options| {
        if let Some(relay) = &mut options.mail.relay {
            relay.login = None;
        }
    })
    .await;
    let (id, token) = unproven_draft(&api).await;
    ask(&api, &id, &token, "admin-email/code").await;
    let row = newest(&api, "admin_code").await;
    let row = api.email_reaches(row.id, Delivery::Failed).await;
    assert!(
        row.last_reply.as_deref().unwrap_or("").contains("STARTTLS"),
        "{row:#?}"
    );
    assert!(
        row.erased && row.body.is_empty(),
        "the code is gone: {row:#?}"
    );
    assert!(plain.attempts().is_empty(), "nothing was handed over");
    // The applicant waiting on the code page is told.
    let delivery = api
        .request(Method::GET, &format!("/applications/{id}/admin-email/code"))
        .bearer_auth(&token)
        .checked()
        .await;
    assert_eq!(delivery.body["delivery"], "failed");

    let api = start_with_relay(plain.clone(), |options| {
        if let Some(relay) = &mut options.mail.relay {
            relay.login = None;
            relay.address.security = Security::None;
        }
    })
    .await;
    api.create(&complete()).await;
    let mail = api.all_emails().await;
    assert_eq!(mail.len(), 1);
    assert!(!plain.messages()[0].tls);
}

/// `--mail-dir` alone: each email is written as a `.eml` file a mail
/// program opens, and that is its delivery.
#[backends]
async fn with_a_mail_dir_and_no_relay_each_email_is_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("mail");
    let to = folder.clone();
    let api = start_with(move |options| {
        options.mail.relay = None;
        options.mail.mail_dir = Some(to);
    })
    .await;
    let (id, token) = unproven_draft(&api).await;
    ask(&api, &id, &token, "admin-email/code").await;
    let row = newest(&api, "admin_code").await;
    let row = api.email_reaches(row.id, Delivery::Sent).await;
    assert!(row.last_reply.unwrap_or_default().contains("written to"));
    let files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|f| f.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].extension().is_some_and(|e| e == "eml"));
    let received = test_relay::Received {
        from: String::new(),
        to: vec![JANE.into()],
        data: std::fs::read(&files[0]).unwrap(),
        tls: false,
        authenticated_as: None,
    };
    let mail = Mail::from(&received);
    assert_eq!(mail.kind, "admin_code");
    assert_eq!(mail.code().len(), 6);
    assert!(api.relay.attempts().is_empty());
}
