//! Configuration and orchestration: sources → normalise → validate → observations →
//! metrics → sinks.

mod config;

pub use config::{
    AreaSpec, ConfigError, DisclosureConfig, Pipeline, SexLayout, SubmissionsConfig, TuikMapping, DEFAULT_PIPELINE,
};
