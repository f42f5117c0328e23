//! `yeep validate`: the validation reports alone, through the same collector, the same
//! checks and the same report writer as `yeep run`, without computing metrics. It takes
//! the output lock, judges submissions *and* TÜİK tables, checks `--period` against the
//! plan, and writes each period's report into its own folder,
//! `<output>/<plan>/dogrulama/<period>/` (staged, then swapped into place), so the
//! period folders `yeep run` writes, and their manifests, are never touched.

use std::path::PathBuf;

use super::cache::Cache;
use super::output;
use super::run::{periods_asked, read_inputs, RunError, RunOptions};
use super::Pipeline;
use crate::diagnostics::Severity;
use crate::sinks::report;

/// The folder under `<output>/<plan>/` that `yeep validate` writes into.
pub const VALIDATE_DIR: &str = "dogrulama";

/// What `yeep validate` wrote for one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validated {
    pub period: String,
    /// The report (`dogrulama-<period>.xlsx`) and its CSV.
    pub xlsx: PathBuf,
    pub csv: PathBuf,
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
}

/// Reads and judges the inputs of the periods asked for (`opts.period`, else every period
/// with a `submissions/<period>` folder) and the TÜİK tables, and writes each period's
/// validation report: the same report, byte for byte, that `yeep run` writes into the
/// period folder.
///
/// # Errors
///
/// As [`super::run::run`]: an unknown period, no inputs, the lock held by another run, a
/// report that cannot be written (the previous one is then left in place).
pub fn validate(p: &Pipeline, opts: &RunOptions) -> Result<Vec<Validated>, RunError> {
    let cat = p.catalogue()?;
    // Configuration first: nothing is read, locked or written for a wrong pipeline file.
    p.check_against(&cat)?;
    let input = opts.input.clone().unwrap_or_else(|| p.input_dir.clone());
    let layout = super::run::layout(p, opts, &cat.plan.id)?;
    let plan_dir = &layout.plan_dir;
    let _lock = output::lock(plan_dir, opts.lock_wait)?;
    let _state_lock = output::lock(&layout.state_dir, opts.lock_wait)?;
    let (_, periods) = periods_asked(&cat, opts.period.as_deref(), &input)?;
    let base = plan_dir.join(VALIDATE_DIR);
    output::clean_leftovers(&base);
    let cache = Cache::open_for_build(p, &layout.cache_dir(), opts.build_id());
    let wanted: Vec<&String> = periods.iter().collect();
    let inputs = read_inputs(p, &cat, &input, &wanted, &cache, &opts.progress);
    let lang = opts.lang.unwrap_or(p.lang);
    let mut out = Vec::new();
    for period in &periods {
        let (files, diagnostics) = inputs.period_files_and_diagnostics(period);
        let final_dir = base.join(period);
        let stage = output::staging_dir(&final_dir)?;
        report::write_report(&cat, &files, &diagnostics, period, lang, &stage).map_err(|e| RunError::Write {
            path: stage.clone(),
            message: e.to_string(),
        })?;
        output::replace_dir(&stage, &final_dir)?;
        let (xlsx, csv) = report::report_paths(&final_dir, period);
        let errors = diagnostics.iter().filter(|d| d.severity() == Severity::Error).count();
        tracing::info!(period = %period, files = files.len(), problems = diagnostics.len(), report = %xlsx.display(), "validated");
        out.push(Validated {
            period: period.clone(),
            xlsx,
            csv,
            files: files.len(),
            errors,
            warnings: diagnostics.len() - errors,
        });
    }
    cache.save();
    Ok(out)
}
