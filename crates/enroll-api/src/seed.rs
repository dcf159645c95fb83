//! A deterministic, generated demo directory: indirect providers with names
//! in several scripts, and demo MPN IDs. The same count always gives the
//! same data, so benches and tests can rely on it.

use enroll_core::Provider;

use crate::store::{Store, StoreError};
use enroll_core::contract::MpnEntry;

/// SplitMix64: tiny, fast, and reproducible everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `count` distinct items, in the list's order.
    fn some<T: Clone>(&mut self, items: &[T], count: usize) -> Vec<T> {
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < count.min(items.len()) {
            let i = self.below(items.len());
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen.sort_unstable();
        chosen.into_iter().map(|i| items[i].clone()).collect()
    }
}

/// (country, cities, languages spoken there, name style)
const PLACES: &[(&str, &[&str], &[&str], Style)] = &[
    (
        "DE",
        &["Berlin", "München", "Hamburg", "Köln", "Düsseldorf"],
        &["de"],
        Style::Latin("GmbH"),
    ),
    (
        "AT",
        &["Wien", "Graz", "Linz"],
        &["de"],
        Style::Latin("GmbH"),
    ),
    (
        "CH",
        &["Zürich", "Genève", "Basel"],
        &["de", "fr"],
        Style::Latin("AG"),
    ),
    (
        "FR",
        &["Paris", "Lyon", "Marseille", "Besançon"],
        &["fr"],
        Style::Latin("SAS"),
    ),
    (
        "ES",
        &["Madrid", "Barcelona", "Málaga", "Córdoba"],
        &["es"],
        Style::Latin("S.L."),
    ),
    ("PT", &["Lisboa", "Porto"], &["pt"], Style::Latin("Lda.")),
    (
        "BR",
        &["São Paulo", "Rio de Janeiro", "Belo Horizonte", "Brasília"],
        &["pt"],
        Style::Latin("Ltda."),
    ),
    (
        "MX",
        &["Ciudad de México", "Monterrey", "Guadalajara"],
        &["es"],
        Style::Latin("S.A. de C.V."),
    ),
    (
        "PL",
        &["Kraków", "Łódź", "Warszawa", "Gdańsk"],
        &["pl"],
        Style::Latin("Sp. z o.o."),
    ),
    (
        "SE",
        &["Stockholm", "Malmö", "Göteborg"],
        &["sv"],
        Style::Latin("AB"),
    ),
    (
        "NL",
        &["Amsterdam", "Rotterdam", "Utrecht"],
        &["nl"],
        Style::Latin("B.V."),
    ),
    (
        "GB",
        &["London", "Manchester", "Edinburgh", "Bristol"],
        &[],
        Style::Latin("Ltd"),
    ),
    ("IE", &["Dublin", "Cork"], &[], Style::Latin("Ltd")),
    (
        "US",
        &["Seattle", "New York", "Austin", "Chicago", "San José"],
        &["es"],
        Style::Latin("Inc."),
    ),
    (
        "CA",
        &["Toronto", "Montréal", "Vancouver", "Québec"],
        &["fr"],
        Style::Latin("Inc."),
    ),
    (
        "AU",
        &["Sydney", "Melbourne", "Brisbane"],
        &[],
        Style::Latin("Pty Ltd"),
    ),
    (
        "IN",
        &["Bengaluru", "Mumbai", "Pune", "Hyderabad"],
        &["hi"],
        Style::Latin("Pvt Ltd"),
    ),
    ("SG", &["Singapore"], &["zh-CN"], Style::Latin("Pte Ltd")),
    (
        "CN",
        &["北京", "上海", "深圳", "广州", "杭州", "成都"],
        &["zh-CN"],
        Style::Chinese,
    ),
    (
        "JP",
        &["東京", "大阪", "名古屋", "福岡"],
        &["ja"],
        Style::Japanese,
    ),
];

