//! The defaults of `serve`'s mail flags: how fast and how wide the sender
//! sends, and how long it waits.

pub const PER_MINUTE: u32 = 120;
pub const TIMEOUT_SECS: u64 = 30;
pub const LEASE_SECS: u64 = 120;
pub const SHUTDOWN_WAIT_SECS: u64 = 5;
/// Connections to the relay, and so sends at once.
pub const CONNECTIONS: u32 = 4;
pub const POLL_SECS: u64 = 5;
