//! The program's settings, changed by operators (`enroll-api program`):
//! its name in each language, and whether direct enrollment is open.

use enroll_core::{Locale, ProgramLinks, ProgramSettings};

use super::{Param, Store, StoreError};

impl Store {
    pub async fn program_settings(&self) -> Result<ProgramSettings, StoreError> {
        let mut conn = self.acquire().await?;
        let row: (String, bool, Option<String>, String, String) = on!(conn, c => sqlx::query_as(
            "SELECT program_name, direct_enrollment_open, direct_enrollment_note,
                    supported_countries, join_mpn_url
             FROM program_settings WHERE id = 1",
        )
        .fetch_one(c)
        .await)?;
        let (program_name, direct_enrollment_open, note, countries, join_mpn) = row;
        let supported_countries = serde_json::from_str(&countries)
            .map_err(|e| StoreError::Corrupt(format!("supported_countries: {e}")))?;
        let named: Vec<(String, String)> = on!(conn, c => sqlx::query_as(
            "SELECT locale, name FROM program_names ORDER BY locale"
        )
        .fetch_all(c)
        .await)?;
        // Every language the app speaks has a name: the default where the
        // operator gave none, so a language switch never shows the name of
        // the language the request was in.
        let mut program_names: std::collections::BTreeMap<String, String> =
            named.into_iter().collect();
        for locale in Locale::ALL {
            program_names
                .entry(locale.tag().to_owned())
                .or_insert_with(|| program_name.clone());
        }
        Ok(ProgramSettings {
            program_name,
            program_names,
            direct_enrollment_open,
            direct_enrollment_note: note.filter(|n| !n.is_empty()),
            supported_countries,
            links: ProgramLinks { join_mpn },
        })
    }

    /// Names the program in `locale` (shown to applicants reading it).
    pub async fn set_program_name(&self, locale: Locale, name: &str) -> Result<(), StoreError> {
        let sql = "INSERT INTO program_names (locale, name) VALUES ($1, $2)
                   ON CONFLICT (locale) DO UPDATE SET name = excluded.name";
        let params = vec![locale.tag().into(), name.trim().into()];
        self.execute(sql, params).await.map(drop)
    }

    /// Opens or closes direct enrollment; `note` replaces the previous note
    /// (None clears it).
    pub async fn set_direct_enrollment(
        &self,
        open: bool,
        note: Option<&str>,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE program_settings
                   SET direct_enrollment_open = $1, direct_enrollment_note = $2, updated_at = $3
                   WHERE id = 1";
        let params = vec![
            open.into(),
            Param::Text(note.map(str::to_owned)),
            self.now_iso().as_str().into(),
        ];
        self.execute(sql, params).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::engine::tests::fresh;

    #[tokio::test]
    async fn a_new_database_has_direct_enrollment_closed() {
        let (_dir, store) = fresh().await;
        let settings = store.program_settings().await.unwrap();
        assert!(!settings.direct_enrollment_open);
        assert!(settings.supported_countries.contains(&"DE".to_owned()));
        assert!(settings.links.join_mpn.starts_with("https://"));
    }

    #[tokio::test]
    async fn opening_direct_enrollment_persists_across_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = Store::open(&url).await.unwrap();
        store
            .set_direct_enrollment(true, Some("Reopened in May"))
            .await
            .unwrap();
        drop(store);
        let settings = Store::open(&url)
            .await
            .unwrap()
            .program_settings()
            .await
            .unwrap();
        assert!(settings.direct_enrollment_open);
        assert_eq!(
            settings.direct_enrollment_note.as_deref(),
            Some("Reopened in May")
        );
    }
}
