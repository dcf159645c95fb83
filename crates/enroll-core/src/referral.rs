//! A customer's request as it travels (PRODUCT.md, "Business profile and
//! referrals"), stated once: where the request stands for the customer,
//! and each referral's states and what moves it.
//!
//! ```text
//! received ──accept──> accepted ──close(won)──> won
//!    │                    └──────close(lost)──> lost
//!    ├──decline (a reason)──> declined   ┐ the request passes to the
//!    └──14 days unanswered──> expired    ┘ next partner, if any is left
//! ```

use serde::{Deserialize, Serialize};

use crate::text::{is_forbidden, line_problem};
use crate::{Problem, ProblemCode, ValidationReport};

/// The numbers of answering referrals, one place.
pub mod limits {
    /// Characters in a deal's name,
    pub const DEAL_NAME_MAX_CHARS: usize = 100;
    /// in the notes on it,
    pub const NOTES_MAX_CHARS: usize = 1_000;
    /// in the reason for declining.
    pub const DECLINE_REASON_MAX_CHARS: usize = 500;
    /// Digits before the decimal point of an estimated value.
    pub const VALUE_MAX_DIGITS: usize = 12;
    /// A partner's referrals admins are emailed for each of its first
    /// this many referrals of a UTC day; those after wait for the digest,
    pub const EMAILS_PER_DAY: u32 = 10;
    /// sent at this hour (UTC): that morning's for those that came before
    /// it, the next morning's for those after.
    pub const DIGEST_HOUR_UTC: u64 = 8;
}

/// `POST /account/referrals/{id}/accept`: the deal the partner opens, as
/// Partner Center's accept form asks. Shown again on the referral.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(default)]
pub struct Deal {
    pub deal_name: String,
    /// A decimal number, at most two decimals ("12500.00").
    pub estimated_value: String,
    /// ISO 4217 ("EUR").
    pub currency: String,
    /// Optional.
    pub notes: String,
}

impl Deal {
    /// As typed, without the spaces around each answer, the currency in
    /// capitals.
    pub fn trimmed(&self) -> Self {
        Self {
            deal_name: self.deal_name.trim().to_owned(),
            estimated_value: self.estimated_value.trim().to_owned(),
            currency: self.currency.trim().to_ascii_uppercase(),
            notes: self.notes.trim().to_owned(),
        }
    }

    /// What is wrong with it, at its fields. Call on `trimmed()`.
    pub fn validate(&self) -> ValidationReport {
        let mut errors = Vec::new();
        if self.deal_name.is_empty() {
            errors.push(Problem::at("deal_name", ProblemCode::Required));
        }
        errors.extend(line_problem(
            "deal_name",
            &self.deal_name,
            limits::DEAL_NAME_MAX_CHARS,
        ));
        if self.estimated_value.is_empty() {
            errors.push(Problem::at("estimated_value", ProblemCode::Required));
        } else if !is_amount(&self.estimated_value) {
            errors.push(Problem::at("estimated_value", ProblemCode::InvalidFormat));
        }
        if self.currency.is_empty() {
            errors.push(Problem::at("currency", ProblemCode::Required));
        } else if !(self.currency.len() == 3
            && self.currency.bytes().all(|b| b.is_ascii_uppercase()))
        {
            errors.push(Problem::at("currency", ProblemCode::InvalidFormat));
        }
        errors.extend(text_problem("notes", &self.notes, limits::NOTES_MAX_CHARS));
        ValidationReport::from_problems(errors, Vec::new())
    }
}

/// `POST /account/referrals/{id}/decline`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(default)]
pub struct Declining {
    /// Why: required (the vendor learns from it; the customer never sees
    /// it).
    pub reason: String,
}

impl Declining {
    pub fn validate(&self) -> ValidationReport {
        let reason = self.reason.trim();
        let problem = if reason.is_empty() {
            Some(Problem::at("reason", ProblemCode::Required))
        } else {
            text_problem("reason", reason, limits::DECLINE_REASON_MAX_CHARS)
        };
        ValidationReport::from_problems(problem.into_iter().collect(), Vec::new())
    }
}

/// How an accepted referral ended.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Won,
    Lost,
}

/// `POST /account/referrals/{id}/close`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Closing {
    pub outcome: Outcome,
}

/// A text of several lines: no control character, not too long.
fn text_problem(path: &str, value: &str, max: usize) -> Option<Problem> {
    if value.chars().any(|c| is_forbidden(c, true)) {
        Some(Problem::at(path, ProblemCode::ControlCharacter))
    } else if value.chars().count() > max {
        Some(Problem::at(path, ProblemCode::TooLong).with_param("max", max.to_string()))
    } else {
        None
    }
}

/// "12500", "12500.5", "12500.50": digits, then at most two decimals.
fn is_amount(typed: &str) -> bool {
    let (whole, fraction) = typed.split_once('.').unwrap_or((typed, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    !whole.is_empty()
        && whole.len() <= limits::VALUE_MAX_DIGITS
        && digits(whole)
        && fraction.len() <= 2
        && digits(fraction)
        && !(typed.contains('.') && fraction.is_empty())
}

/// Where a customer's request stands, as its page says.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// The address is not proven yet: no partner has heard of it.
    Unproven,
    /// A partner is considering it (which one is not said before it
    /// accepts).
    WithPartner,
    /// A partner accepted and will contact the customer.
    Accepted,
    /// No partner matched, or every partner offered it declined or did
    /// not answer.
    NoPartner,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 4] = [
        Self::Unproven,
        Self::WithPartner,
        Self::Accepted,
        Self::NoPartner,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unproven => "unproven",
            Self::WithPartner => "with_partner",
            Self::Accepted => "accepted",
            Self::NoPartner => "no_partner",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// A referral as the partner who received it sees it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    /// Waiting for the partner's answer (until it expires).
    Received,
    /// The partner will contact the customer: the contact is shown.
    Accepted,
    Declined,
    Won,
    Lost,
    /// Not answered in time.
    Expired,
}

/// What the partner (or time) does to a referral.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReferralAction {
    Accept,
    Decline,
    Win,
    Lose,
    /// No answer within `REFERRAL_ANSWER_DAYS`.
    Expire,
}

