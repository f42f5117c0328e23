//! Configuration and orchestration: sources → normalise → validate → observations →
//! metrics → sinks.

mod config;

pub use config::{ConfigError, DisclosureConfig, Pipeline, SubmissionsConfig, DEFAULT_PIPELINE};
