//! The draft's lifecycle between the wizard and the API: autosave behind
//! the ETag, the choice after a conflict, retries while the server cannot
//! be reached, and submission under one idempotency key.
//!
//! Plain data. The app tells it what happened (an edit, a press, the
//! server's answer, a timer) and carries out the commands it returns; the
//! tests below drive it the same way. Its rules:
//! - one request at a time, and the latest answers win: edits made while a
//!   save is under way are saved right after it;
//! - no failure stops saving silently: each one is a `Trouble` the
//!   applicant sees, with what to do next;
//! - while the server cannot be reached the answers stay on the page and
//!   the request is retried with a growing delay; saving resumes by itself;
//! - a 412 (changed elsewhere) is never resolved without the applicant;
//! - one idempotency key per submission, kept across retries and double
//!   presses; a new one only after a refusal or when a reviewer asks for
//!   more information.

use crate::{ErrorCode, ValidationReport};

/// What the app must do next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Create the draft with the answers on screen (a new draft: any
    /// earlier one is forgotten).
    Create,
    /// Save the answers on screen over the version `etag` (If-Match).
    Save { etag: String },
    /// Submit version `etag` under this Idempotency-Key.
    Submit { etag: String, key: String },
    /// Read the draft as the server has it, for the choice after a 412.
    Reload,
    /// Call `Lifecycle::retry_due(token)` after this many milliseconds.
    RetryAfter { millis: u32, token: u32 },
    /// Put the answers just reloaded on screen, in place of these.
    ShowReloaded,
}

/// The requests whose answers the lifecycle awaits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    /// `Command::Create` or `Command::Save`.
    Save,
    Submit,
    Reload,
}

/// How the server answered, told apart as far as the lifecycle needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// 2xx, with the draft's ETag now.
    Done { etag: String },
    /// No answer at all: offline, the server down, blocked on the way.
    Unreachable,
    /// 5xx, or an answer that is not the contract.
    ServerError,
    /// 429, with the server's Retry-After in seconds if it gave one.
    Throttled { retry_after_secs: Option<u32> },
    /// 401: the resume link's token is not (or no longer) valid.
    Expired,
    /// 404: there is no such draft.
    Gone,
    /// 412: the draft changed elsewhere since the version these answers
    /// started from.
    Stale,
    /// 422: answers refused, each problem at its field.
    Invalid(ValidationReport),
    /// Any other refusal, with its code and the server's message in the
    /// applicant's language when it gave one (409 `not_editable`, 409
    /// `mpn_already_enrolled`, …).
    Refused {
        code: Option<ErrorCode>,
        message: Option<String>,
    },
}

/// Something the applicant has to know about, with what to do next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trouble {
    /// The server cannot be reached: the answers stay here, and the
    /// request goes again in `retry_in_secs`.
    Offline { retry_in_secs: u32 },
    /// The server failed: tried again in `retry_in_secs`.
    ServerError { retry_in_secs: u32 },
    /// Too many requests: tried again in `retry_in_secs`.
    Throttled { retry_in_secs: u32 },
    /// The draft could not be created: the answers stay here, and are
    /// sent again when the applicant goes on or tries again. Not by
    /// itself: a creation whose answer was lost may have made a draft, and
    /// each retry would make another.
    NotSaved,
    /// Changed elsewhere: keep these answers, or take the saved ones.
    Conflict,
    /// The resume link no longer works: the answers on screen can go into
    /// a new draft.
    Expired,
    /// The draft no longer exists: as `Expired`.
    Gone,
    /// The application was sent (in another tab, on another device).
    AlreadySubmitted,
    /// Answers refused: their problems are shown at their fields.
    Invalid(ValidationReport),
    /// Refused for a reason the server states.
    Refused {
        code: Option<ErrorCode>,
        message: Option<String>,
    },
}

/// What the applicant can do about a `Trouble`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextAction {
    /// Send the request again now (`Lifecycle::retry_now`).
    RetryNow,
    /// Keep these answers or take the saved version
    /// (`Lifecycle::keep_mine`, `Lifecycle::take_saved`).
    ChooseVersion,
    /// Save these answers as a new draft (`Lifecycle::start_again`).
    StartAgain,
    /// See where the sent application is.
    ShowStatus,
    /// Correct the answers marked at their fields.
    FixAnswers,
}

impl Trouble {
    pub fn next_action(&self) -> NextAction {
        match self {
            Self::Offline { .. }
            | Self::ServerError { .. }
            | Self::Throttled { .. }
            | Self::NotSaved => NextAction::RetryNow,
            Self::Conflict => NextAction::ChooseVersion,
            Self::Expired | Self::Gone => NextAction::StartAgain,
            Self::AlreadySubmitted => NextAction::ShowStatus,
            Self::Invalid(_) | Self::Refused { .. } => NextAction::FixAnswers,
        }
    }

