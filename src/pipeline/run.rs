//! `yeep run`: everything read and validated becomes metrics, the monitoring workbook
//! (internal and public), the validation report, the BI feed and the manifest — written
//! atomically per period: internal files under `<output>/<plan>/<period>/`, public ones
//! under `<output>/<plan>/kamu/<period>/` (see [`output::Layout`]).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use polars::prelude::*;
use rayon::prelude::*;

use super::cache::Cache;
use super::collect::{self, Collected};
use super::output::{self, Layout, OutputError};
use super::uptodate::{Digest, UpToDate};
use super::Pipeline;
use crate::catalogue::Catalogue;
use crate::diagnostics::{Diagnostic, Severity};
use crate::metrics::{self, completeness, disclosure, eige, MetricsConfig};
use crate::model::lang::Lang;
use crate::model::observation::{self, Observation};
use crate::model::FileAccount;
use crate::sinks::{feed, manifest, plan_workbook, workbook};

/// Why a run failed (nothing was replaced).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The pipeline file is wrong (found before any input is read).
    #[error(transparent)]
    Config(#[from] super::ConfigError),
    #[error(transparent)]
    Catalogue(#[from] crate::catalogue::CatalogueError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("computing metrics: {0}")]
    Polars(#[from] PolarsError),
    #[error(transparent)]
    Feed(#[from] feed::FeedError),
    #[error("writing {path}: {message}")]
    Write { path: PathBuf, message: String },
    #[error("period {0} is not a period of the plan ({1})")]
    UnknownPeriod(String, String),
    #[error("no submissions/<period> folder for any period of the plan and no TÜİK table in tuik/ under {0}")]
    NoInputs(PathBuf),
    #[error(transparent)]
    Pdf(#[from] crate::sinks::pdf::PdfError),
    #[error("{0}")]
    Disclosure(String),
    #[error(
        "the public edition fails its own disclosure audit: {failures} protected cell(s) could be narrowed below the threshold (first: {first}); nothing was written"
    )]
    DisclosureAudit { failures: usize, first: String },
}

fn write_err(path: &Path) -> impl FnOnce(String) -> RunError + '_ {
    move |message| RunError::Write {
        path: path.to_path_buf(),
        message,
    }
}

/// Everything read for a run: submissions per period (every period with inputs, since
/// changes need the previous one) and the TÜİK tables.
#[derive(Debug, Default)]
pub struct Inputs {
    pub submissions: BTreeMap<String, Collected>,
    pub tuik: Collected,
}

impl Inputs {
    /// A period's input files (its submissions and the TÜİK tables, by path) and
    /// diagnostics (the submissions', then the TÜİK tables'): what its validation report
    /// lists.
    pub fn period_files_and_diagnostics(&self, period: &str) -> (Vec<FileAccount>, Vec<Diagnostic>) {
        let empty = Collected::default();
        let sub = self.submissions.get(period).unwrap_or(&empty);
        let mut diagnostics = sub.diagnostics.clone();
        diagnostics.extend(self.tuik.diagnostics.iter().cloned());
        let mut files = sub.files.clone();
        files.extend(self.tuik.files.iter().cloned());
        files.sort_by(|a, b| a.file.cmp(&b.file));
        (files, diagnostics)
    }
}

/// What a run did for one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodOutcome {
    pub period: String,
    pub dir: PathBuf,
    pub files: usize,
    pub values_read: u64,
    pub values_accepted: u64,
    pub values_rejected: u64,
    pub errors: usize,
    pub warnings: usize,
    /// Input files by status (`accepted`, `rejected`, `superseded` …).
    pub files_by_status: BTreeMap<String, usize>,
    /// The validation report (`dogrulama-<period>.xlsx`) in `dir`.
    pub report: PathBuf,
    /// The units with problems, each with its sheet of the report: what to send to whom.
    pub units_to_notify: Vec<crate::sinks::report::UnitSheet>,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunOutcome {
    /// `<output>/<plan>`: the internal period folders.
    pub plan_dir: PathBuf,
    /// `<output>/<plan>/kamu`: the publishable folder (public editions, public feeds).
    pub public_dir: PathBuf,
    pub periods: Vec<PeriodOutcome>,
    /// Input files (submissions and TÜİK tables) parsed in this run.
    pub files_parsed: usize,
    /// Input files whose outcome came from the re-run cache (`<state>/<plan>/cache/`).
    pub cache_hits: usize,
    /// The plan-period workbook, internal (`<output>/<plan>/`) and public edition
    /// (`<output>/<plan>/kamu/`), when any period had inputs.
    pub plan_workbooks: Vec<PathBuf>,
}

impl RunOutcome {
    /// Whether anything was rejected (exit code 3).
    pub fn any_rejected(&self) -> bool {
        self.periods.iter().any(|p| p.errors > 0)
    }
}

/// What `yeep run` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Only this period (default: every plan period with a `submissions/<period>` folder).
    pub period: Option<String>,
    /// Input folder (default: the pipeline's).
    pub input: Option<PathBuf>,
    /// Output folder (default: the pipeline's).
    pub output: Option<PathBuf>,
    /// State folder (default: the pipeline's, or `<output>/.yeep-state` when only the
    /// output folder is given).
    pub state: Option<PathBuf>,
    /// Language of the workbooks (default: the pipeline's).
    pub lang: Option<Lang>,
    /// How long to wait for another run holding the output lock.
    pub lock_wait: std::time::Duration,
    /// Told about each input file read (a terminal progress bar); default: no one.
    pub progress: crate::pipeline::progress::ProgressHandle,
    /// Also write PDFs of the Özet and theme sheets (LibreOffice headless).
    pub pdf: bool,
    /// The build identity the re-run cache and the up-to-date records are keyed on
    /// (default: the running binary's, [`crate::BUILD_ID`]). Tests set another to stand
    /// for a rebuilt binary.
    pub build: Option<String>,
}

