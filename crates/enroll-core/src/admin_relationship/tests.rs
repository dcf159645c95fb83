use super::*;
use RelationshipStatus::*;

const DAY: u64 = 86_400;
const T0: u64 = 1_800_000_000;

fn made(duration_days: u32, auto_extend: bool) -> Lifecycle {
    Lifecycle {
        status: Created,
        requested_at: T0,
        ends_at: None,
        duration_days,
        auto_extend,
    }
}

fn approved(duration_days: u32, auto_extend: bool) -> Lifecycle {
    made(duration_days, auto_extend)
        .after(Event::Send)
        .and_then(|l| l.after(Event::Approve { at: T0 + DAY }))
        .unwrap()
}

fn at(lifecycle: Lifecycle, day: u64) -> Lifecycle {
    lifecycle
        .after(Event::Tick {
            now: T0 + day * DAY,
        })
        .unwrap()
}

#[test]
fn approved_it_is_active_then_expiring_30_days_before_its_end_then_expired() {
    let active = approved(100, false);
    assert_eq!(active.status, Active);
    assert_eq!(active.ends_at, Some(T0 + 101 * DAY));
    assert_eq!(at(active, 70).status, Active);
    assert_eq!(at(active, 71).status, Expiring);
    assert_eq!(at(active, 100).status, Expiring);
    assert_eq!(at(active, 101).status, Expired);
    // Over, nothing moves it.
    let expired = at(active, 101);
    assert_eq!(at(expired, 500), expired);
    assert_eq!(expired.after(Event::Terminate(Side::Partner)), Err(NotNow));
}

#[test]
fn a_request_unanswered_for_90_days_expires_and_cannot_be_approved_after() {
    let pending = made(730, false).after(Event::Send).unwrap();
    assert_eq!(pending.status, ApprovalPending);
    assert_eq!(at(pending, 89).status, ApprovalPending);
    assert_eq!(at(pending, 90).status, Expired);
    let late = Event::Approve { at: T0 + 90 * DAY };
    assert_eq!(pending.after(late), Err(NotNow));
    assert!(pending.after(Event::Approve { at: T0 + 89 * DAY }).is_ok());
}

#[test]
fn auto_extend_adds_180_days_at_each_end_and_never_expires() {
    let active = approved(10, true);
    assert_eq!(
        at(active, 10).status,
        Active,
        "no expiring with auto-extend"
    );
    let extended = at(active, 11);
    assert_eq!(extended.status, Active);
    assert_eq!(extended.ends_at, Some(T0 + (11 + 180) * DAY));
    // Far later, as many extensions as it takes.
    let later = at(active, 11 + 400);
    assert_eq!(later.ends_at, Some(T0 + (11 + 3 * 180) * DAY));
    assert_eq!(later.reminder_due(T0 + 411 * DAY), None);
}

#[test]
fn either_side_terminates_any_open_one_and_the_customer_may_reject() {
    for side in [Side::Partner, Side::Customer] {
        for open in [
            made(30, false),
            made(30, false).after(Event::Send).unwrap(),
            approved(30, false),
            at(approved(30, false), 10),
        ] {
            assert_eq!(
                open.after(Event::Terminate(side)).unwrap().status,
                Terminated
            );
        }
    }
    let pending = made(30, false).after(Event::Send).unwrap();
    assert_eq!(pending.after(Event::Reject).unwrap().status, Terminated);
    assert_eq!(approved(30, false).after(Event::Reject), Err(NotNow));
    assert_eq!(approved(30, false).after(Event::Send), Err(NotNow));
    assert_eq!(
        made(30, false).after(Event::Approve { at: T0 }),
        Err(NotNow),
        "approved only once sent"
    );
}

#[test]
fn reminders_come_30_7_and_1_days_before_the_end() {
    let active = approved(100, false); // ends on day 101
    let due = |day: u64| at(active, day).reminder_due(T0 + day * DAY);
    assert_eq!(due(70), None);
    assert_eq!(due(71), Some(30));
    assert_eq!(due(93), Some(30));
    assert_eq!(due(94), Some(7));
    assert_eq!(due(100), Some(1));
    assert_eq!(due(101), None, "expired");
}

#[test]
fn name_duration_and_roles_have_limits_and_global_admin_never_auto_extends() {
    let good = NewAdminRelationship {
        name: " Contoso support ".into(),
        duration_days: 730,
        roles: vec!["helpdesk_administrator".into(), "global_reader".into()],
        auto_extend: true,
    }
    .trimmed();
    assert_eq!(good.name, "Contoso support");
    assert_eq!(good.roles, ["global_reader", "helpdesk_administrator"]);
    assert!(good.validate(false).valid);
    let codes = |r: NewAdminRelationship, taken: bool| -> Vec<(String, ProblemCode)> {
        r.trimmed()
            .validate(taken)
            .errors
            .into_iter()
            .map(|p| (p.field, p.code))
            .collect()
    };
    let field = |f: &str, c: ProblemCode| (f.to_owned(), c);
    assert_eq!(
        codes(good.clone(), true),
        [field("name", ProblemCode::NameTaken)]
    );
    let long = NewAdminRelationship {
        name: "x".repeat(limits::NAME_MAX_CHARS + 1),
        ..good.clone()
    };
    assert_eq!(codes(long, false), [field("name", ProblemCode::TooLong)]);
    for (days, code) in [(0, ProblemCode::TooShort), (731, ProblemCode::TooLong)] {
        let wrong = NewAdminRelationship {
            duration_days: days,
            ..good.clone()
        };
        assert_eq!(codes(wrong, false), [field("duration_days", code)]);
    }
    let none = NewAdminRelationship {
        roles: vec![],
        ..good.clone()
    };
    assert_eq!(codes(none, false), [field("roles", ProblemCode::Required)]);
    let unknown = NewAdminRelationship {
        roles: vec!["root".into()],
        ..good.clone()
    };
    assert_eq!(
        codes(unknown, false),
        [field("roles", ProblemCode::InvalidFormat)]
    );
    let global = NewAdminRelationship {
        roles: vec!["global_administrator".into()],
        ..good.clone()
    };
    assert_eq!(
        codes(global.clone(), false),
        [field("auto_extend", ProblemCode::AutoExtendGlobalAdmin)]
    );
    let without = NewAdminRelationship {
        auto_extend: false,
        ..global
    };
    assert!(without.validate(false).valid);
    assert_eq!(NewAdminRelationship::default().duration_days, 730);
    for role in AdminRole::ALL {
        assert_eq!(AdminRole::parse(role.as_str()), Some(role));
    }
}
