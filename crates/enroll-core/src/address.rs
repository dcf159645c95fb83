//! Addresses per country, from libaddressinput's metadata (data/README.md):
//! which fields a country uses and requires, what they are called, the
//! postal-code format, and the regions where the data lists them.

use serde::{Deserialize, Serialize};

use crate::pattern::{is_separator, Pattern};
use crate::{msg, Address, Field, MessageKey, Problem, ProblemCode};

/// One country's address rules.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(default)]
pub struct AddressFormat {
    /// The country's name in upper case English, e.g. "GERMANY".
    pub name: String,
    /// Field order, as `%A` (street), `%C` (locality), `%S` (region),
    /// `%Z` (postal code), `%D` (dependent locality), `%X` (sorting code).
    pub fmt: String,
    /// The order for an address written in Latin script, where it differs
    /// (JP, CN, KR…: `%N%n%O%n%A, %S%n%Z` against `〒%Z%n%S%n%A…`).
    pub lfmt: Option<String>,
    /// Letters of the required fields (`A`, `C`, `S`, `Z`, `D`, `X`).
    pub require: String,
    /// Letters of the fields the post prefers in upper case.
    pub upper: String,
    /// Postal-code pattern (unanchored in the data; matched whole here).
    pub zip: Option<String>,
    /// Examples of postal codes, comma-separated.
    pub zipex: Option<String>,
    pub zip_name_type: String,
    pub state_name_type: String,
    pub locality_name_type: String,
    pub sublocality_name_type: String,
    pub regions: Vec<Region>,
    /// `zip`, parsed on first use (the GB pattern alone is 600 characters).
    #[serde(skip)]
    parsed_zip: std::sync::OnceLock<Option<Pattern>>,
}

/// A first-level region (state, province, prefecture, ...).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(default)]
pub struct Region {
    /// What the post expects, e.g. "CA" or "北海道".
    pub key: String,
    /// Its name when it differs from the key, e.g. "California".
    pub name: Option<String>,
    /// Its name in Latin script, e.g. "Hokkaido".
    pub latin: Option<String>,
    pub iso: Option<String>,
    /// Prefix pattern of the region's postal codes.
    pub zip: Option<String>,
}

impl Region {
    /// The name to show in a list.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.key)
    }

    fn answers_to(&self, typed: &str) -> bool {
        let typed = typed.trim();
        [
            Some(self.key.as_str()),
            self.name.as_deref(),
            self.latin.as_deref(),
        ]
        .into_iter()
        .flatten()
        .any(|candidate| candidate.eq_ignore_ascii_case(typed) || candidate == typed)
    }
}

/// The address fields a form shows, beyond the country.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AddressField {
    StreetLines,
    DependentLocality,
    Locality,
    Region,
    PostalCode,
    SortingCode,
}

impl AddressField {
    /// The answer it is (the street lines: the list of them).
    pub fn field(self) -> Field {
        match self {
            Self::StreetLines => Field::StreetLines,
            Self::DependentLocality => Field::DependentLocality,
            Self::Locality => Field::Locality,
            Self::Region => Field::Region,
            Self::PostalCode => Field::PostalCode,
            Self::SortingCode => Field::SortingCode,
        }
    }

    fn from_token(token: char) -> Option<Self> {
        match token {
            'A' => Some(Self::StreetLines),
            'D' => Some(Self::DependentLocality),
            'C' => Some(Self::Locality),
            'S' => Some(Self::Region),
            'Z' => Some(Self::PostalCode),
            'X' => Some(Self::SortingCode),
            _ => None,
        }
    }

    fn token(self) -> char {
        match self {
            Self::StreetLines => 'A',
            Self::DependentLocality => 'D',
            Self::Locality => 'C',
            Self::Region => 'S',
            Self::PostalCode => 'Z',
            Self::SortingCode => 'X',
        }
    }
}

/// A field as one country's form shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    pub field: AddressField,
    pub required: bool,
    /// Catalog key of its name in this country ("ZIP code", "prefecture").
    pub label_key: MessageKey,
}

impl AddressFormat {
    /// The fields every address has (street, locality, region, postal
    /// code; street and locality required): what a form shows before, or
    /// without, a country's own format.
    pub fn fallback() -> Self {
        Self {
            fmt: "%A%n%C%n%S%n%Z".into(),
            require: "AC".into(),
            ..Self::default()
        }
    }

