//! yeep's integration tests: one binary, so polars is linked once.

mod cache;
mod catalogue;
mod common;
mod demo;
mod hostile;
mod metrics;
mod normalise_props;
mod run;
mod sniff;
mod submission;
mod template;
mod tuik;
