//! What happened to each input file: the manifest's per-file line.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The kind of an input file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// A unit's submission workbook (`submissions/<period>/…`).
    #[default]
    Submission,
    /// A TÜİK statistics table (`tuik/…`).
    Tuik,
}

impl SourceKind {
    /// The stable code used in the manifest and the feed.
    pub fn code(self) -> &'static str {
        match self {
            SourceKind::Submission => "submission",
            SourceKind::Tuik => "tuik",
        }
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What became of a file as a whole.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    /// Read; its values were judged one by one (some may still be rejected).
    Accepted,
    /// Refused as a whole (unreadable, unsafe, wrong period, every mapping failed …).
    #[default]
    Rejected,
    /// A later resubmission of the same unit and period won; its values are not used.
    Superseded,
    /// A TÜİK table some of whose mappings failed.
    Partial,
    /// A TÜİK table no `[[tuik]]` mapping applies to.
    Unmapped,
}

impl FileStatus {
    /// Every status, in a stable order.
    pub const ALL: [FileStatus; 5] = [
        FileStatus::Accepted,
        FileStatus::Rejected,
        FileStatus::Superseded,
        FileStatus::Partial,
        FileStatus::Unmapped,
    ];

    /// The status of a stable code.
    pub fn from_code(code: &str) -> Option<FileStatus> {
        FileStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The stable code used in the manifest and the feed.
    pub fn code(self) -> &'static str {
        match self {
            FileStatus::Accepted => "accepted",
            FileStatus::Rejected => "rejected",
            FileStatus::Superseded => "superseded",
            FileStatus::Partial => "partial",
            FileStatus::Unmapped => "unmapped",
        }
    }

    /// The word a person reads.
    pub fn label(self, lang: super::Lang) -> &'static str {
        match self {
            FileStatus::Accepted => lang.pick("kabul", "accepted"),
            FileStatus::Rejected => lang.pick("reddedildi", "rejected"),
            FileStatus::Superseded => lang.pick("yerine yenisi geldi", "superseded"),
            FileStatus::Partial => lang.pick("kısmen okundu", "partly read"),
            FileStatus::Unmapped => lang.pick("eşlemesi yok", "not mapped"),
        }
    }
}

impl fmt::Display for FileStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What happened to one input file. Conserved:
/// `values_read == values_accepted + values_rejected`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileAccount {
    /// Path relative to the input folder, `/`-separated.
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
    pub source: SourceKind,
    /// Reporting unit (submissions) or `tuik`.
    pub unit_id: String,
    pub period: String,
    /// The date the unit filled it in (`Tarih` on the Bilgi sheet), if given; written
    /// `YYYY-MM-DD`, empty when absent.
    #[serde(with = "super::date::empty_as_none")]
    pub submitted: Option<super::Date>,
    /// The date the statistics unit received it (the receipts list, `alindi.csv`), if
    /// listed; `YYYY-MM-DD`, empty when not.
    #[serde(with = "super::date::empty_as_none", default)]
    pub received: Option<super::Date>,
    pub status: FileStatus,
    pub values_read: u64,
    pub values_accepted: u64,
    pub values_rejected: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    #[test]
    fn every_status_has_a_code_and_two_labels() {
        for s in FileStatus::ALL {
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.code()));
            assert_ne!(s.label(Lang::Tr), s.label(Lang::En));
        }
    }
}
