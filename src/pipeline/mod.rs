//! Configuration and orchestration: sources → normalise → validate → observations →
//! metrics → sinks.

pub mod collect;
mod config;
pub mod output;
pub mod run;

pub use collect::{collect_submissions, Collected};
pub use config::{
    AreaSpec, ConfigError, DisclosureConfig, Pipeline, SexLayout, SubmissionsConfig, TuikMapping, DEFAULT_PIPELINE,
};