impl RunOptions {
    /// The build identity the job's cache keys and output digests carry.
    pub fn build_id(&self) -> &str {
        self.build.as_deref().unwrap_or(crate::BUILD_ID)
    }
}

/// Where plan `plan_id`'s outputs and state go for a job asked with `opts`: the output
/// folder is `opts.output` or the pipeline's; the state folder is `opts.state`, else
/// `<opts.output>/.yeep-state` when the output folder was overridden (a trial run never
/// shares the scheduled job's cache), else the pipeline's `[folders] state`.
///
/// # Errors
///
/// [`OutputError::StateInsidePublic`] when the state folder would lie inside the
/// publishable folder.
pub fn layout(p: &Pipeline, opts: &RunOptions, plan_id: &str) -> Result<Layout, OutputError> {
    let output = opts.output.clone().unwrap_or_else(|| p.output_dir.clone());
    let state = match (&opts.state, &opts.output) {
        (Some(s), _) => s.clone(),
        (None, Some(o)) => o.join(super::config::DEFAULT_STATE_DIR),
        (None, None) => p.state_dir.clone(),
    };
    let layout = Layout::new(&output, &state, plan_id);
    layout.check()?;
    Ok(layout)
}

/// The plan's periods that have a `submissions/<period>` folder under `input`, in plan order.
pub fn periods_with_submissions(periods: &[String], input: &Path) -> Vec<String> {
    periods
        .iter()
        .filter(|x| input.join("submissions").join(x).is_dir())
        .cloned()
        .collect()
}

/// The whole job: read every period's submissions and the TÜİK tables, compute, and write
/// the requested periods' outputs under `<output>/<plan>/<period>/`, holding the output
/// lock throughout.
///
/// # Errors
///
/// [`RunError`] when the run cannot finish; the previous outputs are then left in place.
/// [`RunError::Config`] (a `[[tuik]]` mapping naming an unknown indicator, a bad glob)
/// comes before any input is read.
pub fn run(p: &Pipeline, opts: &RunOptions) -> Result<RunOutcome, RunError> {
    let cat = p.catalogue()?;
    // Configuration first: nothing is read, locked or written for a wrong pipeline file.
    p.check_against(&cat)?;
    let input = opts.input.clone().unwrap_or_else(|| p.input_dir.clone());
    let layout = layout(p, opts, &cat.plan.id)?;
    // A missing LibreOffice is said before anything is read or written.
    let pdf = match opts.pdf {
        true => Some(crate::sinks::pdf::find_libreoffice().ok_or(crate::sinks::pdf::PdfError::NotInstalled)?),
        false => None,
    };
    let _lock = output::lock(&layout.plan_dir, opts.lock_wait)?;
    let _state_lock = output::lock(&layout.state_dir, opts.lock_wait)?;
    let (available, periods) = periods_asked(&cat, opts.period.as_deref(), &input)?;
    let cache = Cache::open_for_build(p, &layout.cache_dir(), opts.build_id());
    let mut wanted: Vec<&String> = Vec::new();
    for per in available.iter().chain(periods.iter()) {
        if !wanted.contains(&per) {
            wanted.push(per);
        }
    }
    let inputs = read_inputs(p, &cat, &input, &wanted, &cache, &opts.progress);
    let (files_parsed, cache_hits) = inputs
        .submissions
        .values()
        .chain(std::iter::once(&inputs.tuik))
        .fold((0, 0), |(p, h), c| (p + c.files_parsed, h + c.cache_hits));
    tracing::info!(files_parsed, cache_hits, "inputs read");
    let opts = WriteOptions {
        layout,
        periods,
        lang: opts.lang.unwrap_or(p.lang),
        pdf,
        build: opts.build_id().to_string(),
    };
    let mut outcome = write_outputs(p, &cat, &inputs, &opts)?;
    cache.save();
    outcome.files_parsed = files_parsed;
    outcome.cache_hits = cache_hits;
    Ok(outcome)
}

