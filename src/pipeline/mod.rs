//! Configuration and orchestration: sources → normalise → validate → observations →
//! metrics → sinks.

pub mod cache;
pub mod collect;
mod config;
pub mod output;
pub mod progress;
pub mod receipts;
pub mod run;
pub mod summary;
pub mod uptodate;
pub mod validate;

pub use collect::Collected;
pub use config::{
    lexically_normal, AreaSpec, ConfigError, DisclosureConfig, Pipeline, SexLayout, SubmissionsConfig, TuikMapping,
    DEFAULT_PIPELINE,
};
