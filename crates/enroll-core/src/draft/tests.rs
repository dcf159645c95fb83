//! Tests of `draft`, kept apart from its code (they are as long).

use super::*;
use crate::msg;

fn done(etag: &str) -> Answer {
    Answer::Done { etag: etag.into() }
}

fn save(etag: &str) -> Vec<Command> {
    vec![Command::Save { etag: etag.into() }]
}

fn submit(etag: &str, key: &str) -> Vec<Command> {
    vec![Command::Submit {
        etag: etag.into(),
        key: key.into(),
    }]
}

/// A draft saved at "v1".
fn saved() -> Lifecycle {
    let mut draft = Lifecycle::new();
    draft.edited();
    assert_eq!(draft.save_now(), [Command::Create]);
    assert_eq!(draft.answered(Request::Save, done("v1")), []);
    assert_eq!(draft.save_status(), SaveStatus::Saved);
    draft
}

/// An edit, then Accept and send: the answers are saved over version
/// `at`, then submitted under `key`.
fn edit_and_send(draft: &mut Lifecycle, at: &str, key: &str) {
    draft.edited();
    assert_eq!(draft.submit_pressed(key.into()), save(at));
    assert!(draft.submitting());
    let next = format!("{at}+");
    assert_eq!(
        draft.answered(Request::Save, done(&next)),
        submit(&next, key)
    );
}

fn retry_delays(commands: &[Command]) -> Vec<u32> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::RetryAfter { millis, .. } => Some(*millis),
            _ => None,
        })
        .collect()
}

#[test]
fn there_is_nothing_to_save_before_the_first_continue() {
    let mut draft = Lifecycle::new();
    draft.edited();
    assert_eq!(draft.autosave_due(), []);
    assert_eq!(draft.save_status(), SaveStatus::New);
}

#[test]
fn edits_during_a_save_are_saved_right_after_it() {
    let mut draft = saved();
    draft.edited();
    assert_eq!(draft.autosave_due(), save("v1"));
    assert_eq!(draft.save_status(), SaveStatus::Saving);
    // Typing goes on while the save is under way: no second request.
    draft.edited();
    assert_eq!(draft.autosave_due(), []);
    assert_eq!(draft.save_now(), []);
    // Its answer sends the latest answers over the new version.
    assert_eq!(draft.answered(Request::Save, done("v2")), save("v2"));
    assert_eq!(draft.answered(Request::Save, done("v3")), []);
    assert_eq!(draft.save_status(), SaveStatus::Saved);
    assert_eq!(draft.autosave_due(), []);
}

#[test]
fn a_conflict_waits_for_the_applicant_and_keeps_both_versions() {
    let mut draft = saved();
    draft.edited();
    draft.autosave_due();
    assert_eq!(draft.answered(Request::Save, Answer::Stale), []);
    let trouble = draft.trouble().unwrap();
    assert_eq!(trouble, &Trouble::Conflict);
    assert_eq!(trouble.next_action(), NextAction::ChooseVersion);
    // Nothing is saved over the other version meanwhile, however much
    // the applicant types.
    draft.edited();
    assert_eq!(draft.autosave_due(), []);
    assert_eq!(draft.save_now(), []);
    assert_eq!(draft.submit_pressed("k".into()), []);

    // Keep mine: read the newer version's ETag, save these over it.
    let mut mine = draft.clone();
    assert_eq!(mine.keep_mine(), [Command::Reload]);
    assert_eq!(mine.answered(Request::Reload, done("v9")), save("v9"));
    assert_eq!(mine.answered(Request::Save, done("v10")), []);
    assert_eq!(mine.save_status(), SaveStatus::Saved);

    // Take the saved one: it replaces the answers on screen.
    let mut theirs = draft;
    assert_eq!(theirs.take_saved(), [Command::Reload]);
    assert_eq!(
        theirs.answered(Request::Reload, done("v9")),
        [Command::ShowReloaded]
    );
    assert_eq!(theirs.trouble(), None);
}

