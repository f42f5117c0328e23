//! yeep's integration tests: one binary, so polars is linked once.

mod catalogue;
mod common;
mod normalise_props;
mod tuik;
