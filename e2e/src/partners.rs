//! Partners customers can find, and the find-a-partner page a customer
//! uses.

use crate::Stack;

impl Stack {
    /// The example application (Contoso Ltd, jane.doe@contoso.com)
    /// approved, its business profile published as its admin would: in
    /// Berlin, for Azure and Microsoft 365 in healthcare, companies of
    /// 50–99, in German, English and Chinese.
    pub async fn published_partner(&self) {
        let (id, _) = self.submitted_application().await;
        self.operator(&["review", "start", &id]).await;
        self.operator(&["review", "approve", &id]).await;
        let store = enroll_api::store::Store::open(&self.database)
            .await
            .expect("the database");
        let admin = store
            .user_by_email("jane.doe@contoso.com")
            .await
            .expect("read")
            .expect("the account's admin");
        let profile: enroll_core::business_profile::BusinessProfile =
            serde_json::from_value(serde_json::json!({
                "description": "Cloud migrations for hospitals and clinics.",
                "website": "https://contoso.com",
                "industries": ["healthcare"],
                "products": ["azure", "microsoft_365"],
                "services": ["migration"],
                "customer_sizes": ["50_99"],
                "languages": ["de", "en", "zh"],
                "locations": [{"country": "DE", "lines": ["Unter den Linden 1"],
                    "locality": "Berlin", "postal_code": "10117"}],
                "referral_contact": admin.id,
                "published": true
            }))
            .expect("a profile");
        let body = serde_json::to_string(&profile).expect("json");
        let contact = profile.referral_contact.clone();
        store
            .save_business_profile(&admin.account_id, None, body, true, contact)
            .await
            .expect("saved");
    }

    /// Opens the find-a-partner page the API serves on its own
    /// (`/find-partner.html`), once its countries are there.
    pub async fn open_find_partner(&self) {
        self.browser
            .goto(&self.url("/find-partner.html"))
            .await
            .expect("opens");
        self.wait_for("#f-needs-country option[value='DE']").await;
    }
}
