//! The provider finder's search: one index and one ranking, used by the
//! browser app (searching the whole directory on every keystroke) and by the
//! API's `GET /providers?q=` (when the directory is too big to download).

mod compact;
#[cfg(feature = "openapi")]
mod compact_schema;
mod fold;
mod index;

pub use compact::{CompactDirectory, Facets, Listing};
pub use fold::{fold, fold_words, fold_words_into, is_cjk, tokens, Token};
pub use index::{Facet, FinderQuery, ProviderIndex, SortOrder};
