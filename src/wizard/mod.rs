//! The enrollment wizard, one file per step.

pub mod start;
