//! yeep's integration tests: one binary, so polars is linked once.

mod architecture;
mod cache;
mod catalogue;
mod common;
mod config;
mod demo;
mod disclosure;
mod e2e;
mod fuzz;
mod hostile;
mod issue_16_install;
mod layout;
mod metrics;
mod normalise_props;
mod notes;
mod plan_workbook;
mod print;
mod robust;
mod run;
mod second_plan;
mod sniff;
mod submission;
mod template;
mod tuik;
mod tuik_inspect;
mod tuik_issue13;