/// The plan's periods with inputs (`submissions/<period>` folders under `input`), and the
/// periods asked for: `asked` when it is a period of the plan, else all of them — or,
/// when no period has a folder but `tuik/` holds tables, every period of the plan.
///
/// # Errors
///
/// [`RunError::UnknownPeriod`] for a period the plan does not have,
/// [`RunError::NoInputs`] when nothing is asked and no period has inputs.
pub fn periods_asked(
    cat: &Catalogue,
    asked: Option<&str>,
    input: &Path,
) -> Result<(Vec<String>, Vec<String>), RunError> {
    let available = periods_with_submissions(&cat.plan.periods, input);
    let periods = match asked {
        Some(x) if cat.plan.periods.iter().any(|p| p == x) => vec![x.to_string()],
        Some(x) => return Err(RunError::UnknownPeriod(x.to_string(), cat.plan.periods.join(", "))),
        // Only TÜİK tables (the statistics unit's first step of a year): every plan
        // period, with no submissions yet; no empty `submissions/<period>` folder needed.
        None if available.is_empty() && !collect::list_files(input, &input.join("tuik")).files.is_empty() => {
            cat.plan.periods.clone()
        }
        None => available.clone(),
    };
    if periods.is_empty() {
        return Err(RunError::NoInputs(input.to_path_buf()));
    }
    Ok((available, periods))
}

/// Reads the submissions of `periods` and the TÜİK tables through the re-run cache.
/// Submissions and TÜİK tables are read side by side, so the few large TÜİK tables do not
/// leave a core idle at the end. The progress bar follows the submissions (one bar at a
/// time).
pub fn read_inputs(
    p: &Pipeline,
    cat: &Catalogue,
    input: &Path,
    periods: &[&String],
    cache: &Cache,
    progress: &crate::pipeline::progress::ProgressHandle,
) -> Inputs {
    let _span = tracing::info_span!("read").entered();
    let (submissions, tuik) = rayon::join(
        || {
            periods
                .iter()
                .map(|per| {
                    let how = collect::Options {
                        cache: Some(cache),
                        progress: Some(progress),
                        parallel: true,
                    };
                    ((*per).clone(), collect::submissions(p, cat, input, per, how))
                })
                .collect::<BTreeMap<String, Collected>>()
        },
        || collect::tuik(p, cat, input, None, collect::Options::cached(cache)),
    );
    Inputs { submissions, tuik }
}

/// Where and how to write.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    /// Where the internal and the public files go.
    pub layout: Layout,
    pub periods: Vec<String>,
    pub lang: Lang,
    /// LibreOffice's command when PDFs are asked for (`yeep run --pdf`).
    pub pdf: Option<PathBuf>,
    /// The build identity the up-to-date records are keyed on ([`RunOptions::build_id`]).
    pub build: String,
}

/// The metrics of a run: every observation, the internal metrics and their public copy.
pub struct Metrics {
    pub all: Vec<Observation>,
    pub cfg: MetricsConfig,
    pub internal: DataFrame,
    pub public: DataFrame,
}

