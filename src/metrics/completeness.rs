//! Submission completeness the way DHIS2 reports it: per reporting unit and period,
//! expected / received / received on time / rejected; per theme, the share of
//! (unit, indicator) pairs with data and the share of activities with any reported data.

use std::collections::{BTreeSet, HashSet};

use serde::Serialize;

use crate::catalogue::Catalogue;
use crate::model::observation::Observation;
use crate::model::{Date, FileAccount, FileStatus, SourceKind};

/// One reporting unit in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitCompleteness {
    pub unit_id: String,
    pub period: String,
    /// Indicators the unit is expected to report.
    pub indicators_expected: usize,
    /// Of those, indicators with at least one accepted value.
    pub indicators_received: usize,
    /// A workbook was accepted for the unit and period.
    pub received: bool,
    /// Received on or before the deadline: by the receipts list's date where the file is
    /// listed, otherwise by the `Tarih` the unit typed on Bilgi.
    pub on_time: bool,
    /// The date the accepted workbook was received (receipts list), if listed.
    pub received_on: Option<Date>,
    /// The `Tarih` typed on the accepted workbook's Bilgi sheet, if any.
    pub dated: Option<Date>,
    /// Every workbook the unit sent for the period was rejected.
    pub rejected: bool,
}

/// One theme in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeCompleteness {
    pub theme: String,
    pub period: String,
    /// (unit, indicator) pairs expected.
    pub expected: usize,
    /// Of those, pairs with at least one accepted value.
    pub received: usize,
    pub activities: usize,
    pub activities_with_data: usize,
}

impl ThemeCompleteness {
    /// Received / expected, 0–1.
    pub fn rate(&self) -> f64 {
        if self.expected == 0 {
            0.0
        } else {
            self.received as f64 / self.expected as f64
        }
    }
}

/// Completeness of every reporting unit for `period`; on time means dated on or before
/// `deadline`.
pub fn by_unit(
    cat: &Catalogue,
    period: &str,
    files: &[FileAccount],
    obs: &[Observation],
    deadline: Option<Date>,
) -> Vec<UnitCompleteness> {
    let pairs: HashSet<(&str, &str)> = obs
        .iter()
        .filter(|o| o.period == period)
        .map(|o| (o.unit_id.as_str(), o.indicator_id.as_str()))
        .collect();
    cat.reporting_units()
        .into_iter()
        .map(|u| {
            let expected: Vec<&str> = cat.indicators_for_unit(&u.id).map(|i| i.id.as_str()).collect();
            let received_inds = expected
                .iter()
                .filter(|i| pairs.contains(&(u.id.as_str(), **i)))
                .count();
            let mine: Vec<&FileAccount> = files
                .iter()
                .filter(|f| f.unit_id == u.id && f.period == period && f.source == SourceKind::Submission)
                .collect();
            let accepted: Vec<&&FileAccount> = mine.iter().filter(|f| f.status == FileStatus::Accepted).collect();
            let received = !accepted.is_empty();
            // The receipts list's date where there is one: the unit's own `Tarih` is
            // only its word.
            let when = |f: &FileAccount| f.received.or(f.submitted);
            let on_time = received
                && match deadline {
                    Some(d) => accepted.iter().any(|f| when(f).is_some_and(|s| s <= d)),
                    None => true,
                };
            let received_on = accepted.iter().filter_map(|f| f.received).min();
            let dated = accepted.iter().filter_map(|f| f.submitted).max();
            UnitCompleteness {
                unit_id: u.id.clone(),
                period: period.to_string(),
                indicators_expected: expected.len(),
                indicators_received: received_inds,
                received,
                on_time,
                received_on,
                dated,
                rejected: !mine.is_empty() && !received,
            }
        })
        .collect()
}

/// Completeness of every theme for `period`.
pub fn by_theme(cat: &Catalogue, period: &str, obs: &[Observation]) -> Vec<ThemeCompleteness> {
    let pairs: HashSet<(&str, &str)> = obs
        .iter()
        .filter(|o| o.period == period)
        .map(|o| (o.unit_id.as_str(), o.indicator_id.as_str()))
        .collect();
    let with_data: BTreeSet<&str> = pairs.iter().map(|(_, i)| *i).collect();
    cat.themes
        .iter()
        .map(|t| {
            let inds: Vec<_> = cat.indicators.iter().filter(|i| i.theme == t.id).collect();
            let expected = inds.iter().map(|i| i.reporting_units.len()).sum();
            let received = inds
                .iter()
                .map(|i| {
                    i.reporting_units
                        .iter()
                        .filter(|u| pairs.contains(&(u.as_str(), i.id.as_str())))
                        .count()
                })
                .sum();
            let acts: Vec<_> = cat.activities.iter().filter(|a| a.theme == t.id).collect();
            let activities_with_data = acts
                .iter()
                .filter(|a| {
                    inds.iter()
                        .any(|i| i.activity == a.id && with_data.contains(i.id.as_str()))
                })
                .count();
            ThemeCompleteness {
                theme: t.id.clone(),
                period: period.to_string(),
                expected,
                received,
                activities: acts.len(),
                activities_with_data,
            }
        })
        .collect()
}
