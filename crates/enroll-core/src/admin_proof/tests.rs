//! Tests of `admin_proof`, kept apart from its code, one rule (or two
//! that go together) each.

use super::*;

const JANE: &str = "jane.doe@contoso.com";
const JOHN: &str = "john.roe@contoso.com";

/// A code sent to `address` as the page opened with the answers saved.
fn sent_to(address: &str) -> AdminProof {
    let mut proof = AdminProof::new();
    assert_eq!(proof.page_opened(address, true), Some(SendCode));
    proof.code_sent(address);
    proof
}

#[test]
fn a_code_goes_once_per_address_as_the_code_page_opens() {
    let mut proof = sent_to(JANE);
    // Back to the admin page and on again: no second code.
    assert_eq!(proof.page_opened(JANE, true), None);
    // The same address as the server compares it.
    assert_eq!(proof.page_opened(" Jane.Doe@Contoso.com ", true), None);
    // Another address has had none.
    assert_eq!(proof.page_opened(JOHN, true), Some(SendCode));
    proof.code_sent(JOHN);
    assert_eq!(proof.page_opened(JOHN, true), None);
    // Back to the first: the last code went elsewhere, so one goes again.
    assert_eq!(proof.page_opened(JANE, true), Some(SendCode));
}

#[test]
fn a_new_code_goes_only_when_the_applicant_asks_and_is_said_new() {
    let mut proof = sent_to(JANE);
    assert!(!proof.resent(), "the first code is not a new one");
    assert_eq!(proof.asked_again(true), Some(SendCode));
    proof.code_sent(JANE);
    assert!(proof.resent());
    // Asked again and again: each time a code goes.
    assert_eq!(proof.asked_again(true), Some(SendCode));
    assert!(!proof.resent(), "not said new before it is sent");
    proof.code_sent(JANE);
    assert!(proof.resent());
    // The page opening again is not asking.
    assert_eq!(proof.page_opened(JANE, true), None);
    assert!(proof.resent());
}

#[test]
fn no_code_is_asked_for_before_the_answers_are_saved() {
    let mut proof = AdminProof::new();
    // The server would send to the address it has: an older one, or none.
    assert_eq!(proof.page_opened(JANE, false), None);
    assert_eq!(proof.asked_again(false), None);
    assert!(!proof.sending());
    // Saved now: the page's next look sends one.
    assert_eq!(proof.page_opened(JANE, true), Some(SendCode));
    proof.code_sent(JANE);
    // An edit not saved yet holds a new code back too.
    assert_eq!(proof.asked_again(false), None);
}

#[test]
fn one_request_for_a_code_at_a_time() {
    let mut proof = AdminProof::new();
    assert_eq!(proof.page_opened(JANE, true), Some(SendCode));
    assert!(proof.sending());
    assert_eq!(proof.page_opened(JANE, true), None);
    assert_eq!(proof.asked_again(true), None);
    assert_eq!(proof.page_opened(JOHN, true), None);
    proof.code_sent(JANE);
    assert!(!proof.sending());
    assert_eq!(proof.asked_again(true), Some(SendCode));
    assert_eq!(proof.asked_again(true), None);
}

#[test]
fn after_a_failed_request_another_may_go() {
    let mut proof = AdminProof::new();
    assert_eq!(proof.page_opened(JANE, true), Some(SendCode));
    proof.send_failed();
    assert!(!proof.sending());
    assert!(!proof.code_went_to(JANE), "no code went");
    assert_eq!(proof.page_opened(JANE, true), Some(SendCode));
    proof.code_sent(JANE);
    // A new code that failed: the last one sent is still the one that
    // counts, and it was not a new one asked for.
    assert_eq!(proof.asked_again(true), Some(SendCode));
    proof.send_failed();
    assert!(proof.code_went_to(JANE));
    assert!(!proof.resent());
    assert_eq!(proof.asked_again(true), Some(SendCode));
}

#[test]
fn where_the_server_says_it_sent_the_code_is_what_counts() {
    let mut proof = AdminProof::new();
    assert_eq!(proof.page_opened(JANE, true), Some(SendCode));
    // Asked for, not sent: the page does not say it was.
    assert!(!proof.code_went_to(JANE));
    assert_eq!(proof.sent_to(), None);
    // The server had another address (saved in another tab, say).
    proof.code_sent(" John.Roe@Contoso.com");
    assert!(!proof.code_went_to(JANE));
    assert!(proof.code_went_to(JOHN));
    assert_eq!(proof.sent_to(), Some(JOHN));
    // So Jane's address still has no code: the page asks for one.
    assert_eq!(proof.page_opened(JANE, true), Some(SendCode));
}

#[test]
fn proven_is_only_the_address_the_server_last_said_was() {
    let mut proof = AdminProof::new();
    assert!(!proof.is_proven(JANE));
    assert!(!proof.is_proven(""));
    proof.server_said(Some("Jane.Doe@Contoso.com"));
    // Compared as the server compares addresses.
    assert!(proof.is_proven(" jane.doe@contoso.COM "));
    assert!(!proof.is_proven(JOHN));
    // The code typed proved John's; then the server's next answer says
    // nothing is proven (the address changed since): it has the last word.
    proof.proved(JOHN);
    assert!(proof.is_proven(JOHN));
    assert!(!proof.is_proven(JANE));
    proof.server_said(None);
    assert!(!proof.is_proven(JOHN));
    assert!(!proof.is_proven(JANE));
}

#[test]
fn a_changed_address_is_no_longer_proven() {
    let mut proof = AdminProof::new();
    proof.proved("Jane.Doe@Contoso.com");
    assert!(proof.is_proven(JANE));
    // The applicant typed another address: not proven, whatever was.
    assert!(!proof.is_proven(JOHN));
    assert!(!proof.is_proven("jane.doe@contoso.co"));
    // Typed back before anything was saved: the server still says it is.
    assert!(proof.is_proven(JANE));
}

#[test]
fn proving_and_sending_are_apart() {
    // A proof says nothing of codes, nor a code of proof.
    let mut proof = sent_to(JANE);
    assert!(!proof.is_proven(JANE));
    proof.proved(JANE);
    assert_eq!(proof.page_opened(JANE, true), None);
    assert_eq!(proof.sent_to(), Some(JANE));
}
