//! `manifest.json`: what went in (files, sizes, SHA-256, counts read / accepted /
//! rejected), what came out (files, SHA-256), and the versions. It records the time of
//! the data (the period), never the time of the run, so re-runs are byte-identical.

use std::path::Path;

use serde::Serialize;

use crate::model::FileAccount;
use crate::sources::sha256_hex;

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutputFile {
    /// Path relative to the period folder, `/`-separated.
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
}

/// Totals over every input file; conserved: read = accepted + rejected.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub files: u64,
    pub files_rejected: u64,
    pub values_read: u64,
    pub values_accepted: u64,
    pub values_rejected: u64,
    pub diagnostics_errors: u64,
    pub diagnostics_warnings: u64,
}

/// An entry of the input folder that was not read (a FIFO, a link out of the input
/// folder, a hidden or lock file …), with why (a stable code, `docs/submissions.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// Path relative to the input folder, `/`-separated.
    pub file: String,
    pub why: String,
}

/// The manifest.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub yeep_version: String,
    pub plan_id: String,
    pub catalogue_version: String,
    pub period: String,
    /// Catalogue files with their SHA-256.
    pub catalogue_files: Vec<OutputFile>,
    pub inputs: Vec<FileAccount>,
    /// Entries of the input folders read for the period that were not read, and why.
    pub skipped: Vec<Skipped>,
    pub totals: Totals,
    /// Disclosure control of the period's public tables: the rules and what the audit
    /// found (cells suppressed, primary and secondary; the narrowest interval).
    pub disclosure: DisclosureRecord,
    pub outputs: Vec<OutputFile>,
}

/// The disclosure rules of a run and the audit of one period's public tables.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisclosureRecord {
    pub threshold: u32,
    pub min_contributors: u32,
    pub dominance: String,
    pub audit: crate::metrics::disclosure::AuditSummary,
}

impl Totals {
    /// Adds up the per-file accounts.
    pub fn from_files(files: &[FileAccount], errors: u64, warnings: u64) -> Totals {
        Totals {
            files: files.len() as u64,
            files_rejected: files
                .iter()
                .filter(|f| f.status == crate::model::FileStatus::Rejected)
                .count() as u64,
            values_read: files.iter().map(|f| f.values_read).sum(),
            values_accepted: files.iter().map(|f| f.values_accepted).sum(),
            values_rejected: files.iter().map(|f| f.values_rejected).sum(),
            diagnostics_errors: errors,
            diagnostics_warnings: warnings,
        }
    }
}

/// Describes a written file relative to `base`.
///
/// # Errors
///
/// I/O errors reading the file.
pub fn describe(base: &Path, path: &Path) -> std::io::Result<OutputFile> {
    let bytes = std::fs::read(path)?;
    let rel = path.strip_prefix(base).unwrap_or(path);
    Ok(OutputFile {
        file: rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        bytes: bytes.len() as u64,
        sha256: sha256_hex(&bytes),
    })
}

/// Writes the manifest as pretty JSON (sorted inputs and outputs).
///
/// # Errors
///
/// I/O or serialisation errors.
pub fn write(manifest: &Manifest, path: &Path) -> std::io::Result<()> {
    let mut m = manifest.clone();
    m.inputs.sort_by(|a, b| a.file.cmp(&b.file));
    m.outputs.sort_by(|a, b| a.file.cmp(&b.file));
    let mut text = serde_json::to_string_pretty(&m).map_err(std::io::Error::other)?;
    text.push('\n');
    super::atomic::write(path, text.as_bytes())
}