    /// The fields this country uses, in the order its addresses are written
    /// (street first for forms, whatever the written order, as people fill
    /// a form top-down from the street).
    pub fn fields(&self) -> Vec<FieldSpec> {
        let mut fields: Vec<AddressField> = Vec::new();
        let mut tokens = self.fmt.chars();
        while let Some(c) = tokens.next() {
            if c == '%' {
                if let Some(field) = tokens.next().and_then(AddressField::from_token) {
                    if !fields.contains(&field) {
                        fields.push(field);
                    }
                }
            }
        }
        // Street lines first: a form reads top-down from the street even
        // where the written address starts with the postal code (CN, JP).
        if let Some(i) = fields.iter().position(|f| *f == AddressField::StreetLines) {
            let street = fields.remove(i);
            fields.insert(0, street);
        }
        fields
            .into_iter()
            .map(|field| FieldSpec {
                field,
                required: self.requires(field),
                label_key: self.label_key(field),
            })
            .collect()
    }

    /// `address` as its country writes it, one line per line of the
    /// format: the postal code before the prefecture in Japan, after the
    /// city in Germany. The Latin-script order (`lfmt`) where the address
    /// is written in Latin letters and the country has one. Names and
    /// organisation (`%N`, `%O`) are not part of the address here; empty
    /// fields leave no empty line or dangling comma.
    pub fn written_lines(&self, address: &Address) -> Vec<String> {
        // What the applicant typed tells the script; a region picked from
        // the list is the post's key (東京都) whatever the script.
        let latin = address
            .lines
            .iter()
            .chain([&address.locality, &address.dependent_locality])
            .all(|text| text.chars().all(|c| c.is_ascii() || is_latin_letter(c)));
        let (template, region) = match &self.lfmt {
            Some(lfmt) if latin => {
                let listed = self.regions.iter().find(|r| r.key == address.region.trim());
                let region = listed.and_then(|r| r.latin.as_deref());
                (lfmt, region.unwrap_or(address.region.trim()))
            }
            _ => (&self.fmt, address.region.trim()),
        };
        let street: Vec<&str> = address
            .lines
            .iter()
            .map(|line| line.trim())
            .filter(|line| !line.is_empty())
            .collect();
        let value = |token: char| match token {
            'A' => street.join("\n"),
            'D' => address.dependent_locality.trim().to_owned(),
            'C' => address.locality.trim().to_owned(),
            'S' => region.to_owned(),
            'Z' => address.postal_code.trim().to_owned(),
            'X' => address.sorting_code.trim().to_owned(),
            // %N, %O and anything unknown: nothing here.
            _ => String::new(),
        };
        let written: Vec<String> = template
            .split("%n")
            .map(|line| write_line(&template_pieces(line, value)))
            .collect();
        let written = written.join("\n");
        written
            .lines()
            .map(|line| line.trim().trim_matches(',').trim())
            // A literal alone (Japan's 〒 without a postal code) is no line.
            .filter(|line| line.chars().any(char::is_alphanumeric))
            .map(str::to_owned)
            .collect()
    }

    pub fn requires(&self, field: AddressField) -> bool {
        self.require.contains(field.token())
    }

    pub fn uses(&self, field: AddressField) -> bool {
        self.fmt.contains(&format!("%{}", field.token()))
    }

