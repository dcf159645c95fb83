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

use crate::{msg, MessageKey};
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
    pub fn message_key(&self) -> MessageKey {
        match self {
            Self::Offline { .. } => msg::DRAFT_OFFLINE,
            Self::ServerError { .. } => msg::DRAFT_SERVER_ERROR,
            Self::Throttled { .. } => msg::DRAFT_THROTTLED,
            Self::NotSaved => msg::DRAFT_NOT_SAVED,
            Self::Conflict => msg::SAVE_CONFLICT,
            Self::Expired => msg::DRAFT_EXPIRED,
            Self::Gone => msg::DRAFT_GONE,
            Self::AlreadySubmitted => msg::DRAFT_ALREADY_SUBMITTED,
            Self::Invalid(_) => msg::APP_INVALID_ANSWERS,
            Self::Refused { .. } => msg::APP_SERVER_ERROR,
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
mod tests;
