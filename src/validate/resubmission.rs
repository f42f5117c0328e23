//! The resubmission rule: which of a unit's files for a period counts.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use super::FileOutcome;
use crate::diagnostics::{Diagnostic, Note, Reason};
use crate::model::FileStatus;

/// Whether `a` wins over `b` under the rule: the latest `Tarih` wins (a file without a
/// readable `Tarih` counts as oldest); on a tie, the one whose path sorts last.
pub fn later(a: &FileOutcome, b: &FileOutcome) -> Ordering {
    (a.date.is_some(), &a.date, &a.account.file).cmp(&(b.date.is_some(), &b.date, &b.account.file))
}

/// The resubmission rule: among the accepted files of one unit and period, the one
/// [`later`] than all others wins. The others are `superseded`: their values are counted
/// as rejected and they get one `duplicate-submission` diagnostic naming the winner.
pub fn resolve(mut outcomes: Vec<FileOutcome>) -> Vec<FileOutcome> {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, o) in outcomes.iter().enumerate() {
        if o.file_accepted {
            groups.entry(o.account.unit_id.clone()).or_default().push(i);
        }
    }
    for idx in groups.values().filter(|v| v.len() > 1) {
        let winner = *idx
            .iter()
            .max_by(|a, b| later(&outcomes[**a], &outcomes[**b]))
            .expect("non-empty group");
        let note = Note::Superseded {
            winner: outcomes[winner].account.file.clone(),
            date: outcomes[winner].date.clone(),
        };
        for &i in idx.iter().filter(|i| **i != winner) {
            supersede(&mut outcomes[i], &note);
        }
    }
    outcomes
}

/// Marks a losing file `superseded`: no values, one `duplicate-submission` diagnostic.
fn supersede(o: &mut FileOutcome, note: &Note) {
    o.observations.clear();
    o.diagnostics = vec![
        Diagnostic::file(Reason::DuplicateSubmission, &o.account.file, note.clone())
            .with_unit_period(&o.account.unit_id, &o.account.period)
            .with_value(o.date.clone().unwrap_or_default()),
    ];
    o.account.status = FileStatus::Superseded;
    o.account.values_accepted = 0;
    o.account.values_rejected = o.account.values_read;
}