    /// Catalog key of a field's name in this country: the name the
    /// format gives it (`zip_name_type`: "zip", "pin", "eircode"…), or the
    /// common name where it gives none or one this catalog does not word.
    pub fn label_key(&self, field: AddressField) -> MessageKey {
        use msg::*;
        // Found by the end of the key, not matched name by name: each
        // name is then in the first page's wasm once, in its key.
        const NAMED: [MessageKey; 19] = [
            ADDRESS_LABEL_DISTRICT,
            ADDRESS_LABEL_NEIGHBORHOOD,
            ADDRESS_LABEL_TOWNLAND,
            ADDRESS_LABEL_VILLAGE_TOWNSHIP,
            ADDRESS_LABEL_POST_TOWN,
            ADDRESS_LABEL_SUBURB,
            ADDRESS_LABEL_STATE,
            ADDRESS_LABEL_PREFECTURE,
            ADDRESS_LABEL_COUNTY,
            ADDRESS_LABEL_AREA,
            ADDRESS_LABEL_ISLAND,
            ADDRESS_LABEL_DEPARTMENT,
            ADDRESS_LABEL_DO_SI,
            ADDRESS_LABEL_EMIRATE,
            ADDRESS_LABEL_OBLAST,
            ADDRESS_LABEL_PARISH,
            ADDRESS_LABEL_ZIP,
            ADDRESS_LABEL_PIN,
            ADDRESS_LABEL_EIRCODE,
        ];
        let named = |name: &str, common: MessageKey| {
            NAMED
                .into_iter()
                .find(|key| key.as_str().strip_prefix("address.label.") == Some(name))
                .unwrap_or(common)
        };
        match field {
            AddressField::StreetLines => ADDRESS_LABEL_STREET,
            AddressField::SortingCode => ADDRESS_LABEL_SORTING_CODE,
            AddressField::DependentLocality => {
                named(&self.sublocality_name_type, ADDRESS_LABEL_SUBURB)
            }
            AddressField::Locality => named(&self.locality_name_type, ADDRESS_LABEL_CITY),
            AddressField::Region => named(&self.state_name_type, ADDRESS_LABEL_PROVINCE),
            AddressField::PostalCode => named(&self.zip_name_type, ADDRESS_LABEL_POSTAL),
        }
    }

    /// The first example postal code, to show in messages.
    pub fn postal_code_example(&self) -> Option<&str> {
        self.zipex.as_deref().and_then(|ex| ex.split(',').next())
    }

    /// The canonical form of a typed postal code, or `None` when its
    /// letters and digits are not a postal code of this country. Case,
    /// spaces and hyphens do not matter: `ec1a1bb` gives `EC1A 1BB` (GB),
    /// `1500001` gives `150-0001` (JP).
    pub fn normalize_postal_code(&self, typed: &str) -> Option<String> {
        let typed = collapse_whitespace(typed).to_uppercase();
        let parsed = self
            .parsed_zip
            .get_or_init(|| self.zip.as_deref().and_then(|p| Pattern::parse(p).ok()));
        let Some(pattern) = parsed else {
            // No format known: anything non-empty is taken as typed.
            return (!typed.is_empty()).then_some(typed);
        };
        // The canonical form puts the separators where the pattern prefers
        // them, whatever was typed; a code that only matches as typed (a
        // pattern that needs a separator the insertion cannot place) stays.
        let core: String = typed.chars().filter(|c| !is_separator(*c)).collect();
        pattern
            .match_inserting_separators(&core)
            .or_else(|| pattern.is_full_match(&typed).then_some(typed))
    }

    /// The listed region a typed value names (by key, name or Latin name).
    pub fn find_region(&self, typed: &str) -> Option<&Region> {
        self.regions.iter().find(|region| region.answers_to(typed))
    }
}