    /// The catalog key of what to tell the applicant (for `Refused`, when
    /// the server gave no message of its own).
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Offline { .. } => "draft.offline",
            Self::ServerError { .. } => "draft.server_error",
            Self::Throttled { .. } => "draft.throttled",
            Self::NotSaved => "draft.not_saved",
            Self::Conflict => "save.conflict",
            Self::Expired => "draft.expired",
            Self::Gone => "draft.gone",
            Self::AlreadySubmitted => "draft.already_submitted",
            Self::Invalid(_) => "app.invalid_answers",
            Self::Refused { .. } => "app.server_error",
        }
    }

    /// Seconds until the request goes again by itself, if it will.
    pub fn retry_in_secs(&self) -> Option<u32> {
        match self {
            Self::Offline { retry_in_secs }
            | Self::ServerError { retry_in_secs }
            | Self::Throttled { retry_in_secs } => Some(*retry_in_secs),
            _ => None,
        }
    }
}

/// The save indicator's states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveStatus {
    /// No draft yet (it is created by the first Continue).
    New,
    /// Edits the server does not have yet.
    Unsaved,
    Saving,
    Saved,
    /// See `Lifecycle::trouble`.
    Trouble,
}

/// The first retry waits this long; each next one twice as long, up to
/// `RETRY_MAX_MILLIS`.
const RETRY_FIRST_MILLIS: u32 = 1_000;
const RETRY_MAX_MILLIS: u32 = 30_000;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lifecycle {
    /// Whether the server has a draft for these answers.
    exists: bool,
    /// The version the answers on screen started from.
    etag: String,
    /// Edits so far, and how many of them the server has.
    edits: u64,
    saved_edits: u64,
    /// The request under way, and for a save, the edits it carries.
    in_flight: Option<(Request, u64)>,
    /// The request a retry will send again, and how many times it failed.
    retrying: Option<Request>,
    failures: u32,
    /// Bumped whenever a scheduled retry becomes void.
    retry_token: u32,
    trouble: Option<Trouble>,
    /// After a 412: whether the applicant keeps these answers (set while
    /// the saved version is being read).
    keep_mine: Option<bool>,
    /// The key of the submission under way; kept until it is answered for
    /// good, so that no retry or second press can submit twice.
    submit_key: Option<String>,
    /// Submit was pressed while answers were still being saved.
    submit_waiting: bool,
    submitted: bool,
}

impl Lifecycle {
    /// A lifecycle for answers not yet saved anywhere.
    pub fn new() -> Self {
        Self::default()
    }

    /// The draft opened from a resume link (or reopened after a reviewer
    /// asked for more information) is now the one: saved, at version
    /// `etag`. Whatever was under way is forgotten, its answer ignored, and
    /// any retry scheduled before is void.
    pub fn opened(&mut self, etag: String, submitted: bool) {
        let retry_token = self.retry_token + 1;
        *self = Self {
            exists: true,
            etag,
            submitted,
            retry_token,
            ..Self::default()
        };
    }

    pub fn save_status(&self) -> SaveStatus {
        if self.trouble.is_some() {
            SaveStatus::Trouble
        } else if matches!(self.in_flight, Some((Request::Save, _))) {
            SaveStatus::Saving
        } else if !self.exists {
            SaveStatus::New
        } else if self.edits > self.saved_edits {
            SaveStatus::Unsaved
        } else {
            SaveStatus::Saved
        }
    }

    pub fn trouble(&self) -> Option<&Trouble> {
        self.trouble.as_ref()
    }

    /// Whether a submission is under way (sent, waiting for a save, or
    /// waiting to be retried).
    pub fn submitting(&self) -> bool {
        self.submit_waiting
            || matches!(self.in_flight, Some((Request::Submit, _)))
            || self.retrying == Some(Request::Submit)
    }

    pub fn submitted(&self) -> bool {
        self.submitted
    }

    /// The applicant changed an answer. A submission not sent yet (waiting
    /// for a save, or for its retry) is called off: what was pressed was
    /// the answers as they were; the applicant sends again from Check.
    pub fn edited(&mut self) {
        self.edits += 1;
        if self.submit_waiting || self.retrying == Some(Request::Submit) {
            self.submit_waiting = false;
            self.submit_key = None;
            if self.retrying.take().is_some() {
                self.retry_token += 1;
                self.failures = 0;
                self.trouble = None;
            }
        }
        // Refused answers are fixed by editing them: save again.
        if matches!(
            self.trouble,
            Some(Trouble::Invalid(_) | Trouble::Refused { .. })
        ) {
            self.trouble = None;
        }
    }

