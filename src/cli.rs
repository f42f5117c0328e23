//! Command line: `yeep catalogue|template|validate|demo …`. Thin: parses
//! arguments, calls the library, maps errors to exit codes (see `docs/` and `cli.md`):
//! 0 clean, 3 finished with rejections, 1 failed, 2 usage error.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::demo;
use crate::model::lang::Lang;
use crate::pipeline::progress::{Progress, ProgressHandle};
use crate::pipeline::{Pipeline, DEFAULT_PIPELINE};
use crate::sinks::catalogue as export;
use crate::sinks::template;

/// Exit code: all inputs clean.
pub const EXIT_OK: u8 = 0;
/// Exit code: the run failed, nothing replaced.
pub const EXIT_FAILED: u8 = 1;
/// Exit code: usage error (bad arguments) or a wrong configuration (pipeline file,
/// catalogue), found before any input is read; nothing written.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: finished, but some values or files were rejected.
pub const EXIT_REJECTED: u8 = 3;

#[derive(Debug, Parser)]
#[command(
    name = "yeep",
    disable_version_flag = true,
    arg_required_else_help = true,
    about = "Monitoring for a Local Equality Action Plan (Yerel Eşitlik Eylem Planı)"
)]
pub struct Cli {
    /// Log format on stderr.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Print the version, the source commit and the catalogue version, then exit.
    #[arg(short = 'V', long)]
    pub version: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The pipeline files `yeep --version` reports on, in order: the default one in the
/// current folder, then the one the Debian package installs.
pub const VERSION_PIPELINES: &[&str] = &[DEFAULT_PIPELINE, "/etc/yeep/izmir-2022-2024.toml"];

/// What `yeep --version` prints: the version, the commit the binary was built from (with
/// its date; `+changes` when the checkout had uncommitted changes), the catalogue version
/// of the first pipeline file of `pipelines` that exists, and the first 16 hex digits of
/// the build's identity ([`crate::BUILD_ID`]).
pub fn version_text(pipelines: &[&str]) -> String {
    let mut s = format!(
        "yeep {}\ncommit: {} ({})\n",
        env!("CARGO_PKG_VERSION"),
        env!("YEEP_COMMIT"),
        env!("YEEP_COMMIT_DATE")
    );
    match pipelines.iter().map(std::path::Path::new).find(|p| p.is_file()) {
        Some(path) => match Pipeline::load(path) {
            Ok(p) => s.push_str(&format!(
                "catalogue: {} {} ({})\n",
                p.plan.id,
                p.plan.catalogue_version,
                path.display()
            )),
            Err(e) => s.push_str(&format!(
                "catalogue: unreadable pipeline file {}: {e}\n",
                path.display()
            )),
        },
        None => s.push_str(&format!(
            "catalogue: no pipeline file (looked for {})\n",
            pipelines.join(", ")
        )),
    }
    // The identity the re-run cache is keyed on (a hash of the sources built from).
    s.push_str(&format!("build: {}\n", &crate::BUILD_ID[..16]));
    s
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CatalogueFormat {
    Table,
    Csv,
    Json,
    Xlsx,
}

/// What `run` and `validate` share: which pipeline, period, folders and language.
#[derive(Debug, clap::Args)]
pub struct JobArgs {
    /// Pipeline file.
    #[arg(default_value = DEFAULT_PIPELINE)]
    pub pipeline: PathBuf,
    /// Period (default: every plan period with a `submissions/<period>` folder).
    #[arg(long)]
    pub period: Option<String>,
    /// Input folder (overrides the pipeline's).
    #[arg(long)]
    pub input: Option<PathBuf>,
    /// Output folder (overrides the pipeline's).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// State folder for the re-run cache (overrides the pipeline's; with `--output` alone:
    /// `<output>/.yeep-state`).
    #[arg(long)]
    pub state: Option<PathBuf>,
    /// Language of the workbooks and reports (defaults to the pipeline's).
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
}

impl JobArgs {
    /// The pipeline file and what the job is asked to do.
    fn into_options(self, wait: u64, log_format: LogFormat, pdf: bool) -> (PathBuf, crate::pipeline::run::RunOptions) {
        let opts = crate::pipeline::run::RunOptions {
            period: self.period,
            input: self.input,
            output: self.output,
            state: self.state,
            lang: self.lang,
            lock_wait: std::time::Duration::from_secs(wait),
            progress: progress_bar(log_format),
            pdf,
            build: None,
        };
        (self.pipeline, opts)
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The plan's catalogue: themes, goals, activities, indicators, units, context.
    Catalogue {
        /// Pipeline file.
        #[arg(default_value = DEFAULT_PIPELINE)]
        pipeline: PathBuf,
        #[arg(long, value_enum, default_value_t = CatalogueFormat::Table)]
        format: CatalogueFormat,
        /// Where to write (stdout for table/csv/json when omitted; required for xlsx unless
        /// `katalog.xlsx` in the current folder is fine).
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Language of labels (defaults to the pipeline's).
        #[arg(long, value_enum)]
        lang: Option<Lang>,
    },
    /// Submission templates: one workbook per reporting unit (or the one asked).
    Template {
        /// Pipeline file.
        #[arg(default_value = DEFAULT_PIPELINE)]
        pipeline: PathBuf,
        /// Period, e.g. 2023 or 2023-Q1.
        #[arg(long)]
        period: String,
        /// Only this unit (id or name).
        #[arg(long)]
        unit: Option<String>,
        /// Output folder (default: `<output>/<plan>/<period>/sablonlar`).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Language of labels (defaults to the pipeline's).
        #[arg(long, value_enum)]
        lang: Option<Lang>,
    },
    /// The whole job: read, validate, compute, write the workbooks, feed and manifest.
    Run {
        #[command(flatten)]
        job: JobArgs,
        /// Seconds to wait for another run that holds the output folder's lock (default:
        /// refuse at once).
        #[arg(long, default_value_t = 0)]
        wait: u64,
        /// No summary at the end (the summary is printed only on a terminal with text logs).
        #[arg(long, short)]
        quiet: bool,
        /// Also write PDFs of the Özet and theme sheets of both editions
        /// (`izleme-<period>.pdf`, `izleme-<period>-kamu.pdf`), through LibreOffice headless.
        #[arg(long)]
        pdf: bool,
    },
    /// Read and validate the submissions and TÜİK tables; write each period's validation
    /// report into `<output>/<plan>/dogrulama/<period>/` (the period folders are not touched).
    Validate {
        #[command(flatten)]
        job: JobArgs,
        /// Seconds to wait for another run that holds the output folder's lock (default:
        /// refuse at once).
        #[arg(long, default_value_t = 0)]
        wait: u64,
    },
    /// TÜİK tables: `yeep tuik inspect FILE` shows how yeep reads one and proposes its
    /// `[[tuik]]` mapping.
    Tuik {
        #[command(subcommand)]
        command: TuikCommand,
    },
    /// Deterministic synthetic submissions filled into the real templates.
    Demo {
        /// Pipeline file.
        #[arg(long, default_value = DEFAULT_PIPELINE)]
        pipeline: PathBuf,
        /// Size: 1 is the shipped example set; N writes N distinct sets of submissions
        /// (sets 2..N in `set-<k>/`, read as earlier resubmissions) plus the shipped and
        /// national-size TÜİK tables under `tuik/`.
        #[arg(long, default_value_t = 1)]
        scale: u32,
        /// Input folder to write into (`<out>/submissions/<period>/`, `<out>/tuik/`).
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum TuikCommand {
    /// How yeep reads a TÜİK table: sheet, header rows, stub columns, years, sex layout,
    /// area labels, missing-value markers, and a `[[tuik]]` mapping it has tried on the
    /// table, ready to paste into the pipeline file.
    Inspect {
        /// The table (`.xls`, `.xlsx`, biruni HTML-as-`.xls`, SDMX-CSV).
        file: PathBuf,
        /// Sheet (default: the first).
        #[arg(long)]
        sheet: Option<String>,
        /// Pipeline file (its districts, context indicators and `[limits]`).
        #[arg(long, default_value = DEFAULT_PIPELINE)]
        pipeline: PathBuf,
        /// Language of the report (defaults to the pipeline's).
        #[arg(long, value_enum)]
        lang: Option<Lang>,
    },
}

/// Parses the command line, runs, and returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    init_logging(cli.log_format);
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("yeep: {e}");
            ExitCode::from(exit_code_of(e.as_ref()))
        }
    }
}

/// The exit code of a failed command: [`EXIT_USAGE`] for a wrong configuration (the
/// pipeline file, or the catalogue it names: found before any input is read, nothing
/// written), else [`EXIT_FAILED`].
pub fn exit_code_of(e: &(dyn std::error::Error + 'static)) -> u8 {
    use crate::pipeline::run::RunError;
    let config = e.downcast_ref::<crate::pipeline::ConfigError>().is_some()
        || e.downcast_ref::<crate::catalogue::CatalogueError>().is_some()
        || matches!(
            e.downcast_ref::<RunError>(),
            Some(RunError::Config(_) | RunError::Catalogue(_))
        );
    match config {
        true => EXIT_USAGE,
        false => EXIT_FAILED,
    }
}

fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Whether a person is watching: stderr is a terminal and the logs are text (not a log
/// file, a pipe or `--log-format json`). Only then are the progress bar and the summary drawn.
fn interactive(format: LogFormat) -> bool {
    use std::io::IsTerminal;
    format == LogFormat::Text && std::io::stderr().is_terminal()
}

/// A progress bar over the files read, on stderr — only when [`interactive`].
fn progress_bar(format: LogFormat) -> ProgressHandle {
    if !interactive(format) {
        return ProgressHandle::default();
    }
    ProgressHandle::new(std::sync::Arc::new(TerminalBar::default()))
}

/// One `indicatif` bar per stage (a period's submissions, the TÜİK tables), cleared when
/// the stage ends so the log lines that follow are not interleaved with it.
#[derive(Default)]
struct TerminalBar(std::sync::Mutex<Option<indicatif::ProgressBar>>);

impl Progress for TerminalBar {
    fn begin(&self, what: &str, total: u64) {
        let bar = indicatif::ProgressBar::new(total);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{msg:>18} [{bar:40}] {pos}/{len} files  {elapsed}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(what.to_string());
        if let Ok(mut slot) = self.0.lock() {
            if let Some(old) = slot.replace(bar) {
                old.finish_and_clear();
            }
        }
    }

    fn step(&self) {
        if let Ok(slot) = self.0.lock() {
            if let Some(bar) = slot.as_ref() {
                bar.inc(1);
            }
        }
    }

    fn end(&self) {
        if let Ok(mut slot) = self.0.lock() {
            if let Some(bar) = slot.take() {
                bar.finish_and_clear();
            }
        }
    }
}

/// Runs a parsed command.
///
/// # Errors
///
/// Any error that makes the command fail (exit code 1).
pub fn run(cli: Cli) -> Result<u8, Box<dyn std::error::Error>> {
    let log_format = cli.log_format;
    let Some(command) = cli.command else {
        // `--version` (clap shows the help when neither it nor a command is given).
        print!("{}", version_text(VERSION_PIPELINES));
        return Ok(EXIT_OK);
    };
    match command {
        Command::Catalogue {
            pipeline,
            format,
            out,
            lang,
        } => {
            let p = Pipeline::load(&pipeline)?;
            let cat = p.catalogue()?;
            let lang = lang.unwrap_or(p.lang);
            let write = |f: &dyn Fn(&mut dyn Write) -> Result<(), export::ExportError>| -> Result<(), Box<dyn std::error::Error>> {
                match &out {
                    Some(path) => {
                        let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
                        f(&mut file)?;
                        file.flush()?;
                    }
                    None => {
                        let stdout = std::io::stdout();
                        let mut lock = stdout.lock();
                        f(&mut lock)?;
                    }
                }
                Ok(())
            };
            match format {
                CatalogueFormat::Table => write(&|w| export::write_table_text(&cat, lang, w))?,
                CatalogueFormat::Csv => write(&|w| export::write_csv(&cat, w))?,
                CatalogueFormat::Json => write(&|w| export::write_json(&cat, w))?,
                CatalogueFormat::Xlsx => {
                    let path = out.clone().unwrap_or_else(|| PathBuf::from("katalog.xlsx"));
                    export::write_xlsx(&cat, lang, &path)?;
                    tracing::info!(path = %path.display(), "catalogue workbook written");
                }
            }
            Ok(EXIT_OK)
        }
        Command::Template {
            pipeline,
            period,
            unit,
            out,
            lang,
        } => {
            let p = Pipeline::load(&pipeline)?;
            let cat = p.catalogue()?;
            let out = out.unwrap_or_else(|| p.output_dir.join(&p.plan.id).join(&period).join("sablonlar"));
            let paths = template::write_templates(&cat, &period, unit.as_deref(), &out, lang.unwrap_or(p.lang))?;
            tracing::info!(count = paths.len(), folder = %out.display(), "templates written");
            Ok(EXIT_OK)
        }
        Command::Run { job, wait, quiet, pdf } => {
            let (pipeline, opts) = job.into_options(wait, log_format, pdf);
            let p = Pipeline::load(&pipeline)?;
            let outcome = crate::pipeline::run::run(&p, &opts)?;
            let code = if outcome.any_rejected() { EXIT_REJECTED } else { EXIT_OK };
            if !quiet && interactive(log_format) {
                let cat = p.catalogue()?;
                eprint!(
                    "\n{}",
                    crate::pipeline::summary::render(&cat, &outcome, code, opts.lang.unwrap_or(p.lang))
                );
            }
            Ok(code)
        }
        Command::Validate { job, wait } => {
            let (pipeline, opts) = job.into_options(wait, log_format, false);
            let p = Pipeline::load(&pipeline)?;
            let reports = crate::pipeline::validate::validate(&p, &opts)?;
            let rejected = reports.iter().any(|r| r.errors > 0);
            Ok(if rejected { EXIT_REJECTED } else { EXIT_OK })
        }
        Command::Tuik {
            command:
                TuikCommand::Inspect {
                    file,
                    sheet,
                    pipeline,
                    lang,
                },
        } => {
            let p = Pipeline::load(&pipeline)?;
            let cat = p.catalogue()?;
            let bytes = std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let name = file
                .file_name()
                .map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
            let ins = crate::sources::tuik::inspect::inspect(bytes, &name, sheet.as_deref(), &p.limits, &cat)
                .map_err(|e| format!("{}: {e}", file.display()))?;
            print!(
                "{}",
                crate::sources::tuik::inspect::render(&ins, lang.unwrap_or(p.lang))
            );
            Ok(EXIT_OK)
        }
        Command::Demo {
            pipeline,
            scale,
            out,
            seed,
        } => {
            let p = Pipeline::load(&pipeline)?;
            let cat = p.catalogue()?;
            let files = demo::write_demo(&cat, &out, scale, seed)?;
            tracing::info!(count = files.len(), folder = %out.display(), "demo submissions written");
            Ok(EXIT_OK)
        }
    }
}
