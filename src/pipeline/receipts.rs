//! The receipts list (`docs/submissions.md`, "Receipts"): the date each workbook reached
//! the statistics unit, kept by the unit in `<input>/submissions/<period>/alindi.csv`
//! beside the workbooks — so that "on time" does not rest on the `Tarih` a unit typed
//! itself. Two columns, with a header: the file name (as in the folder, or its path under
//! the period folder) and the date received (`2024-01-15` or `15.01.2024`); `,` or `;`
//! between them (Excel in Turkish writes `;`).

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Note, Reason, ReceiptProblem};
use crate::model::Date;
use crate::sources::submission::parse_date_text;

/// The receipts list's file name in a period folder.
pub const FILE_NAME: &str = "alindi.csv";

/// A read receipts list: file (as written) → date received, and a warning for every line
/// that could not be read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Receipts {
    pub dates: BTreeMap<String, Date>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Receipts {
    /// The date `rel` (a path under the input folder) was received: by its path under
    /// the period folder, or by its file name.
    pub fn received(&self, rel: &str, period_prefix: &str) -> Option<Date> {
        let under = rel.strip_prefix(period_prefix).unwrap_or(rel);
        let name = rel.rsplit('/').next().unwrap_or(rel);
        self.dates.get(under).or_else(|| self.dates.get(name)).copied()
    }
}

/// Reads the receipts list at `path` (`rel`: its path under the input folder, for the
/// messages). A missing list is no list; a bad line is a `receipt-invalid` warning with
/// its line, and the other lines count.
pub fn read(path: &Path, rel: &str, max_bytes: u64) -> Receipts {
    let mut out = Receipts::default();
    let bad = |line: usize, problem: ReceiptProblem| {
        Diagnostic::file(
            Reason::ReceiptInvalid,
            rel,
            Note::ReceiptLine {
                line: line as u64,
                problem,
            },
        )
    };
    let bytes = match std::fs::metadata(path) {
        Ok(m) if m.len() > max_bytes => {
            out.diagnostics.push(bad(0, ReceiptProblem::TooLarge));
            return out;
        }
        Ok(_) => match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(file = rel, error = %e, "receipts list unreadable");
                out.diagnostics.push(bad(0, ReceiptProblem::Unreadable));
                return out;
            }
        },
        Err(_) => return out,
    };
    let text = String::from_utf8_lossy(&bytes);
    let text = text.trim_start_matches('\u{feff}');
    for (k, line) in text.lines().enumerate() {
        let line_no = k + 1;
        if line.trim().is_empty() || k == 0 {
            // The header (any wording) and blank lines.
            continue;
        }
        let sep = if line.contains(';') { ';' } else { ',' };
        let mut cells = line.splitn(2, sep).map(|c| c.trim().trim_matches('"').trim());
        let (Some(file), Some(date)) = (cells.next(), cells.next()) else {
            out.diagnostics.push(bad(line_no, ReceiptProblem::NotTwoColumns));
            continue;
        };
        if file.is_empty() {
            out.diagnostics.push(bad(line_no, ReceiptProblem::NoFile));
            continue;
        }
        match parse_date_text(date).as_deref().and_then(Date::parse) {
            Some(d) => {
                if out.dates.insert(file.to_string(), d).is_some_and(|old| old != d) {
                    out.diagnostics.push(bad(line_no, ReceiptProblem::ListedTwice));
                }
            }
            None => out.diagnostics.push(bad(line_no, ReceiptProblem::NotADate)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_separators_and_date_styles_and_reports_bad_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(FILE_NAME);
        std::fs::write(
            &p,
            "\u{feff}dosya;alındı\nilce-konak-2023.xlsx;15.01.2024\nizum-2023.ods,2024-02-20\nx.xlsx;31.02.2024\n\nnodate\n",
        )
        .unwrap();
        let r = read(&p, "submissions/2023/alindi.csv", 1 << 20);
        assert_eq!(r.dates.len(), 2);
        assert_eq!(
            r.received("submissions/2023/ilce-konak-2023.xlsx", "submissions/2023/"),
            Date::parse("2024-01-15")
        );
        assert_eq!(
            r.received("submissions/2023/izum-2023.ods", "submissions/2023/"),
            Date::parse("2024-02-20")
        );
        assert_eq!(r.received("submissions/2023/other.xlsx", "submissions/2023/"), None);
        let lines: Vec<u64> = r
            .diagnostics
            .iter()
            .map(|d| match &d.note {
                Note::ReceiptLine { line, .. } => *line,
                _ => 0,
            })
            .collect();
        assert_eq!(lines, vec![4, 6]);
        assert!(read(&dir.path().join("none.csv"), "x", 1 << 20).dates.is_empty());
    }
}