    /// A pause in typing: save if there is a draft and something new.
    pub fn autosave_due(&mut self) -> Vec<Command> {
        if !self.exists || self.edits == self.saved_edits {
            return Vec::new();
        }
        self.save_now()
    }

    /// Save now (Continue, "Save and come back later"): creates the draft
    /// the first time.
    pub fn save_now(&mut self) -> Vec<Command> {
        if self.in_flight.is_some() || self.retrying.is_some() || self.blocked() {
            // Whatever is under way ends by saving the latest answers.
            return Vec::new();
        }
        if self.exists && self.edits == self.saved_edits {
            return Vec::new();
        }
        vec![self.send_save()]
    }

    /// Submit pressed; `fresh_key` is used only if no submission is under
    /// way (a double press or a retry keeps the first key).
    pub fn submit_pressed(&mut self, fresh_key: String) -> Vec<Command> {
        if self.submitted || self.submitting() || self.blocked() {
            return Vec::new();
        }
        self.submit_key.get_or_insert(fresh_key);
        if !matches!(
            self.trouble,
            Some(Trouble::Offline { .. } | Trouble::ServerError { .. } | Trouble::Throttled { .. })
        ) {
            self.trouble = None;
        }
        if !self.exists || self.edits > self.saved_edits || self.in_flight.is_some() {
            self.submit_waiting = true;
            return self.save_now();
        }
        vec![self.send_submit()]
    }

    /// The server answered `request`.
    pub fn answered(&mut self, request: Request, answer: Answer) -> Vec<Command> {
        let carried = match self.in_flight.take() {
            Some((sent, edits)) if sent == request => edits,
            other => {
                // Not the answer awaited (cannot happen with one request at
                // a time); ignored rather than trusted.
                self.in_flight = other;
                return Vec::new();
            }
        };
        let failed_creation = request == Request::Save && !self.exists;
        match answer {
            Answer::Done { etag } => self.done(request, carried, etag),
            Answer::Unreachable | Answer::ServerError | Answer::Throttled { .. }
                if failed_creation =>
            {
                // Not retried by itself (see `Trouble::NotSaved`); a
                // submission pressed meanwhile waits for the draft.
                self.trouble = Some(Trouble::NotSaved);
                Vec::new()
            }
            Answer::Unreachable => {
                self.retry_later(request, None, |s| Trouble::Offline { retry_in_secs: s })
            }
            Answer::ServerError => {
                self.retry_later(request, None, |s| Trouble::ServerError { retry_in_secs: s })
            }
            Answer::Throttled { retry_after_secs } => {
                let after = retry_after_secs.map(|s| s.saturating_mul(1000));
                self.retry_later(request, after, |s| Trouble::Throttled { retry_in_secs: s })
            }
            refusal => {
                // A refusal for good: nothing is retried, the submission
                // (if any) is over, and the applicant decides what next.
                self.failures = 0;
                self.submit_waiting = false;
                self.submit_key = None;
                self.keep_mine = None;
                self.trouble = Some(match refusal {
                    Answer::Expired => Trouble::Expired,
                    Answer::Gone => Trouble::Gone,
                    Answer::Stale => Trouble::Conflict,
                    Answer::Invalid(report) => Trouble::Invalid(report),
                    Answer::Refused {
                        code: Some(ErrorCode::NotEditable),
                        ..
                    } => Trouble::AlreadySubmitted,
                    Answer::Refused { code, message } => Trouble::Refused { code, message },
                    _ => unreachable!("handled above"),
                });
                Vec::new()
            }
        }
    }

    /// A retry's delay is over (`token` from its `Command::RetryAfter`).
    pub fn retry_due(&mut self, token: u32) -> Vec<Command> {
        if token != self.retry_token {
            return Vec::new();
        }
        self.retry_now()
    }

    /// "Try again now", or a retry's delay is over: the request that
    /// failed goes again (a submission under the same key).
    pub fn retry_now(&mut self) -> Vec<Command> {
        if self.in_flight.is_some() {
            return Vec::new();
        }
        if self.trouble == Some(Trouble::NotSaved) {
            self.trouble = None;
            return self.save_now();
        }
        let Some(request) = self.retrying.take() else {
            return Vec::new();
        };
        self.retry_token += 1;
        vec![match request {
            Request::Save => self.send_save(),
            Request::Submit => self.send_submit(),
            Request::Reload => self.send(Request::Reload, Command::Reload),
        }]
    }

    /// After a 412: save these answers over the newer version.
    pub fn keep_mine(&mut self) -> Vec<Command> {
        self.choose(true)
    }

    /// After a 412: show the saved version instead of these answers.
    pub fn take_saved(&mut self) -> Vec<Command> {
        self.choose(false)
    }

