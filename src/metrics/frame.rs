//! The observations as a polars frame: the metrics' input.

use polars::prelude::*;

use crate::model::Observation;

/// The observations as a polars DataFrame with the contract's columns and types.
///
/// # Errors
///
/// [`PolarsError`] if polars cannot build the frame.
pub fn to_dataframe(obs: &[Observation]) -> PolarsResult<DataFrame> {
    let s = |f: &dyn Fn(&Observation) -> &str| -> Vec<&str> { obs.iter().map(f).collect() };
    let o = |f: &dyn Fn(&Observation) -> Option<&str>| -> Vec<Option<&str>> { obs.iter().map(f).collect() };
    let columns = vec![
        Column::new("plan_id".into(), s(&|x| &x.plan_id)),
        Column::new("period".into(), s(&|x| &x.period)),
        Column::new("indicator_id".into(), s(&|x| &x.indicator_id)),
        Column::new("theme".into(), s(&|x| &x.theme)),
        Column::new("unit_id".into(), s(&|x| &x.unit_id)),
        Column::new("district".into(), s(&|x| &x.district)),
        Column::new("sex".into(), s(&|x| x.sex.as_str())),
        Column::new("age_group".into(), o(&|x| x.age_group.as_deref())),
        Column::new("disability".into(), o(&|x| x.disability.as_deref())),
        Column::new("value".into(), obs.iter().map(|x| x.value).collect::<Vec<f64>>()),
        Column::new("source_file".into(), s(&|x| &x.source_file)),
        Column::new("source_sheet".into(), s(&|x| &x.source_sheet)),
        Column::new("source_cell".into(), s(&|x| &x.source_cell)),
    ];
    DataFrame::new(obs.len(), columns)
}