/// Computes the internal and public metrics of already-read inputs (what `write_outputs`
/// writes from; the disclosure audit runs on them there).
///
/// # Errors
///
/// [`RunError`] from the metrics or a bad `[disclosure]`.
pub fn compute_metrics(p: &Pipeline, cat: &Catalogue, inputs: &Inputs) -> Result<Metrics, RunError> {
    let mut all: Vec<Observation> = inputs
        .submissions
        .values()
        .flat_map(|c| c.observations.iter().cloned())
        .collect();
    all.extend(inputs.tuik.observations.iter().cloned());
    observation::sort(&mut all);
    let df = crate::metrics::frame::to_dataframe(&all)?;
    let cfg = MetricsConfig {
        plan_id: cat.plan.id.clone(),
        baseline_year: cat.plan.baseline_year.clone(),
        disclosure: p.disclosure.rules().map_err(RunError::Disclosure)?,
        min_coverage: p.metrics.min_coverage,
    };
    let metrics_df = metrics::compute(cat, &df, &cfg)?;
    let public_df = metrics::public(&metrics_df)?;
    Ok(Metrics {
        all,
        cfg,
        internal: metrics_df,
        public: public_df,
    })
}

/// Computes and writes every requested period from already-read inputs.
///
/// # Errors
///
/// [`RunError`]; a failure leaves the period's previous outputs in place.
pub fn write_outputs(
    p: &Pipeline,
    cat: &Catalogue,
    inputs: &Inputs,
    opts: &WriteOptions,
) -> Result<RunOutcome, RunError> {
    let Metrics {
        all,
        cfg,
        internal: metrics_df,
        public: public_df,
    } = compute_metrics(p, cat, inputs)?;
    // The public tables are checked as an attacker would read them before anything is
    // written: a failure publishes nothing.
    let audit = disclosure::audit(cat, &metrics_df, &public_df, cfg.disclosure.threshold)?;
    if !audit.passed() {
        let f = &audit.overall.failures;
        for c in f {
            tracing::error!(indicator = %c.indicator_id, period = %c.period, district = %c.district, column = %c.column, lower = c.lower, upper = ?c.upper, "disclosure audit: protection interval too narrow");
        }
        return Err(RunError::DisclosureAudit {
            failures: f.len(),
            first: f
                .first()
                .map(|c| format!("{} {} {} {}", c.indicator_id, c.period, c.district, c.column))
                .unwrap_or_default(),
        });
    }
    tracing::info!(
        primary = audit.overall.primary,
        secondary = audit.overall.secondary,
        narrowest = ?audit.overall.narrowest.as_ref().and_then(|n| n.width),
        "disclosure audit passed"
    );
    let disclosure_record = |period: &str| manifest::DisclosureRecord {
        threshold: cfg.disclosure.threshold,
        min_contributors: cfg.disclosure.min_contributors,
        dominance: p.disclosure.dominance.clone(),
        audit: audit.periods.get(period).cloned().unwrap_or_default(),
    };
    let internal_rows = metrics::rows(&metrics_df)?;
    let public_rows = metrics::rows(&public_df)?;
    let context_ids: HashSet<&str> = cat.context.iter().map(|c| c.id.as_str()).collect();

    let (plan_dir, public_dir) = (&opts.layout.plan_dir, &opts.layout.public_dir);
    for dir in [plan_dir, public_dir] {
        std::fs::create_dir_all(dir).map_err(|e| write_err(dir)(e.to_string()))?;
        output::clean_leftovers(dir);
    }
    output::remove_old_layout(plan_dir, &cat.plan.id);
    // What every output is written from besides its own data.
    let mut base = Digest::new();
    base.add("fingerprint", &super::cache::fingerprint(p, &opts.build))
        .add("pipeline", p)
        .add("lang", &opts.lang);
    let mut uptodate = UpToDate::open(plan_dir);
    let mut outcome = RunOutcome {
        plan_dir: plan_dir.clone(),
        public_dir: public_dir.clone(),
        ..RunOutcome::default()
    };
    // What each period's folder is written from; computed in order, written side by side.
    let mut jobs: Vec<PeriodJob<'_>> = Vec::new();
    for period in &opts.periods {
        let empty = Collected::default();
        let sub = inputs.submissions.get(period).unwrap_or(&empty);
        let mut obs: Vec<Observation> = sub.observations.clone();
        obs.extend(inputs.tuik.observations.iter().cloned());
        observation::sort(&mut obs);
        let (files, diagnostics) = inputs.period_files_and_diagnostics(period);

        let units = completeness::by_unit(cat, period, &files, &obs, p.submissions.deadlines.get(period).copied());
        let themes = completeness::by_theme(cat, period, &obs);
        let eige_scores = eige::index(&eige::inputs(cat, &internal_rows, period));
        let catalogue_files: Vec<manifest::OutputFile> = cat
            .files
            .iter()
            .filter_map(|f| {
                manifest::describe(p.path.parent().unwrap_or(Path::new(".")), &p.catalogue_dir.join(f)).ok()
            })
            .collect();

        // The workbooks show this period and the earlier ones (trends), and context
        // indicators of any period: they get exactly those rows, and the digest covers them.
        let shown = |rows: &[metrics::MetricRow]| -> Vec<metrics::MetricRow> {
            rows.iter()
                .filter(|m| m.period.as_str() <= period.as_str() || context_ids.contains(m.indicator_id.as_str()))
                .cloned()
                .collect()
        };
        let (internal_shown, public_shown) = (shown(&internal_rows), shown(&public_rows));
        let errors = diagnostics.iter().filter(|d| d.severity() == Severity::Error).count();
        let warnings = diagnostics.len() - errors;
        let totals = manifest::Totals::from_files(&files, errors as u64, warnings as u64);
        let final_dir = opts.layout.period_dir(period);
        let public_final_dir = opts.layout.public_period_dir(period);
        outcome.periods.push(PeriodOutcome {
            period: period.clone(),
            dir: final_dir.clone(),
            files: files.len(),
            values_read: totals.values_read,
            values_accepted: totals.values_accepted,
            values_rejected: totals.values_rejected,
            errors,
            warnings,
            files_by_status: files.iter().fold(BTreeMap::new(), |mut m, f| {
                *m.entry(f.status.code().to_string()).or_insert(0) += 1;
                m
            }),
            report: crate::sinks::report::report_paths(&final_dir, period).0,
            units_to_notify: crate::sinks::report::unit_sheets(cat, &diagnostics, opts.lang),
        });
        let mut digest = base.clone();
        digest
            .add("period", period)
            .add_serialized("observations", &obs)
            .add_serialized("diagnostics", &diagnostics)
            .add_serialized("files", &files)
            .add_serialized("metrics", &internal_shown)
            .add_serialized("public", &public_shown)
            .add("units", &units)
            .add("themes", &themes)
            .add("eige", &eige_scores)
            .add("catalogue_files", &catalogue_files);
        if opts.pdf.is_some() {
            // A folder written without PDFs is not up to date for a run that asks for them.
            digest.add("pdf", &true);
        }
        let digest = digest.finish();
        let unit = format!("period/{period}");
        let dirs = [final_dir.clone(), public_final_dir.clone()];
        if uptodate.is_current(&unit, &digest, &dirs) {
            tracing::info!(period = %period, dir = %final_dir.display(), "period up to date, not written");
            continue;
        }
        uptodate.forget(&unit);
        jobs.push(PeriodJob {
            period,
            obs,
            diagnostics,
            files,
            units,
            themes,
            eige: eige_scores,
            catalogue_files,
            internal: internal_shown,
            public: public_shown,
            totals,
            disclosure: disclosure_record(period),
            errors,
            warnings,
            final_dir,
            public_final_dir,
            unit,
            digest,
        });
    }
    // The plan-period workbooks are written beside the period folders (they need only the
    // metric rows).
    let plan_job = plan_workbook_job(cat, inputs, &internal_rows, &public_rows, opts, &base, &uptodate);
    let plan_to_write = plan_job.as_ref().filter(|j| !j.current);
    if plan_to_write.is_some() {
        uptodate.forget(PLAN_WORKBOOK_UNIT);
    }
    let (written, plan_written) = rayon::join(
        || {
            jobs.par_iter()
                .map(|job| write_period(p, cat, job, &public_df, &context_ids, opts))
                .collect::<Vec<Result<(), RunError>>>()
        },
        || plan_to_write.map(|j| write_plan_workbooks(cat, j, &internal_rows, &public_rows, opts)),
    );
    for (job, result) in jobs.into_iter().zip(written) {
        result?;
        uptodate.record(
            &job.unit,
            job.digest,
            &[job.final_dir.clone(), job.public_final_dir.clone()],
        );
        tracing::info!(
            period = %job.period,
            files = job.files.len(),
            values_read = job.totals.values_read,
            values_accepted = job.totals.values_accepted,
            values_rejected = job.totals.values_rejected,
            errors = job.errors,
            warnings = job.warnings,
            dir = %job.final_dir.display(),
            "period written"
        );
    }
    if let Some(job) = plan_job {
        match plan_written {
            Some(result) => {
                result?;
                uptodate.record(PLAN_WORKBOOK_UNIT, job.digest, &job.files);
                let (periods, file) = (job.periods.join(", "), job.files[0].display());
                tracing::info!(periods = %periods, file = %file, "plan workbook written");
            }
            None => tracing::info!(file = %job.files[0].display(), "plan workbook up to date, not written"),
        }
        outcome.plan_workbooks = job.files.to_vec();
    }
    // The cumulative Hive-partitioned feed, one partition per period of the data.
    let pub_all = disclosure::public_observations(cat, &all);
    let data_periods: Vec<String> = {
        let mut v: Vec<String> = all.iter().map(|o| o.period.clone()).collect();
        v.sort();
        v.dedup();
        v
    };
    let mut partitions: Vec<(&String, String, String, Vec<PathBuf>)> = Vec::new();
    for dp in &data_periods {
        let mut digest = base.clone();
        digest
            .add("partition", dp)
            .add_serialized(
                "observations",
                &all.iter().filter(|o| &o.period == dp).collect::<Vec<_>>(),
            )
            .add_serialized(
                "public",
                &public_rows.iter().filter(|m| &m.period == dp).collect::<Vec<_>>(),
            );
        let digest = digest.finish();
        let unit = format!("feed/{dp}");
        let dirs = feed::hive_partition_dirs(public_dir, dp);
        if uptodate.is_current(&unit, &digest, &dirs) {
            continue;
        }
        uptodate.forget(&unit);
        partitions.push((dp, unit, digest, dirs));
    }
    let written: Vec<Result<(), RunError>> = partitions
        .par_iter()
        .map(|(dp, ..)| {
            let o = pub_all
                .clone()
                .lazy()
                .filter(col("period").eq(lit(dp.as_str())))
                .collect()?;
            let m = public_df
                .clone()
                .lazy()
                .filter(col("period").eq(lit(dp.as_str())))
                .collect()?;
            feed::write_hive_partition(public_dir, dp, &o, &m)?;
            Ok(())
        })
        .collect();
    for ((_, unit, digest, dirs), result) in partitions.into_iter().zip(written) {
        result?;
        uptodate.record(&unit, digest, &dirs);
    }
    uptodate.save();
    Ok(outcome)
}

