//! Bank details by country: which fields a bank country needs, and the
//! format and check digits of each. People may type spaces, hyphens and
//! lower case wherever the format allows; the rules compare the compact,
//! upper-case form.

use crate::{msg, MessageKey};
use crate::{BankDetails, Field, Problem, ProblemCode};

/// How payments reach a bank in a given country.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BankScheme {
    /// IBAN (ISO 13616) and BIC (ISO 9362).
    Iban,
    /// US: ABA routing number and account number.
    UsAba,
    /// GB: sort code and account number.
    GbSortCode,
    /// AU: BSB and account number.
    AuBsb,
    /// IN: IFSC and account number.
    InIfsc,
    /// CA: transit and institution numbers, and account number.
    CaTransit,
    /// CN: CNAPS code and account number.
    CnCnaps,
    /// JP: bank and branch codes, and account number.
    JpZengin,
    /// Elsewhere: SWIFT BIC and account number.
    Swift,
}

/// Countries in SWIFT's IBAN registry (release 99, 2024), minus those with
/// a domestic scheme above. Each IBAN's own structure is checked by the
/// `iban_validate` crate, which carries that registry.
const IBAN_COUNTRIES: &[&str] = &[
    "AD", "AE", "AL", "AT", "AZ", "BA", "BE", "BG", "BH", "BI", "BR", "BY", "CH", "CR", "CY", "CZ",
    "DE", "DJ", "DK", "DO", "EE", "EG", "ES", "FI", "FK", "FO", "FR", "GE", "GI", "GL", "GR", "GT",
    "HR", "HU", "IE", "IL", "IQ", "IS", "IT", "JO", "KW", "KZ", "LB", "LC", "LI", "LT", "LU", "LV",
    "LY", "MC", "MD", "ME", "MK", "MN", "MR", "MT", "MU", "NI", "NL", "NO", "OM", "PK", "PL", "PS",
    "PT", "QA", "RO", "RS", "RU", "SA", "SC", "SD", "SE", "SI", "SK", "SM", "SO", "ST", "SV", "TL",
    "TN", "TR", "UA", "VA", "VG", "XK", "YE",
];

/// One field of a scheme's form: its contract path, the catalog keys of
/// its label and hint, and whether it must be answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BankField {
    pub field: Field,
    pub label: MessageKey,
    pub hint: Option<MessageKey>,
    pub required: bool,
}

impl BankField {
    const fn required(field: Field, label: MessageKey, hint: MessageKey) -> Self {
        Self {
            field,
            label,
            hint: Some(hint),
            required: true,
        }
    }
}

const IBAN: BankField = BankField::required(Field::Iban, msg::BANK_LABEL_IBAN, msg::BANK_HINT_IBAN);
const BIC: BankField = BankField::required(Field::Bic, msg::BANK_LABEL_BIC, msg::BANK_HINT_BIC);
const ACCOUNT_NUMBER: BankField = BankField::required(
    Field::AccountNumber,
    msg::BANK_LABEL_ACCOUNT_NUMBER,
    msg::BANK_HINT_ACCOUNT_NUMBER,
);
/// Some banks' forms ask it; none refuses a payment without it.
const ACCOUNT_TYPE: BankField = BankField {
    field: Field::AccountType,
    label: msg::BANK_LABEL_ACCOUNT_TYPE,
    hint: None,
    required: false,
};

impl BankScheme {
    pub fn for_country(country: &str) -> Self {
        match country.trim().to_ascii_uppercase().as_str() {
            "US" => Self::UsAba,
            "GB" => Self::GbSortCode,
            "AU" => Self::AuBsb,
            "IN" => Self::InIfsc,
            "CA" => Self::CaTransit,
            "CN" => Self::CnCnaps,
            "JP" => Self::JpZengin,
            c if IBAN_COUNTRIES.contains(&c) => Self::Iban,
            _ => Self::Swift,
        }
    }

