//! The spine: one tidy long table of accepted values, every value with its source cell.
//! Columns follow the BI contract (`docs/data-dictionary.md`).

use serde::{Deserialize, Serialize};

use crate::normalise::Sex;

/// One accepted value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub plan_id: String,
    pub period: String,
    pub indicator_id: String,
    pub theme: String,
    /// Reporting unit; `tuik` for TÜİK tables.
    pub unit_id: String,
    /// Canonical district name or the plan's city-wide name (`İzmir Geneli`).
    pub district: String,
    pub sex: Sex,
    pub age_group: Option<String>,
    pub disability: Option<String>,
    pub value: f64,
    /// Path relative to the input folder, `/`-separated.
    pub source_file: String,
    pub source_sheet: String,
    /// `F12`-style reference.
    pub source_cell: String,
}

/// Column names of `observations`, in order.
pub const COLUMNS: &[&str] = &[
    "plan_id",
    "period",
    "indicator_id",
    "theme",
    "unit_id",
    "district",
    "sex",
    "age_group",
    "disability",
    "value",
    "source_file",
    "source_sheet",
    "source_cell",
];

/// Sorts observations into the table's canonical order (so outputs are deterministic).
pub fn sort(obs: &mut [Observation]) {
    obs.sort_by(|a, b| {
        (
            &a.period,
            &a.indicator_id,
            &a.unit_id,
            &a.district,
            a.sex,
            &a.age_group,
            &a.disability,
            &a.source_file,
            &a.source_cell,
        )
            .cmp(&(
                &b.period,
                &b.indicator_id,
                &b.unit_id,
                &b.district,
                b.sex,
                &b.age_group,
                &b.disability,
                &b.source_file,
                &b.source_cell,
            ))
    });
}