/// The plan-period workbook (plan folder) and its public edition (publishable folder), from
/// the metrics of every plan period with input files (whatever periods were asked).
struct PlanJob {
    periods: Vec<String>,
    /// The internal and the public edition.
    files: [PathBuf; 2],
    digest: String,
    /// Whether the two files are what the last run recorded (the same up-to-date records
    /// as the period folders), so nothing is written.
    current: bool,
}

/// The up-to-date unit of the plan-period workbooks.
const PLAN_WORKBOOK_UNIT: &str = "plan-workbook";

/// What the plan-period workbooks are made of; `None` when no plan period has inputs.
fn plan_workbook_job(
    cat: &Catalogue,
    inputs: &Inputs,
    internal_rows: &[metrics::MetricRow],
    public_rows: &[metrics::MetricRow],
    opts: &WriteOptions,
    base: &Digest,
    uptodate: &UpToDate,
) -> Option<PlanJob> {
    let periods: Vec<String> = cat
        .plan
        .periods
        .iter()
        .filter(|p| inputs.submissions.get(*p).is_some_and(|c| !c.files.is_empty()))
        .cloned()
        .collect();
    if periods.is_empty() {
        return None;
    }
    let (internal, public) = plan_workbook::file_names(&cat.plan.id);
    let (internal, public) = (opts.layout.plan_dir.join(internal), opts.layout.public_dir.join(public));
    let internal_shown: Vec<&metrics::MetricRow> =
        internal_rows.iter().filter(|m| periods.contains(&m.period)).collect();
    let public_shown: Vec<&metrics::MetricRow> = public_rows.iter().filter(|m| periods.contains(&m.period)).collect();
    let mut digest = base.clone();
    digest
        .add("plan-workbook", &periods)
        .add_serialized("metrics", &internal_shown)
        .add_serialized("public", &public_shown);
    let digest = digest.finish();
    let files = [internal, public];
    let current = uptodate.is_current(PLAN_WORKBOOK_UNIT, &digest, &files);
    Some(PlanJob {
        periods,
        files,
        digest,
        current,
    })
}