    /// After a 401 or 404: the answers on screen become a new draft.
    pub fn start_again(&mut self) -> Vec<Command> {
        if !matches!(self.trouble, Some(Trouble::Expired | Trouble::Gone)) {
            return Vec::new();
        }
        self.trouble = None;
        self.exists = false;
        self.submitted = false;
        vec![self.send_save()]
    }

    /// A reviewer asked for more information and the applicant reopens the
    /// answers at version `etag`: the next submission is a new one.
    pub fn reopened(&mut self, etag: String) {
        self.opened(etag, false);
    }

    /// Whether the answer awaited is that of a new draft's creation.
    pub fn creating(&self) -> bool {
        !self.exists && matches!(self.in_flight, Some((Request::Save, _)))
    }

    /// Whether Accept and send would do anything now.
    pub fn may_submit(&self) -> bool {
        !self.submitted && !self.submitting() && !self.blocked()
    }

    fn choose(&mut self, keep_mine: bool) -> Vec<Command> {
        if self.trouble != Some(Trouble::Conflict) || self.in_flight.is_some() {
            return Vec::new();
        }
        self.keep_mine = Some(keep_mine);
        vec![self.send(Request::Reload, Command::Reload)]
    }

    /// A conflict, an expired link, a gone draft or a sent application:
    /// no save may go until the applicant has chosen what to do, and none
    /// while that choice is carried out.
    fn blocked(&self) -> bool {
        // A choice after a conflict is under way until the saved version
        // is read (its retries included).
        self.keep_mine.is_some()
            || matches!(
                self.trouble,
                Some(
                    Trouble::Conflict
                        | Trouble::Expired
                        | Trouble::Gone
                        | Trouble::AlreadySubmitted
                )
            )
    }

    fn done(&mut self, request: Request, carried: u64, etag: String) -> Vec<Command> {
        self.etag = etag;
        self.failures = 0;
        self.trouble = None;
        match request {
            Request::Save => {
                self.exists = true;
                self.saved_edits = carried;
                if self.edits > self.saved_edits {
                    vec![self.send_save()]
                } else if self.submit_waiting {
                    self.submit_waiting = false;
                    vec![self.send_submit()]
                } else {
                    Vec::new()
                }
            }
            Request::Submit => {
                self.submitted = true;
                self.submit_key = None;
                Vec::new()
            }
            Request::Reload => match self.keep_mine.take() {
                Some(true) => vec![self.send_save()],
                _ => {
                    // The saved version replaces what is on screen (not an
                    // edit: the app shows it without telling `edited`). A
                    // submission pressed meanwhile was of other answers.
                    self.saved_edits = self.edits;
                    self.submit_waiting = false;
                    self.submit_key = None;
                    vec![Command::ShowReloaded]
                }
            },
        }
    }

    fn retry_later(
        &mut self,
        request: Request,
        after_millis: Option<u32>,
        trouble: impl FnOnce(u32) -> Trouble,
    ) -> Vec<Command> {
        let backoff = RETRY_FIRST_MILLIS
            .saturating_mul(1 << self.failures.min(5))
            .min(RETRY_MAX_MILLIS);
        let millis = after_millis.unwrap_or(backoff).max(RETRY_FIRST_MILLIS);
        self.failures += 1;
        self.retrying = Some(request);
        self.retry_token += 1;
        self.trouble = Some(trouble(millis.div_ceil(1000)));
        vec![Command::RetryAfter {
            millis,
            token: self.retry_token,
        }]
    }

    fn send_save(&mut self) -> Command {
        if self.exists {
            let etag = self.etag.clone();
            self.send(Request::Save, Command::Save { etag })
        } else {
            self.send(Request::Save, Command::Create)
        }
    }

    fn send_submit(&mut self) -> Command {
        let key = self.submit_key.clone().unwrap_or_default();
        let etag = self.etag.clone();
        self.send(Request::Submit, Command::Submit { etag, key })
    }

    fn send(&mut self, request: Request, command: Command) -> Command {
        self.in_flight = Some((request, self.edits));
        command
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(trouble.message_key(), "draft.server_error");
        assert_eq!(trouble.next_action(), NextAction::RetryNow);
        assert_eq!(draft.save_status(), SaveStatus::Trouble);

        let mut draft = saved();
        draft.edited();
        draft.autosave_due();
        assert_eq!(draft.answered(Request::Save, Answer::Expired), []);
        let trouble = draft.trouble().unwrap();
        assert_eq!(trouble.message_key(), "draft.expired");
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
        assert!(
            !matches!(again.first(), Some(Command::RetryAfter { token: t, .. }) if *t == token)
        );
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
    fn every_trouble_and_action_is_worded_in_every_locale() {
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
                assert!(
                    !text.contains('{') && text != trouble.message_key(),
                    "{text}"
                );
            }
            for key in ["draft.retry_now", "draft.start_again", "draft.show_status"] {
                assert_ne!(catalog.text(key), key);
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
}
