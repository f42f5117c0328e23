//! yeep monitors a municipality's Local Equality Action Plan (Yerel Eşitlik Eylem Planı).
//!
//! Data flows one way, and so do the imports. Each floor may use the floors below it,
//! never one above (`tests/it/architecture.rs` reads every `crate::…` path in `src/` and
//! fails on one that points up; see `docs/architecture.md`):
//!
//! ```text
//! normalise ← model ← diagnostics      the ground: text and numbers, shapes, reason codes
//!   ← catalogue                        the plan as data
//!   ← sources                          bytes → raw cells (the only place calamine appears)
//!   ← validate                         raw cells → observations and diagnostics
//!   ← metrics                          observations → metrics (polars)
//!   ← sinks                            everything written (the only place rust_xlsxwriter appears)
//!   ← pipeline | demo                  orchestration | synthetic inputs (neither uses the other)
//!   ← cli
//! ```
//!
//! The plan itself is data: the [`catalogue`], loaded from the pipeline file
//! ([`pipeline::Pipeline`]).

/// This build's identity: the SHA-256 of its sources, `Cargo.lock`, compiler, profile and
/// features (computed by `build.rs`). The re-run cache and the up-to-date records are keyed
/// on it, so a rebuilt binary never reuses what another build computed.
pub const BUILD_ID: &str = env!("YEEP_BUILD_ID");

pub mod catalogue;
pub mod cli;
pub mod demo;
pub mod diagnostics;
pub mod metrics;
pub mod model;
pub mod normalise;
pub mod pipeline;
pub mod sinks;
pub mod sources;
pub mod validate;
