//! yeep monitors a municipality's Local Equality Action Plan (Yerel Eşitlik Eylem Planı).
//!
//! Data flows one way: **sources → normalise → validate → observations → metrics →
//! sinks**. The plan itself is data: the [`catalogue`], loaded from the pipeline file
//! ([`pipeline::Pipeline`]).

pub mod catalogue;
pub mod cli;
pub mod demo;
pub mod lang;
pub mod metrics;
pub mod normalise;
pub mod observations;
pub mod pipeline;
pub mod progress;
pub mod sinks;
pub mod sources;
pub mod submission_layout;
pub mod validate;