#[derive(Clone, Copy)]
enum Style {
    /// Latin-script name with this legal form.
    Latin(&'static str),
    Chinese,
    Japanese,
}

const LATIN_FIRST: &[&str] = &[
    "Contoso",
    "Fabrikam",
    "Northwind",
    "Adatum",
    "Litware",
    "Proseware",
    "Tailspin",
    "Wingtip",
    "Woodgrove",
    "Alpine",
    "Coho",
    "Lucerne",
    "Relecloud",
    "Trey",
    "Müller",
    "Brücke",
    "Åkesson",
    "Sørensen",
    "Núñez",
    "Gonçalves",
    "Łukasz",
    "Čapek",
    "Zoltán",
    "Île",
    "Crème",
    "Nordlicht",
    "Südwind",
    "Azur",
    "Kestrel",
    "Meridian",
    "Polaris",
    "Cobalt",
    "Summit",
    "Harbour",
    "Quantum",
];
const LATIN_SECOND: &[&str] = &[
    "Cloud",
    "Systems",
    "Solutions",
    "Distribution",
    "Technologies",
    "IT Services",
    "Digital",
    "Networks",
    "Data",
    "Informatik",
    "Consulting",
    "Partners",
];
const ZH_PREFIX: &[&str] = &[
    "云", "数据", "信息", "网络", "智能", "数字", "华", "创新", "星辰", "天空",
];
const ZH_SUFFIX: &[&str] = &[
    "科技有限公司",
    "信息技术有限公司",
    "软件有限公司",
    "网络科技有限公司",
    "数据服务有限公司",
];
const JA_MIDDLE: &[&str] = &[
    "クラウド",
    "システム",
    "データ",
    "ネットワーク",
    "情報",
    "デジタル",
];
const JA_SUFFIX: &[&str] = &[
    "株式会社",
    "ソリューションズ株式会社",
    "テクノロジー株式会社",
];

pub const PRODUCTS: &[&str] = &[
    "Azure",
    "Microsoft 365",
    "Dynamics 365",
    "Power Platform",
    "Windows",
    "Teams Phone",
    "Defender",
    "GitHub",
];
pub const SERVICES: &[&str] = &[
    "licensing",
    "migration",
    "managed services",
    "security",
    "training",
    "24/7 support",
    "billing",
    "deployment",
];

/// A provider's id: this prefix, then its index with at least
/// [`PROVIDER_ID_DIGITS`] digits (`p000042`). The demo directory is the only
/// source of providers, so this is the shape of every `{id}` of
/// `/providers/{id}`.
const PROVIDER_ID_PREFIX: &str = "p";
const PROVIDER_ID_DIGITS: usize = 6;

fn provider_id(index: usize) -> String {
    format!(
        "{PROVIDER_ID_PREFIX}{index:0width$}",
        width = PROVIDER_ID_DIGITS
    )
}

/// The shape of every [`provider_id`] (ECMA-262, as JSON Schema's
/// `pattern` reads it), for the contract's `{id}` of a provider.
pub fn provider_id_pattern() -> String {
    format!("^{PROVIDER_ID_PREFIX}[0-9]{{{PROVIDER_ID_DIGITS},}}$")
}

fn slug(index: usize) -> String {
    format!("provider{index:06}")
}

fn provider_name(rng: &mut Rng, style: Style, city: &str) -> String {
    match style {
        Style::Latin(legal) => format!(
            "{} {} {legal}",
            rng.pick(LATIN_FIRST),
            rng.pick(LATIN_SECOND)
        ),
        Style::Chinese => format!("{city}{}{}", rng.pick(ZH_PREFIX), rng.pick(ZH_SUFFIX)),
        Style::Japanese => format!("{city}{}{}", rng.pick(JA_MIDDLE), rng.pick(JA_SUFFIX)),
    }
}

/// Replaces the directory with `providers` generated providers and the
/// demo MPN IDs.
pub async fn seed(store: &Store, providers: usize) -> Result<(), StoreError> {
    store
        .replace_directory(&generate_providers(providers), &demo_mpn_directory())
        .await
}

/// `count` indirect providers, always the same for the same count.
pub fn generate_providers(count: usize) -> Vec<Provider> {
    let mut rng = Rng(0x00C5_9E11_0001);
    let countries: Vec<&str> = PLACES.iter().map(|p| p.0).collect();
    (0..count)
        .map(|index| {
            let (country, cities, languages, style) = *rng.pick(PLACES);
            let city = *rng.pick(cities);
            let name = provider_name(&mut rng, style, city);
            let mut served = vec![country.to_owned()];
            let extra = rng.below(4);
            for other in rng.some(&countries, extra) {
                if other != country {
                    served.push(other.to_owned());
                }
            }
            let mut langs: Vec<String> = vec!["en".to_owned()];
            langs.extend(languages.iter().map(|l| (*l).to_owned()));
            let product_count = 1 + rng.below(4);
            let service_count = 1 + rng.below(4);
            let slug = slug(index);
            Provider {
                id: provider_id(index),
                name,
                country: country.to_owned(),
                city: city.to_owned(),
                countries_served: served,
                products: rng
                    .some(PRODUCTS, product_count)
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
                languages: langs,
                services: rng
                    .some(SERVICES, service_count)
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
                website: format!("https://{slug}.example"),
                email: format!("partners@{slug}.example"),
                phone: format!(
                    "+{} {:03} {:04}",
                    10 + rng.below(89),
                    rng.below(1000),
                    rng.below(10_000)
                ),
                description: String::new(),
            }
        })
        .collect()
}

/// Demo MPN IDs an applicant can look up; `1234567` is the contract's
/// example company.
pub fn demo_mpn_directory() -> Vec<MpnEntry> {
    let fixed = [
        ("1234567", "Contoso Ltd", "DE"),
        ("7654321", "Fabrikam Inc.", "US"),
        ("2345678", "北京云数据科技有限公司", "CN"),
        ("3456789", "Northwind Traders Ltd", "GB"),
        ("4567890", "東京クラウド株式会社", "JP"),
        ("5678901", "Tailspin Toys Pty Ltd", "AU"),
    ];
    let mut entries: Vec<MpnEntry> = fixed
        .iter()
        .map(|(id, name, country)| MpnEntry {
            mpn_id: (*id).to_owned(),
            company_name: (*name).to_owned(),
            country: (*country).to_owned(),
        })
        .collect();
    let mut rng = Rng(0x0000_0000_000A_11CE);
    for i in 0..100u64 {
        let (country, cities, _, style) = *rng.pick(PLACES);
        let city = *rng.pick(cities);
        entries.push(MpnEntry {
            mpn_id: (6_000_000 + i * 7_919).to_string(),
            company_name: provider_name(&mut rng, style, city),
            country: country.to_owned(),
        });
    }
    entries
}

/// The demo partners' password (development only: `--seed-demo`).
pub const DEMO_PARTNER_PASSWORD: &str = "demo partner password";

/// A demo partner's sign-in, as `serve --seed-demo` prints it.
pub struct DemoSignIn {
    pub company: &'static str,
    pub email: &'static str,
    /// Its authenticator's secret (base32): add it to an authenticator
    /// app by hand, or `enroll-api totp-code --secret …`.
    pub totp_secret: &'static str,
}

/// The demo partners: (MPN ID, company, admin's first and last name, email,
/// TOTP secret, country, street, city, postal code, products, industries,
/// customer sizes, languages). Their MPN IDs are none an applicant looks up
/// (`demo_mpn_directory`).
type Demo = (
    &'static str,
    &'static str,
    (&'static str, &'static str),
    &'static str,
    &'static str,
    (&'static str, &'static str, &'static str, &'static str),
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

const DEMO_PARTNERS: [Demo; 3] = [
    (
        "9100001",
        "Spreeblick Cloud GmbH",
        ("Lena", "Krüger"),
        "lena.krueger@spreeblick-cloud.example",
        "PO2ZEEPXXONZCUDLRUFXW4WGR2RE22GD",
        ("DE", "Friedrichstraße 123", "Berlin", "10117"),
        &["azure", "azure_infrastructure", "microsoft_365"],
        &["healthcare", "government"],
        &["10_49", "50_99", "100_249"],
        &["de", "en", "zh"],
    ),
    (
        "9100002",
        "Isarwerk Digital GmbH",
        ("Jonas", "Maier"),
        "jonas.maier@isarwerk.example",
        "FH6LPC7JSVPHVZ3B4BNX3LG2HPYKGB66",
        ("DE", "Marienplatz 8", "München", "80331"),
        &["azure", "business_central"],
        &["manufacturing", "retail"],
        &["1_9", "10_49", "50_99"],
        &["de", "en"],
    ),
    (
        "9100003",
        "Thames Cloud Partners Ltd",
        ("Priya", "Shah"),
        "priya.shah@thames-cloud.example",
        "6OGCXCBGDUECMMH4DXJ4TIHGIT7CA23L",
        ("GB", "1 Poultry", "London", "EC2R 8EJ"),
        &["azure", "microsoft_365", "teams"],
        &["financial_services", "healthcare"],
        &["50_99", "100_249", "250_499"],
        &["en", "hi"],
    ),
];

/// How to sign in as each demo partner.
pub fn demo_sign_ins() -> Vec<DemoSignIn> {
    DEMO_PARTNERS
        .iter()
        .map(|(_, company, _, email, secret, ..)| DemoSignIn {
            company,
            email,
            totp_secret: secret,
        })
        .collect()
}

/// Adds the demo partners a database lacks (`--seed-demo`): approved,
/// their business profiles published, their global admins signing in with
/// `DEMO_PARTNER_PASSWORD` and their TOTP secrets.
pub async fn seed_demo_partners(store: &Store) -> Result<(), StoreError> {
    let random = |e: getrandom::Error| StoreError::Interrupted(format!("no randomness: {e}"));
    let password_hash = crate::passwords::hash(DEMO_PARTNER_PASSWORD.to_owned())
        .await
        .map_err(|e| StoreError::Interrupted(format!("hashing the demo password: {e}")))?;
    let codes = |list: &[&str]| list.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
    for (
        mpn,
        company,
        (first, last),
        email,
        secret,
        place,
        products,
        industries,
        sizes,
        languages,
    ) in DEMO_PARTNERS
    {
        let (country, street, city, postal_code) = place;
        let address = enroll_core::Address {
            country: country.to_owned(),
            lines: vec![street.to_owned()],
            locality: city.to_owned(),
            postal_code: postal_code.to_owned(),
            ..enroll_core::Address::default()
        };
        let mut answers = enroll_core::Answers::example();
        answers.mpn_id = mpn.to_owned();
        answers.company.legal_name = company.to_owned();
        answers.company.website =
            format!("https://{}", email.split('@').nth(1).unwrap_or_default());
        answers.address = address.clone();
        answers.admin.first_name = first.to_owned();
        answers.admin.last_name = last.to_owned();
        answers.admin.email = email.to_owned();
        answers.bank.account_holder = company.to_owned();
        let tenant: String = company
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        answers.tenant.csp_domain = format!("{}.onmicrosoft.com", tenant.to_lowercase());
        let profile = enroll_core::business_profile::BusinessProfile {
            description: format!("{company}: cloud projects for companies like yours, from the first workshop to the running service."),
            website: answers.company.website.clone(),
            products: codes(products),
            industries: codes(industries),
            services: codes(&["migration", "managed_services"]),
            customer_sizes: codes(sizes),
            languages: codes(languages),
            locations: vec![address],
            ..Default::default()
        };
        store
            .seed_demo_partner(crate::store::DemoPartner {
                application_id: crate::auth::new_id().map_err(random)?,
                account_id: crate::auth::new_id().map_err(random)?,
                user_id: crate::auth::new_id().map_err(random)?,
                mpn_id: mpn.to_owned(),
                answers,
                password_hash: password_hash.clone(),
                totp_secret: secret.to_owned(),
                profile,
            })
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_count_gives_the_same_directory() {
        assert_eq!(generate_providers(50), generate_providers(50));
        assert_eq!(generate_providers(50)[..10], generate_providers(10)[..]);
    }

    #[test]
    fn the_directory_has_several_scripts_and_realistic_fields() {
        let providers = generate_providers(5_000);
        assert_eq!(providers.len(), 5_000);
        let has = |pred: &dyn Fn(&str) -> bool| providers.iter().any(|p| pred(&p.name));
        assert!(
            has(&|n| n.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))),
            "Chinese names"
        );
        assert!(
            has(&|n| n.chars().any(|c| ('\u{30a0}'..='\u{30ff}').contains(&c))),
            "Japanese names"
        );
        assert!(has(&|n| n.contains("Müller")), "diacritics");
        assert!(providers.iter().any(|p| p.city == "São Paulo"));
        for p in &providers {
            assert!(p.countries_served.contains(&p.country));
            assert!(!p.products.is_empty() && !p.services.is_empty());
            // The finder shows each service in the reader's language.
            for service in &p.services {
                let label = enroll_core::provider::service_label(service);
                assert!(label.is_some(), "no words for the service {service}");
            }
            assert!(p.languages.contains(&"en".to_owned()));
            assert!(p.website.starts_with("https://") && p.email.contains('@'));
        }
        let mut ids: Vec<_> = providers.iter().map(|p| &p.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), 5_000, "ids are unique");
    }

    #[test]
    fn demo_mpn_ids_are_unique_and_include_the_contract_example() {
        let entries = demo_mpn_directory();
        assert!(entries
            .iter()
            .any(|e| e.mpn_id == "1234567" && e.company_name == "Contoso Ltd"));
        let mut ids: Vec<_> = entries.iter().map(|e| e.mpn_id.clone()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), entries.len());
    }
}