    /// The fields a form shows for this scheme, after country and holder.
    pub fn fields(self) -> &'static [BankField] {
        use msg::*;
        const fn routing(label: MessageKey, hint: MessageKey) -> BankField {
            BankField::required(Field::RoutingCode, label, hint)
        }
        const US: &[BankField] = &[
            routing(BANK_LABEL_ABA, BANK_HINT_ROUTING_CODE_ABA),
            ACCOUNT_NUMBER,
            ACCOUNT_TYPE,
        ];
        const GB: &[BankField] = &[
            routing(BANK_LABEL_SORT_CODE, BANK_HINT_ROUTING_CODE_SORT_CODE),
            ACCOUNT_NUMBER,
        ];
        const AU: &[BankField] = &[
            routing(BANK_LABEL_BSB, BANK_HINT_ROUTING_CODE_BSB),
            ACCOUNT_NUMBER,
        ];
        const IN: &[BankField] = &[
            routing(BANK_LABEL_IFSC, BANK_HINT_ROUTING_CODE_IFSC),
            ACCOUNT_NUMBER,
        ];
        const CA: &[BankField] = &[
            routing(BANK_LABEL_CA_TRANSIT, BANK_HINT_ROUTING_CODE_CA_TRANSIT),
            ACCOUNT_NUMBER,
        ];
        const CN: &[BankField] = &[
            routing(BANK_LABEL_CNAPS, BANK_HINT_ROUTING_CODE_CNAPS),
            ACCOUNT_NUMBER,
        ];
        const JP: &[BankField] = &[
            routing(
                BANK_LABEL_JP_BANK_BRANCH,
                BANK_HINT_ROUTING_CODE_JP_BANK_BRANCH,
            ),
            ACCOUNT_NUMBER,
            ACCOUNT_TYPE,
        ];
        match self {
            Self::Iban => &[IBAN, BIC],
            Self::Swift => &[ACCOUNT_NUMBER, BIC],
            Self::UsAba => US,
            Self::GbSortCode => GB,
            Self::AuBsb => AU,
            Self::InIfsc => IN,
            Self::CaTransit => CA,
            Self::CnCnaps => CN,
            Self::JpZengin => JP,
        }
    }

    /// Whether this scheme has the account field `field`.
    pub fn uses(self, field: Field) -> bool {
        self.fields().iter().any(|f| f.field == field)
    }

    /// A well-formed domestic bank code, to show in messages and hints.
    pub fn routing_example(self) -> &'static str {
        match self {
            Self::UsAba => "021000021",
            Self::GbSortCode => "12-34-56",
            Self::AuBsb => "062-000",
            Self::InIfsc => "SBIN0001234",
            Self::CaTransit => "12345-003",
            Self::CnCnaps => "102100099996",
            Self::JpZengin => "0001-123",
            Self::Iban | Self::Swift => "",
        }
    }

    /// Account types this scheme distinguishes: the contract's value and
    /// the catalog key of its name.
    pub fn account_types(self) -> &'static [(&'static str, MessageKey)] {
        match self {
            Self::UsAba => &[
                ("checking", msg::BANK_ACCOUNT_TYPE_CHECKING),
                ("savings", msg::BANK_ACCOUNT_TYPE_SAVINGS),
            ],
            Self::JpZengin => &[
                ("ordinary", msg::BANK_ACCOUNT_TYPE_ORDINARY),
                ("current", msg::BANK_ACCOUNT_TYPE_CURRENT),
            ],
            _ => &[],
        }
    }
}