#[test]
fn unreachable_retries_with_backoff_and_saving_resumes() {
    let mut draft = saved();
    draft.edited();
    draft.autosave_due();
    let mut delays = Vec::new();
    for _ in 0..7 {
        let commands = draft.answered(Request::Save, Answer::Unreachable);
        delays.extend(retry_delays(&commands));
        let Some(Command::RetryAfter { token, .. }) = commands.first() else {
            panic!("{commands:?}");
        };
        let trouble = draft.trouble().unwrap().clone();
        assert!(matches!(trouble, Trouble::Offline { .. }), "{trouble:?}");
        assert_eq!(trouble.next_action(), NextAction::RetryNow);
        // Typing offline: nothing is dropped, nothing sent early.
        draft.edited();
        assert_eq!(draft.autosave_due(), []);
        assert_eq!(draft.retry_due(*token), save("v1"));
    }
    assert_eq!(delays, [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    // Back online: every edit made meanwhile is in this save.
    assert_eq!(draft.answered(Request::Save, done("v2")), []);
    assert_eq!(draft.save_status(), SaveStatus::Saved);
    assert_eq!(draft.trouble(), None);
    // The next failure starts from the shortest delay again.
    draft.edited();
    draft.autosave_due();
    let commands = draft.answered(Request::Save, Answer::ServerError);
    assert_eq!(retry_delays(&commands), [1_000]);
}

#[test]
fn try_again_now_sends_at_once_and_voids_the_scheduled_retry() {
    let mut draft = saved();
    draft.edited();
    draft.autosave_due();
    let commands = draft.answered(Request::Save, Answer::Unreachable);
    let Some(Command::RetryAfter { token, .. }) = commands.first().cloned() else {
        panic!();
    };
    assert_eq!(draft.retry_now(), save("v1"));
    assert_eq!(draft.retry_due(token), []);
    assert_eq!(draft.retry_now(), []);
}

#[test]
fn throttling_waits_as_long_as_the_server_asks() {
    let mut draft = saved();
    draft.edited();
    draft.autosave_due();
    let commands = draft.answered(
        Request::Save,
        Answer::Throttled {
            retry_after_secs: Some(42),
        },
    );
    assert_eq!(retry_delays(&commands), [42_000]);
    assert_eq!(draft.trouble().unwrap().retry_in_secs(), Some(42));
}

#[test]
fn an_expired_link_and_a_server_error_are_shown_with_what_to_do() {
    let mut draft = saved();
    draft.edited();
    draft.autosave_due();
    draft.answered(Request::Save, Answer::ServerError);
    let trouble = draft.trouble().unwrap();
    assert_eq!(trouble.message_key(), msg::DRAFT_SERVER_ERROR);
    assert_eq!(trouble.next_action(), NextAction::RetryNow);
    assert_eq!(draft.save_status(), SaveStatus::Trouble);

    let mut draft = saved();
    draft.edited();
    draft.autosave_due();
    assert_eq!(draft.answered(Request::Save, Answer::Expired), []);
    let trouble = draft.trouble().unwrap();
    assert_eq!(trouble.message_key(), msg::DRAFT_EXPIRED);
    assert_eq!(trouble.next_action(), NextAction::StartAgain);
    draft.edited();
    assert_eq!(draft.autosave_due(), []);
    // Starting again saves the answers on screen as a new draft.
    assert_eq!(draft.start_again(), [Command::Create]);
    assert_eq!(draft.answered(Request::Save, done("n1")), []);
    assert_eq!(draft.save_status(), SaveStatus::Saved);
}

#[test]
fn a_double_press_and_retries_reuse_one_key() {
    let mut draft = saved();
    assert_eq!(draft.submit_pressed("k1".into()), submit("v1", "k1"));
    assert!(draft.submitting());
    assert_eq!(draft.submit_pressed("k2".into()), []);
    let commands = draft.answered(Request::Submit, Answer::Unreachable);
    assert!(draft.submitting());
    assert_eq!(draft.submit_pressed("k3".into()), []);
    let Some(Command::RetryAfter { token, .. }) = commands.first().cloned() else {
        panic!("{commands:?}");
    };
    assert_eq!(draft.retry_due(token), submit("v1", "k1"));
    let commands = draft.answered(Request::Submit, Answer::ServerError);
    assert_eq!(retry_delays(&commands), [2_000]);
    assert_eq!(draft.retry_now(), submit("v1", "k1"));
    assert_eq!(draft.answered(Request::Submit, done("v2")), []);
    assert!(draft.submitted());
    assert_eq!(draft.submit_pressed("k4".into()), []);
}

#[test]
fn submit_waits_for_the_answers_to_be_saved() {
    let mut draft = saved();
    draft.edited();
    assert_eq!(draft.submit_pressed("k1".into()), save("v1"));
    // A second press while the answers are saved changes nothing.
    assert_eq!(draft.submit_pressed("k2".into()), []);
    assert_eq!(
        draft.answered(Request::Save, done("v2")),
        submit("v2", "k1")
    );
}

#[test]
fn more_information_then_an_edit_is_a_new_submission() {
    let mut draft = saved();
    draft.submit_pressed("k1".into());
    draft.answered(Request::Submit, done("v2"));
    assert!(draft.submitted());
    // A reviewer asks for more; the applicant reopens and edits.
    draft.reopened("v3".into());
    assert!(!draft.submitted());
    edit_and_send(&mut draft, "v3", "k2");
}

#[test]
fn an_mpn_id_already_enrolled_is_shown_with_the_servers_words() {
    let mut draft = saved();
    draft.submit_pressed("k1".into());
    let refusal = Answer::Refused {
        code: Some(ErrorCode::MpnAlreadyEnrolled),
        message: Some("This MPN ID is already enrolled".into()),
    };
    assert_eq!(draft.answered(Request::Submit, refusal), []);
    let trouble = draft.trouble().unwrap();
    assert!(matches!(
        trouble,
        Trouble::Refused { message: Some(m), .. } if m == "This MPN ID is already enrolled"
    ));
    assert_eq!(trouble.next_action(), NextAction::FixAnswers);
    assert!(!draft.submitting());
    // Fixing the MPN ID and sending again is a new submission.
    edit_and_send(&mut draft, "v1", "k2");
    assert_eq!(draft.trouble(), None);
}

#[test]
fn invalid_answers_wait_for_an_edit() {
    let mut draft = saved();
    draft.submit_pressed("k1".into());
    let report = ValidationReport::from_problems(
        vec![crate::Problem::new(
            crate::Field::MpnId,
            crate::ProblemCode::Required,
        )],
        Vec::new(),
    );
    draft.answered(Request::Submit, Answer::Invalid(report));
    assert_eq!(
        draft.trouble().unwrap().next_action(),
        NextAction::FixAnswers
    );
    draft.edited();
    assert_eq!(draft.save_status(), SaveStatus::Unsaved);
    assert_eq!(draft.autosave_due(), save("v1"));
}

#[test]
fn a_save_after_the_application_was_sent_elsewhere_leads_to_its_status() {
    let mut draft = saved();
    draft.edited();
    draft.autosave_due();
    let refusal = Answer::Refused {
        code: Some(ErrorCode::NotEditable),
        message: None,
    };
    draft.answered(Request::Save, refusal);
    assert_eq!(draft.trouble(), Some(&Trouble::AlreadySubmitted));
    assert_eq!(
        draft.trouble().unwrap().next_action(),
        NextAction::ShowStatus
    );
    draft.edited();
    assert_eq!(draft.autosave_due(), []);
}

#[test]
fn nothing_is_sent_while_a_choice_is_carried_out() {
    let mut draft = saved();
    draft.edited();
    draft.autosave_due();
    draft.answered(Request::Save, Answer::Stale);
    assert_eq!(draft.take_saved(), [Command::Reload]);
    // The saved version cannot be read yet.
    let commands = draft.answered(Request::Reload, Answer::Unreachable);
    let Some(Command::RetryAfter { token, .. }) = commands.first().cloned() else {
        panic!("{commands:?}");
    };
    // Send pressed meanwhile: it would send answers nobody chose.
    assert_eq!(draft.submit_pressed("k1".into()), []);
    assert!(!draft.may_submit());
    draft.edited();
    assert_eq!(draft.autosave_due(), []);
    assert_eq!(draft.retry_due(token), [Command::Reload]);
    // Retrying while the Reload is under way sends nothing more.
    assert_eq!(draft.retry_now(), []);
    assert_eq!(
        draft.answered(Request::Reload, done("v9")),
        [Command::ShowReloaded]
    );
    assert!(draft.may_submit());
    assert_eq!(draft.submit_pressed("k2".into()), submit("v9", "k2"));
}

#[test]
fn an_edit_calls_off_a_submission_not_sent_yet() {
    let mut draft = saved();
    draft.submit_pressed("k1".into());
    let commands = draft.answered(Request::Submit, Answer::Unreachable);
    let Some(Command::RetryAfter { token, .. }) = commands.first().cloned() else {
        panic!("{commands:?}");
    };
    // Back to a question, an answer changed: that retry would send the
    // answers as they were.
    draft.edited();
    assert!(!draft.submitting());
    assert_eq!(draft.retry_due(token), []);
    assert_eq!(draft.autosave_due(), save("v1"));
    assert_eq!(draft.answered(Request::Save, done("v2")), []);
    assert!(!draft.submitted());
    // Sent again from Check: a new submission.
    assert_eq!(draft.submit_pressed("k2".into()), submit("v2", "k2"));
}

#[test]
fn a_retry_scheduled_before_a_draft_was_opened_is_void() {
    let mut draft = saved();
    draft.edited();
    draft.autosave_due();
    let commands = draft.answered(Request::Save, Answer::Unreachable);
    let Some(Command::RetryAfter { token, .. }) = commands.first().cloned() else {
        panic!("{commands:?}");
    };
    draft.reopened("v5".into());
    draft.edited();
    draft.autosave_due();
    let again = draft.answered(Request::Save, Answer::Unreachable);
    assert!(!matches!(again.first(), Some(Command::RetryAfter { token: t, .. }) if *t == token));
    assert_eq!(draft.retry_due(token), []);
}

#[test]
fn a_failed_creation_is_not_retried_by_itself() {
    let mut draft = Lifecycle::new();
    draft.edited();
    assert_eq!(draft.save_now(), [Command::Create]);
    // A lost answer may have made a draft: no timer makes another.
    assert_eq!(draft.answered(Request::Save, Answer::Unreachable), []);
    let trouble = draft.trouble().unwrap();
    assert_eq!(trouble, &Trouble::NotSaved);
    assert_eq!(trouble.next_action(), NextAction::RetryNow);
    // Continue, or Try again now, tries again.
    assert_eq!(draft.save_now(), [Command::Create]);
    assert_eq!(draft.answered(Request::Save, Answer::ServerError), []);
    assert_eq!(draft.retry_now(), [Command::Create]);
    assert!(draft.creating());
    assert_eq!(draft.answered(Request::Save, done("v1")), []);
    assert_eq!(draft.save_status(), SaveStatus::Saved);
}

#[test]
fn every_trouble_reads_without_a_placeholder_in_every_locale() {
    let report = ValidationReport::default();
    let troubles = [
        Trouble::Offline { retry_in_secs: 4 },
        Trouble::ServerError { retry_in_secs: 4 },
        Trouble::Throttled { retry_in_secs: 4 },
        Trouble::NotSaved,
        Trouble::Conflict,
        Trouble::Expired,
        Trouble::Gone,
        Trouble::AlreadySubmitted,
        Trouble::Invalid(report),
        Trouble::Refused {
            code: None,
            message: None,
        },
    ];
    for locale in crate::Locale::ALL {
        let catalog = crate::Catalog::get(locale);
        for trouble in &troubles {
            let text = catalog.text(trouble.message_key());
            assert!(!text.contains('{'), "{text}");
        }
    }
}

#[test]
fn submit_before_the_draft_exists_creates_it_first() {
    let mut draft = Lifecycle::new();
    draft.edited();
    assert_eq!(draft.submit_pressed("k1".into()), [Command::Create]);
    assert_eq!(
        draft.answered(Request::Save, done("v1")),
        submit("v1", "k1")
    );
}
