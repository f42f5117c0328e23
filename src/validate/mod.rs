//! Validation: judges what the sources read. A submission's raw cells and a TÜİK table's
//! selected cells become [`Observation`](crate::model::Observation)s and
//! [`Diagnostic`](crate::diagnostics::Diagnostic)s; the resubmission rule decides which of
//! a unit's files counts.

pub mod resubmission;
pub mod submission;
pub mod tuik;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{FileAccount, FileStatus, Observation};

/// One input file's judged outcome, before resubmissions are resolved.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FileOutcome {
    pub account: FileAccount,
    pub observations: Vec<Observation>,
    pub diagnostics: Vec<Diagnostic>,
    /// `Tarih` on `Bilgi` (`YYYY-MM-DD`).
    pub date: Option<String>,
    /// Whether the file as a whole was accepted (takes part in the resubmission rule).
    pub file_accepted: bool,
}

impl FileOutcome {
    /// Whether anything in it was rejected (an error-severity diagnostic).
    pub fn has_rejections(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity() == Severity::Error)
    }
}

/// The outcome of a file refused as a whole, with its one file-level diagnostic.
pub fn refused(account: FileAccount, diagnostic: Diagnostic, period: &str) -> FileOutcome {
    let mut o = FileOutcome {
        account,
        ..FileOutcome::default()
    };
    o.account.status = FileStatus::Rejected;
    o.diagnostics.push(diagnostic.with_unit_period("", period));
    o
}