/// Upper case without spaces and hyphens: what people type, as compared.
pub fn compact(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

/// An IBAN in groups of four, as printed on statements.
pub fn iban_print_format(typed: &str) -> String {
    let compact = compact(typed);
    let chars: Vec<char> = compact.chars().collect();
    chars
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Is this a masked secret as the API returns it (`••••3000`)? A masked
/// value sent back means "keep what is stored": it is not re-validated.
/// A bank secret as it may be shown: `••••` and its last four characters
/// when it is longer than eight, `••••` alone otherwise (four of a short
/// account number are most of it). A masked value stays as it is. The API
/// answers with it and the app shows it; nothing else may.
pub fn mask(secret: &str) -> String {
    if is_masked(secret) {
        return secret.to_owned();
    }
    let compact: Vec<char> = secret.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return String::new();
    }
    let tail: String = if compact.len() > 8 {
        compact[compact.len() - 4..].iter().collect()
    } else {
        String::new()
    };
    format!("••••{tail}")
}

/// The answers that are secrets: never logged, never kept by the browser,
/// shown masked, typed in a field that hides them.
pub const SECRET_FIELDS: [Field; 2] = [Field::Iban, Field::AccountNumber];

/// Whether `field` is one of the bank secrets.
pub fn is_secret(field: Field) -> bool {
    SECRET_FIELDS.contains(&field)
}

/// The bank secrets of `bank` (`SECRET_FIELDS`, in order), to change in
/// place.
pub fn secrets_mut(bank: &mut BankDetails) -> [(Field, &mut String); 2] {
    let [iban, account_number] = SECRET_FIELDS;
    [
        (iban, &mut bank.iban),
        (account_number, &mut bank.account_number),
    ]
}

/// `bank` as it may be shown: its secrets masked.
pub fn mask_secrets(bank: &mut BankDetails) {
    for (_, secret) in secrets_mut(bank) {
        *secret = mask(secret);
    }
}

pub fn is_masked(value: &str) -> bool {
    value.starts_with('•')
}

use crate::text::caps::ACCOUNT_HOLDER as ACCOUNT_HOLDER_MAX;

/// The account fields a scheme may or may not have.
const ACCOUNT_FIELDS: [Field; 5] = [
    Field::Iban,
    Field::Bic,
    Field::RoutingCode,
    Field::AccountNumber,
    Field::AccountType,
];

/// The answer of an account field.
fn account_field(bank: &BankDetails, field: Field) -> &str {
    match field {
        Field::Iban => &bank.iban,
        Field::Bic => &bank.bic,
        Field::RoutingCode => &bank.routing_code,
        Field::AccountNumber => &bank.account_number,
        _ => &bank.account_type,
    }
}

/// Empties the fields the bank country's scheme does not use, so an IBAN
/// (or its masked form) typed for Germany does not stay hidden behind a
/// switch to the United Kingdom's sort code and account number. Nothing is
/// cleared while the country is not a country code ("Germany", a typo): the
/// answers may still be meant for a scheme we cannot tell yet.
pub fn clear_unused(bank: &mut BankDetails) {
    let code = bank.country.trim();
    if code.len() != 2 || !code.chars().all(|c| c.is_ascii_alphabetic()) {
        return;
    }
    let scheme = BankScheme::for_country(&bank.country);
    let answers = [
        (Field::Iban, &mut bank.iban),
        (Field::Bic, &mut bank.bic),
        (Field::RoutingCode, &mut bank.routing_code),
        (Field::AccountNumber, &mut bank.account_number),
        (Field::AccountType, &mut bank.account_type),
    ];
    for (field, value) in answers {
        if !scheme.uses(field) {
            value.clear();
        }
    }
}

/// A field the scheme does not use, filled in: `not_applicable` on it.
fn unused_problems(bank: &BankDetails, scheme: BankScheme) -> Vec<Problem> {
    let country = bank_country_code(&bank.country);
    ACCOUNT_FIELDS
        .into_iter()
        .filter(|field| !scheme.uses(*field) && !account_field(bank, *field).trim().is_empty())
        .map(|field| {
            Problem::new(field, ProblemCode::NotApplicable).with_param("country", country.clone())
        })
        .collect()
}

fn bank_country_code(country: &str) -> String {
    country.trim().to_ascii_uppercase()
}

pub fn bank_problems(bank: &BankDetails) -> Vec<Problem> {
    let mut problems = Vec::new();
    if bank.country.trim().is_empty() {
        problems.push(Problem::new(Field::BankCountry, ProblemCode::Required));
        return problems;
    }
    let holder = bank.account_holder.trim();
    if holder.is_empty() {
        problems.push(Problem::new(Field::AccountHolder, ProblemCode::Required));
    } else if holder.chars().count() > ACCOUNT_HOLDER_MAX {
        problems.push(
            Problem::new(Field::AccountHolder, ProblemCode::TooLong)
                .with_param("max", ACCOUNT_HOLDER_MAX.to_string()),
        );
    }
    let scheme = BankScheme::for_country(&bank.country);
    let country = bank_country_code(&bank.country);
    problems.extend(unused_problems(bank, scheme));
    for BankField {
        field, required, ..
    } in scheme.fields()
    {
        let value = account_field(bank, *field);
        if value.trim().is_empty() {
            if *required {
                let mut problem = Problem::new(*field, ProblemCode::Required);
                if *field == Field::RoutingCode {
                    problem = problem.with_param("label_key", scheme.fields()[0].label.as_str());
                }
                problems.push(problem);
            }
            continue;
        }
        if is_masked(value) {
            continue;
        }
        let problem = match *field {
            Field::Iban => iban_problem(value, &country),
            Field::Bic => bic_problem(value, &country),
            Field::RoutingCode => routing_problem(scheme, value),
            Field::AccountNumber => account_number_problem(scheme, value),
            _ => account_type_problem(scheme, value),
        };
        let mut problem = problem.map(|finding| finding.into_problem(*field));
        if *field == Field::RoutingCode {
            // "Enter a sort code like 12-34-56": the code's name and form.
            let label_key = scheme.fields()[0].label;
            problem = problem.map(|p| {
                p.with_param("label_key", label_key.as_str())
                    .with_param("example", scheme.routing_example())
            });
        }
        problems.extend(problem);
    }
    problems
}

/// A problem without its field yet, with its params.
struct Finding(ProblemCode, Vec<(&'static str, String)>);

impl Finding {
    fn code(code: ProblemCode) -> Self {
        Self(code, Vec::new())
    }

    fn into_problem(self, field: Field) -> Problem {
        self.1
            .into_iter()
            .fold(Problem::new(field, self.0), |p, (k, v)| p.with_param(k, v))
    }
}

fn iban_problem(typed: &str, bank_country: &str) -> Option<Finding> {
    use iban::{Iban, IbanLike, ParseBaseIbanError, ParseIbanError};
    let compact = compact(typed);
    if !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Some(Finding::code(ProblemCode::InvalidFormat));
    }
    match compact.parse::<Iban>() {
        Ok(iban) if iban.country_code() != bank_country => Some(Finding(
            ProblemCode::CountryMismatch,
            vec![
                ("found", iban.country_code().to_owned()),
                ("expected", bank_country.to_owned()),
            ],
        )),
        Ok(_) => None,
        Err(ParseIbanError::InvalidBaseIban {
            source: ParseBaseIbanError::InvalidChecksum,
        }) => {
            // The check digits are wrong. If the IBAN with corrected check
            // digits is well formed, a character was mistyped; if not, its
            // structure (length, letters where digits go) is wrong.
            let fixed = with_check_digits(&compact)?;
            Some(Finding::code(if fixed.parse::<Iban>().is_ok() {
                ProblemCode::Checksum
            } else {
                ProblemCode::InvalidFormat
            }))
        }
        Err(_) => Some(Finding::code(ProblemCode::InvalidFormat)),
    }
}

/// The IBAN with the check digits its other characters call for (ISO 13616:
/// 98 minus the mod-97 of BBAN + country + "00", letters as 10..35).
pub fn with_check_digits(compact: &str) -> Option<String> {
    let country = compact.get(0..2)?;
    let bban = compact.get(4..)?;
    let mut remainder: u32 = 0;
    for c in bban.chars().chain(country.chars()).chain("00".chars()) {
        let value = c.to_digit(36)?;
        remainder = if value >= 10 {
            (remainder * 100 + value) % 97
        } else {
            (remainder * 10 + value) % 97
        };
    }
    Some(format!("{country}{:02}{bban}", 98 - remainder))
}

/// ISO 9362: 4 letters (institution), 2 letters (country), 2 letters or
/// digits (location), optionally 3 letters or digits (branch).
fn bic_problem(typed: &str, bank_country: &str) -> Option<Finding> {
    let bic = compact(typed);
    let chars: Vec<char> = bic.chars().collect();
    let well_formed = matches!(chars.len(), 8 | 11)
        && chars[..6].iter().all(char::is_ascii_uppercase)
        && chars[6..]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if !well_formed {
        return Some(Finding::code(ProblemCode::InvalidFormat));
    }
    let country: String = chars[4..6].iter().collect();
    (country != bank_country).then(|| {
        Finding(
            ProblemCode::CountryMismatch,
            vec![("found", country), ("expected", bank_country.to_owned())],
        )
    })
}

fn digits_between(value: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&value.len()) && value.chars().all(|c| c.is_ascii_digit())
}

fn routing_problem(scheme: BankScheme, typed: &str) -> Option<Finding> {
    let code = compact(typed);
    let valid = match scheme {
        BankScheme::UsAba => {
            if !digits_between(&code, 9, 9) {
                false
            } else if !aba_checksum_ok(&code) {
                return Some(Finding::code(ProblemCode::Checksum));
            } else {
                true
            }
        }
        // 6 digits, written 12-34-56.
        BankScheme::GbSortCode | BankScheme::AuBsb => digits_between(&code, 6, 6),
        // 4 letters (bank), a zero, 6 letters or digits (branch).
        BankScheme::InIfsc => {
            // ASCII first: the slices below count bytes.
            code.is_ascii()
                && code.len() == 11
                && code[..4].chars().all(|c| c.is_ascii_uppercase())
                && code.as_bytes()[4] == b'0'
                && code[5..].chars().all(|c| c.is_ascii_alphanumeric())
        }
        // Transit (5 digits) then institution (3 digits), or the electronic
        // form 0 + institution + transit.
        BankScheme::CaTransit => {
            digits_between(&code, 8, 8) || (digits_between(&code, 9, 9) && code.starts_with('0'))
        }
        BankScheme::CnCnaps => digits_between(&code, 12, 12),
        // Bank (4 digits) then branch (3 digits).
        BankScheme::JpZengin => digits_between(&code, 7, 7),
        BankScheme::Iban | BankScheme::Swift => true,
    };
    (!valid).then(|| Finding::code(ProblemCode::InvalidFormat))
}

/// ABA routing numbers: 3, 7, 1 weights over the nine digits sum to a
/// multiple of 10 (ABA's published check-digit rule).
pub fn aba_checksum_ok(digits: &str) -> bool {
    let values: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    values.len() == 9
        && values
            .iter()
            .zip([3, 7, 1].iter().cycle())
            .map(|(d, w)| d * w)
            .sum::<u32>()
            % 10
            == 0
}

fn account_number_problem(scheme: BankScheme, typed: &str) -> Option<Finding> {
    let number = compact(typed);
    let (min, max, digits_only) = match scheme {
        BankScheme::UsAba => (4, 17, true),
        BankScheme::GbSortCode => (8, 8, true),
        BankScheme::AuBsb => (5, 10, true),
        BankScheme::InIfsc => (9, 18, true),
        BankScheme::CaTransit => (7, 12, true),
        BankScheme::CnCnaps => (8, 30, true),
        BankScheme::JpZengin => (7, 7, true),
        // No national rule known here: up to the longest IBAN, 34.
        BankScheme::Swift | BankScheme::Iban => (4, 34, false),
    };
    let allowed = |c: char| {
        if digits_only {
            c.is_ascii_digit()
        } else {
            c.is_ascii_alphanumeric()
        }
    };
    let params = vec![("min", min.to_string()), ("max", max.to_string())];
    if !number.chars().all(allowed) {
        Some(Finding(ProblemCode::InvalidFormat, params))
    } else if number.len() < min {
        Some(Finding(ProblemCode::TooShort, params))
    } else if number.len() > max {
        Some(Finding(ProblemCode::TooLong, params))
    } else {
        None
    }
}

fn account_type_problem(scheme: BankScheme, typed: &str) -> Option<Finding> {
    (!scheme
        .account_types()
        .iter()
        .any(|(kind, _)| *kind == typed.trim()))
    .then(|| Finding::code(ProblemCode::InvalidFormat))
}

#[cfg(test)]
mod tests;