/// Latin letters beyond ASCII (é, ß, ø…): an address with them is still
/// written in Latin script.
fn is_latin_letter(c: char) -> bool {
    matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The most characters a single address answer may have.
use crate::text::caps::ADDRESS_FIELD as MAX_FIELD_CHARS;
/// Street lines beyond this are one too many for any postal format.
use crate::text::caps::ADDRESS_LINES as MAX_STREET_LINES;

/// Problems with an address, given its country's format (`None` when the
/// format is not known here yet: only what holds everywhere is checked).
pub fn address_problems(address: &Address, format: Option<&AddressFormat>) -> Vec<Problem> {
    let mut problems = Vec::new();
    // Without the country's format, libaddressinput's defaults: a street
    // and a locality, everywhere.
    let requires = |field| {
        format.map_or(
            matches!(field, AddressField::StreetLines | AddressField::Locality),
            |f| f.requires(field),
        )
    };
    let label = |field| {
        format
            .map(|f| f.label_key(field).as_str())
            .unwrap_or_else(|| AddressFormat::default().label_key(field).as_str())
    };

    let first_line = address.lines.first().map(|l| l.trim()).unwrap_or("");
    if first_line.is_empty() && requires(AddressField::StreetLines) {
        problems.push(Problem::new(Field::StreetLine(0), ProblemCode::Required));
    }
    if address.lines.len() > MAX_STREET_LINES {
        problems.push(
            Problem::new(Field::StreetLines, ProblemCode::TooLong)
                .with_param("max", MAX_STREET_LINES.to_string()),
        );
    }
    for (i, line) in address.lines.iter().enumerate() {
        if line.chars().count() > MAX_FIELD_CHARS {
            problems.push(too_long(Field::StreetLine(i)));
        }
    }

    let simple = [
        (AddressField::Locality, &address.locality),
        (AddressField::DependentLocality, &address.dependent_locality),
        (AddressField::SortingCode, &address.sorting_code),
    ];
    for (field, value) in simple {
        if value.trim().is_empty() {
            if requires(field) {
                problems.push(
                    Problem::new(field.field(), ProblemCode::Required)
                        .with_param("label_key", label(field)),
                );
            }
        } else if value.chars().count() > MAX_FIELD_CHARS {
            problems.push(too_long(field.field()));
        }
    }

    let region = address.region.trim();
    if region.is_empty() {
        if requires(AddressField::Region) {
            problems.push(
                Problem::new(Field::Region, ProblemCode::Required)
                    .with_param("label_key", label(AddressField::Region)),
            );
        }
    } else if let Some(format) = format.filter(|f| !f.regions.is_empty()) {
        if format.find_region(region).is_none() {
            problems.push(
                Problem::new(Field::Region, ProblemCode::UnknownRegion)
                    .with_param("label_key", label(AddressField::Region)),
            );
        }
    } else if region.chars().count() > MAX_FIELD_CHARS {
        problems.push(too_long(Field::Region));
    }

    let postal = address.postal_code.trim();
    if postal.is_empty() {
        if format.is_some_and(|f| f.requires(AddressField::PostalCode)) {
            problems.push(
                Problem::new(Field::PostalCode, ProblemCode::Required)
                    .with_param("label_key", label(AddressField::PostalCode)),
            );
        }
    } else if let Some(format) = format {
        if format.normalize_postal_code(postal).is_none() {
            let mut problem = Problem::new(Field::PostalCode, ProblemCode::PostalCodeFormat)
                .with_param("label_key", label(AddressField::PostalCode));
            if let Some(example) = format.postal_code_example() {
                problem = problem.with_param("example", example);
            }
            problems.push(problem);
        }
    } else if postal.chars().count() > 20 {
        problems.push(too_long(Field::PostalCode));
    }
    problems
}

fn too_long(field: Field) -> Problem {
    Problem::new(field, ProblemCode::TooLong).with_param("max", MAX_FIELD_CHARS.to_string())
}

/// A piece of one line of a libaddressinput template: text written as it
/// is (`, `, `〒`), or a field's answer.
enum Piece {
    Literal(String),
    Field(String),
}

fn template_pieces(line: &str, value: impl Fn(char) -> String) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            literal.push(c);
            continue;
        }
        if !literal.is_empty() {
            pieces.push(Piece::Literal(std::mem::take(&mut literal)));
        }
        pieces.push(Piece::Field(chars.next().map(&value).unwrap_or_default()));
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    pieces
}

/// A line with what its empty fields would leave dangling taken out. Text
/// that starts the line (Japan's `〒`, `CH-`) goes with the field after
/// it; text after a field separates it from the next one (the field
/// before, at the end of the line) and is written only when both sides
/// are: Barbados's `%C, %S %Z` without a parish is "Bridgetown BB11000".
fn write_line(pieces: &[Piece]) -> String {
    let filled = |piece: Option<&Piece>| matches!(piece, Some(Piece::Field(v)) if !v.is_empty());
    let field_after = |i: usize| {
        pieces[i + 1..]
            .iter()
            .find(|p| matches!(p, Piece::Field(_)))
    };
    let mut line = String::new();
    let mut written_a_field = false;
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Field(value) => {
                line.push_str(value);
                written_a_field |= !value.is_empty();
            }
            Piece::Literal(text) => {
                let has_fields = pieces.iter().any(|p| matches!(p, Piece::Field(_)));
                let keep = if !has_fields {
                    true
                } else if i == 0 {
                    filled(field_after(i))
                } else {
                    let before = pieces[..i]
                        .iter()
                        .rev()
                        .find(|p| matches!(p, Piece::Field(_)));
                    written_a_field && filled(field_after(i).or(before))
                };
                if keep {
                    line.push_str(text);
                }
            }
        }
    }
    line
}

#[cfg(test)]
mod tests;
