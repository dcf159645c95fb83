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
