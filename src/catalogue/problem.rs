//! Problems found in the catalogue, located to file and line: what loading and the
//! load-time checks report.

use std::fmt;
use std::path::PathBuf;

/// One problem found in the catalogue, located to file, line and entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueProblem {
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The entry, e.g. `activity egitim-1.2.3`.
    pub entry: String,
    pub message: String,
}

impl fmt::Display for CatalogueProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        if !self.entry.is_empty() {
            write!(f, ": {}", self.entry)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why a catalogue could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("cannot read catalogue file {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("the catalogue has {} problem(s):\n{}", .0.len(), .0.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Problems(Vec<CatalogueProblem>),
}

/// Where an entry was defined: file and 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Location {
    pub file: PathBuf,
    pub line: usize,
}

/// Collects problems with their locations while loading.
pub(crate) struct Problems(pub Vec<CatalogueProblem>);

impl Problems {
    pub(crate) fn at(&mut self, loc: &Location, entry: impl Into<String>, message: impl Into<String>) {
        self.0.push(CatalogueProblem {
            file: loc.file.clone(),
            line: Some(loc.line),
            entry: entry.into(),
            message: message.into(),
        });
    }
}