/// Writes both editions of the plan-period workbook, each replaced atomically.
fn write_plan_workbooks(
    cat: &Catalogue,
    job: &PlanJob,
    internal_rows: &[metrics::MetricRow],
    public_rows: &[metrics::MetricRow],
    opts: &WriteOptions,
) -> Result<(), RunError> {
    let write = |public: bool, metrics: &[metrics::MetricRow], path: &Path| {
        let data = plan_workbook::PlanData {
            cat,
            lang: opts.lang,
            public,
            periods: &job.periods,
            metrics,
        };
        plan_workbook::write(&data, path).map_err(write_err(path))
    };
    let (internal, public) = rayon::join(
        || write(false, internal_rows, &job.files[0]),
        || write(true, public_rows, &job.files[1]),
    );
    internal?;
    public
}

/// One period's folder to write: its data, computed in order before the folders are
/// written side by side.
struct PeriodJob<'a> {
    period: &'a String,
    obs: Vec<Observation>,
    diagnostics: Vec<crate::diagnostics::Diagnostic>,
    files: Vec<crate::model::FileAccount>,
    units: Vec<completeness::UnitCompleteness>,
    themes: Vec<completeness::ThemeCompleteness>,
    eige: (Vec<eige::ThemeScore>, Option<f64>),
    catalogue_files: Vec<manifest::OutputFile>,
    internal: Vec<metrics::MetricRow>,
    public: Vec<metrics::MetricRow>,
    totals: manifest::Totals,
    disclosure: manifest::DisclosureRecord,
    errors: usize,
    warnings: usize,
    /// `<output>/<plan>/<period>`: internal files.
    final_dir: PathBuf,
    /// `<output>/<plan>/kamu/<period>`: the public edition and the public feed.
    public_final_dir: PathBuf,
    unit: String,
    digest: String,
}