impl ReferralStatus {
    pub const ALL: [ReferralStatus; 6] = [
        Self::Received,
        Self::Accepted,
        Self::Declined,
        Self::Won,
        Self::Lost,
        Self::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::Won => "won",
            Self::Lost => "lost",
            Self::Expired => "expired",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Work still to do for the partner: what "fewer open referrals"
    /// counts when two partners match alike.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Received | Self::Accepted)
    }

    /// Whether the partner may see the customer's contact: only once it
    /// accepted (and after, however the deal ended).
    pub fn shows_contact(self) -> bool {
        matches!(self, Self::Accepted | Self::Won | Self::Lost)
    }

    /// Whether, ending here, the request goes on to the next partner.
    pub fn passes_on(self) -> bool {
        matches!(self, Self::Declined | Self::Expired)
    }

    /// Where `action` takes a referral in this state; `None` when it may
    /// not (a closed referral is read-only).
    pub fn after(self, action: ReferralAction) -> Option<Self> {
        use ReferralAction::*;
        match (self, action) {
            (Self::Received, Accept) => Some(Self::Accepted),
            (Self::Received, Decline) => Some(Self::Declined),
            (Self::Received, Expire) => Some(Self::Expired),
            (Self::Accepted, Win) => Some(Self::Won),
            (Self::Accepted, Lose) => Some(Self::Lost),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ReferralAction::*;
    use super::*;

    #[test]
    fn a_deal_and_a_decline_have_their_rules() {
        let deal = Deal {
            deal_name: " Contoso Health: Azure migration ".into(),
            estimated_value: "12500.50".into(),
            currency: "eur".into(),
            notes: "Call on Monday.".into(),
        }
        .trimmed();
        assert!(deal.validate().errors.is_empty(), "{:?}", deal.validate());
        assert_eq!(deal.currency, "EUR");
        let problems = |d: Deal| -> Vec<(String, &'static str)> {
            d.trimmed()
                .validate()
                .errors
                .iter()
                .map(|p| (p.field.clone(), p.code.as_str()))
                .collect()
        };
        assert_eq!(
            problems(Deal::default()),
            [
                ("deal_name".to_owned(), "required"),
                ("estimated_value".to_owned(), "required"),
                ("currency".to_owned(), "required")
            ]
        );
        for wrong in ["-5", "12,500", "1.", "1.234", "1e5", "abc", "1234567890123"] {
            let d = Deal {
                estimated_value: wrong.into(),
                ..deal.clone()
            };
            assert_eq!(
                problems(d),
                [("estimated_value".to_owned(), "invalid_format")],
                "{wrong}"
            );
        }
        for fine in ["0", "7", "12500", "12500.5", "999999999999.99"] {
            let d = Deal {
                estimated_value: fine.into(),
                ..deal.clone()
            };
            assert!(problems(d).is_empty(), "{fine}");
        }
        let d = Deal {
            currency: "EURO".into(),
            ..deal.clone()
        };
        assert_eq!(problems(d), [("currency".to_owned(), "invalid_format")]);
        let d = Deal {
            notes: "x".repeat(1_001),
            ..deal.clone()
        };
        assert_eq!(problems(d), [("notes".to_owned(), "too_long")]);
        let d = Deal {
            deal_name: "a\u{1b}[31m".into(),
            ..deal
        };
        assert_eq!(problems(d), [("deal_name".to_owned(), "control_character")]);

        let reason = |r: &str| Declining { reason: r.into() }.validate().errors;
        assert_eq!(reason("  ")[0].code, ProblemCode::Required);
        assert_eq!(reason(&"x".repeat(501))[0].code, ProblemCode::TooLong);
        assert!(reason("We do not work in healthcare.\nSorry.").is_empty());
    }

    #[test]
    fn every_state_and_action_has_its_answer() {
        use ReferralStatus::*;
        let actions = [Accept, Decline, Win, Lose, Expire];
        // One row per state, one column per action: where it leads.
        let table: [(ReferralStatus, [Option<ReferralStatus>; 5]); 6] = [
            (
                Received,
                [Some(Accepted), Some(Declined), None, None, Some(Expired)],
            ),
            (Accepted, [None, None, Some(Won), Some(Lost), None]),
            (Declined, [None; 5]),
            (Won, [None; 5]),
            (Lost, [None; 5]),
            (Expired, [None; 5]),
        ];
        for (from, row) in table {
            for (action, to) in actions.iter().zip(row) {
                assert_eq!(from.after(*action), to, "{from:?} × {action:?}");
            }
        }
        let passing: Vec<_> = ReferralStatus::ALL
            .into_iter()
            .filter(|s| s.passes_on())
            .collect();
        assert_eq!(passing, [Declined, Expired]);
        assert!(!Received.shows_contact() && !Declined.shows_contact() && !Expired.shows_contact());
        assert!(Accepted.shows_contact() && Won.shows_contact() && Lost.shows_contact());
    }

    #[test]
    fn names_read_back() {
        for s in ReferralStatus::ALL {
            assert_eq!(ReferralStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for s in RequestStatus::ALL {
            assert_eq!(RequestStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }
}
