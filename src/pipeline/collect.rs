//! MERGE: replaced by the submissions branch.
use crate::observations::Observation;
use crate::sources::FileAccount;
use crate::validate::Diagnostic;

#[derive(Debug, Clone, Default)]
pub struct Collected {
    pub observations: Vec<Observation>,
    pub diagnostics: Vec<Diagnostic>,
    pub files: Vec<FileAccount>,
}