/// Writes one period's two folders — internal (workbook, report, manifest) and public
/// (public workbook, public feed) — side by side into staging folders, then swaps both
/// into place. When anything fails before the swaps (a full disk), both staging folders
/// are removed: nothing is left behind to keep the disk full. (After the public swap, the
/// internal stage is kept for the next run to finish the swap, `output::clean_leftovers`.)
fn write_period(
    p: &Pipeline,
    cat: &Catalogue,
    job: &PeriodJob<'_>,
    public_df: &DataFrame,
    context_ids: &HashSet<&str>,
    opts: &WriteOptions,
) -> Result<(), RunError> {
    let stage = output::staging_dir(&job.final_dir)?;
    let public_stage = match output::staging_dir(&job.public_final_dir) {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&stage);
            return Err(e.into());
        }
    };
    let staged = fill_period_stages(p, cat, job, public_df, context_ids, opts, &stage, &public_stage)
        .and_then(|()| output::replace_dir(&public_stage, &job.public_final_dir).map_err(RunError::from));
    if let Err(e) = staged {
        for dir in [&stage, &public_stage] {
            let _ = std::fs::remove_dir_all(dir);
        }
        return Err(e);
    }
    output::replace_dir(&stage, &job.final_dir)?;
    Ok(())
}

/// Writes one period's files into its two staging folders (see [`write_period`]).
#[allow(clippy::too_many_arguments)]
fn fill_period_stages(
    p: &Pipeline,
    cat: &Catalogue,
    job: &PeriodJob<'_>,
    public_df: &DataFrame,
    context_ids: &HashSet<&str>,
    opts: &WriteOptions,
    stage: &Path,
    public_stage: &Path,
) -> Result<(), RunError> {
    let (period, lang) = (job.period, opts.lang);
    let write_to = |dir: &Path, sheets: workbook::Sheets, public: bool, rows: &[metrics::MetricRow], name: &str| {
        let path = dir.join(name);
        let data = workbook::MonitoringData {
            cat,
            period,
            lang,
            public,
            metrics: rows,
            observations: &job.obs,
            diagnostics: &job.diagnostics,
            files: &job.files,
            units: &job.units,
            themes: &job.themes,
            eige: &job.eige,
            catalogue_files: &job.catalogue_files,
            threshold: p.disclosure.threshold,
        };
        workbook::write_sheets(&data, &path, sheets).map_err(|e| write_err(&path)(e.to_string()))
    };
    let write = |public: bool, rows: &[metrics::MetricRow], name: String| {
        let dir = if public { public_stage } else { stage };
        write_to(dir, workbook::Sheets::All, public, rows, &name)
    };
    // On request, the Özet and theme sheets of both editions as PDFs, through LibreOffice.
    let pdfs = || -> Result<(), RunError> {
        let Some(soffice) = &opts.pdf else { return Ok(()) };
        let scratch = output::staging_dir(&opts.layout.plan_dir.join(format!("pdf-{period}")))?;
        let result = (|| {
            for (public, rows, stem) in [
                (false, &job.internal, format!("izleme-{period}")),
                (true, &job.public, format!("izleme-{period}-kamu")),
            ] {
                let xlsx = format!("{stem}.xlsx");
                write_to(&scratch, workbook::Sheets::Print, public, rows, &xlsx)?;
                let out = if public { public_stage } else { stage }.join(format!("{stem}.pdf"));
                crate::sinks::pdf::convert(soffice, &scratch.join(&xlsx), &out)
                    .map_err(|e| write_err(&out)(e.to_string()))?;
            }
            Ok(())
        })();
        let _ = std::fs::remove_dir_all(&scratch);
        result
    };
    let feed = || -> Result<(), RunError> {
        // The period's feed: its own values and the context (TÜİK) values it shows.
        let pub_obs = disclosure::public_observations(cat, &job.obs);
        let mask: BooleanChunked = public_df
            .column("period")?
            .str()?
            .iter()
            .zip(public_df.column("indicator_id")?.str()?.iter())
            .map(|(p, i)| Some(p == Some(period.as_str()) || i.is_some_and(|i| context_ids.contains(i))))
            .collect();
        let period_metrics = public_df.filter(&mask)?;
        feed::write_period_feed(public_stage, &pub_obs, &period_metrics)?;
        Ok(())
    };
    let report = || {
        crate::sinks::report::write_report(cat, &job.files, &job.diagnostics, period, lang, stage)
            .map_err(|e| write_err(stage)(e.to_string()))
    };
    let ((internal, public), (report, feed)) = rayon::join(
        || {
            rayon::join(
                || write(false, &job.internal, format!("izleme-{period}.xlsx")),
                || write(true, &job.public, format!("izleme-{period}-kamu.xlsx")),
            )
        },
        || rayon::join(report, feed),
    );
    internal?;
    public?;
    report?;
    feed?;
    pdfs()?;

    // The manifest lists both folders' files relative to itself (`../kamu/<period>/…`).
    let mut outputs = Vec::new();
    for entry in output::files_under(stage).map_err(|e| write_err(stage)(e.to_string()))? {
        outputs.push(manifest::describe(stage, &entry).map_err(|e| write_err(&entry)(e.to_string()))?);
    }
    for entry in output::files_under(public_stage).map_err(|e| write_err(public_stage)(e.to_string()))? {
        let mut f = manifest::describe(public_stage, &entry).map_err(|e| write_err(&entry)(e.to_string()))?;
        f.file = format!("../{}/{period}/{}", output::PUBLIC_DIR, f.file);
        outputs.push(f);
    }
    let m = manifest::Manifest {
        yeep_version: env!("CARGO_PKG_VERSION").to_string(),
        plan_id: cat.plan.id.clone(),
        catalogue_version: cat.plan.catalogue_version.clone(),
        period: period.clone(),
        catalogue_files: job.catalogue_files.clone(),
        inputs: job.files.clone(),
        skipped: job
            .diagnostics
            .iter()
            .filter_map(|d| match &d.note {
                crate::diagnostics::Note::EntrySkipped { why } => Some(manifest::Skipped {
                    file: d.file.clone(),
                    why: why.clone(),
                }),
                _ => None,
            })
            .collect(),
        totals: job.totals.clone(),
        disclosure: job.disclosure.clone(),
        outputs,
    };
    let mpath = stage.join("manifest.json");
    manifest::write(&m, &mpath).map_err(|e| write_err(&mpath)(e.to_string()))?;
    // Then the public folder is swapped in first, then the internal one with the
    // manifest. A run that dies between the two swaps leaves the new public folder beside
    // the old manifest for an instant; the next run finishes the swap
    // (`output::clean_leftovers`).
    Ok(())
}
