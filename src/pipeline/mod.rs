//! Configuration and orchestration: sources → normalise → validate → observations →
//! metrics → sinks.

pub mod cache;
pub mod collect;
mod config;
pub mod output;
pub mod run;
pub mod summary;
pub mod uptodate;

pub use collect::{collect_submissions, collect_submissions_cached, Collected};
pub use config::{
    lexically_normal, AreaSpec, ConfigError, DisclosureConfig, Pipeline, SexLayout, SubmissionsConfig, TuikMapping,
    DEFAULT_PIPELINE,
};
