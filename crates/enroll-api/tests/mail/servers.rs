//! The sender across servers and their lifetimes: a server killed mid
//! send, two servers on one database, a send cut short by shutdown.

use crate::common;

use test_postgres::backends;

use common::instances::{self, Process};
use common::mail::{newest, JANE};
use common::wait::eventually;
use common::{complete, start_with_relay, MAIL_PATIENCE};
use enroll_api::secret::SecretKeys;
use enroll_api::store::Delivery;
use serde_json::json;
use std::time::Duration;
use test_relay::mail::Mail;
use test_relay::{Behaviour, Outcome, Relay, RelayOptions};

/// `enroll-api serve` as an operator runs it, delivering to `relay`.
fn serve(database: &str, relay: &Relay, certificate: &std::path::Path) -> (Process, String) {
    let key = SecretKeys::new_base64().unwrap();
    instances::serve(database, relay, certificate, &key, &[])
}

/// The server is killed while the relay has the email but has not
/// answered; started again on the same database, it sends the email once
/// the dead one's lease has run out. Nothing is lost.
#[backends]
async fn a_server_killed_mid_send_delivers_after_the_lease() {
    let relay = Relay::start(RelayOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let database = common::fresh_database(dir.path()).await;
    let certificate = dir.path().join("relay.pem");
    std::fs::write(&certificate, relay.certificate_pem()).unwrap();
    relay.script(JANE, [Behaviour::Stall]);
    let (mut first, url) = serve(&database, &relay, &certificate);
    let client = reqwest::Client::new();
    let created: serde_json::Value = client
        .post(format!("{url}/api/v1/applications"))
        .json(&complete())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (id, token) = (
        created["id"].as_str().unwrap(),
        created["resume_token"].as_str().unwrap(),
    );
    let asked = client
        .post(format!("{url}/api/v1/applications/{id}/admin-email/code"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), 202);
    eventually("the relay got the email", || async {
        !relay.attempts().is_empty()
    })
    .await;
    assert_eq!(relay.attempts()[0].outcome, Outcome::Stalled);
    first.kill();
    let store = enroll_api::store::Store::open(&database).await.unwrap();
    let rows = store.outbox(None).await.unwrap();
    assert_eq!(rows[0].state, Delivery::Sending, "claimed when it died");
    let (mut second, _) = serve(&database, &relay, &certificate);
    let mail = relay.next_to(JANE, 0, MAIL_PATIENCE).await;
    let mail = Mail::from(&mail);
    assert_eq!(mail.kind, "admin_code");
    let row = eventually("the email no longer being sent", || async {
        let row = store.outbox(None).await.unwrap().remove(0);
        match row.state {
            Delivery::Sending => Err(row),
            _ => Ok(row),
        }
    })
    .await;
    second.kill();
    assert_eq!((row.state, row.attempts), (Delivery::Sent, 2));
    assert_eq!(relay.messages().len(), 1);
}

/// Two servers on one database send each email once between them.
#[backends]
async fn two_servers_on_one_database_never_send_one_email_twice() {
    let api = common::start(false).await;
    let mut second_options = api.options().clone();
    second_options.listen = "127.0.0.1:0".parse().unwrap();
    let second = enroll_api::RunningServer::start(second_options)
        .await
        .unwrap();
    let mut drafts = Vec::new();
    for n in 0..8 {
        let mut answers = complete();
        answers["admin"]["email"] = json!(format!("jane{n}@contoso.com"));
        drafts.push(api.create(&answers).await);
    }
    for draft in &drafts {
        // A link asked of each server.
        for server in [api.server.url(), second.url()] {
            let asked = reqwest::Client::new()
                .post(format!(
                    "{server}/api/v1/applications/{}/resume-email",
                    draft.id
                ))
                .bearer_auth(&draft.token)
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            assert_eq!(asked.status(), 202);
        }
    }
    let emails = api.all_emails().await;
    assert_eq!(emails.len(), 8 * 3, "a code and two links each");
    let mut ids: Vec<&str> = emails.iter().map(|m| m.message_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), emails.len(), "none twice");
    assert_eq!(api.relay.attempts().len(), emails.len());
    second.shutdown().await;
}

/// Stopping waits briefly for a send; one still under way then is ended
/// and its email is due again at once, not after its lease.
#[backends]
async fn a_send_cut_short_by_shutdown_is_due_again_at_once() {
    let relay = Relay::start(RelayOptions::default()).await;
    let api = start_with_relay(relay.clone(), |options| {
        options.mail.shutdown_wait = Duration::from_millis(300);
    })
    .await;
    let draft = api.create(&complete()).await;
    relay.script(JANE, [Behaviour::Stall]);
    assert_eq!(api.submit(&draft, &draft.etag, "k").await.status(), 200);
    let id = newest(&api, "status").await.id;
    eventually("the status email handed over", || async {
        relay.attempts().len() >= 2
    })
    .await;
    let store = api.store().await;
    api.server.shutdown().await;
    let row = store
        .outbox(None)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.id == id)
        .unwrap();
    assert_eq!(row.state, Delivery::Retrying, "{row:#?}");
}
