//! Command line: `yeep catalogue …` (more commands as they are built). Thin: parses
//! arguments, calls the library, maps errors to exit codes (see `docs/` and `cli.md`):
//! 0 clean, 3 finished with rejections, 1 failed, 2 usage error.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::lang::Lang;
use crate::pipeline::{Pipeline, DEFAULT_PIPELINE};
use crate::sinks::catalogue as export;

/// Exit code: all inputs clean.
pub const EXIT_OK: u8 = 0;
/// Exit code: the run failed, nothing replaced.
pub const EXIT_FAILED: u8 = 1;
/// Exit code: usage error.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: finished, but some values or files were rejected.
pub const EXIT_REJECTED: u8 = 3;

#[derive(Debug, Parser)]
#[command(
    name = "yeep",
    version,
    about = "Monitoring for a Local Equality Action Plan (Yerel Eşitlik Eylem Planı)"
)]
pub struct Cli {
    /// Log format on stderr.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
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
            ExitCode::from(EXIT_FAILED)
        }
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

/// Runs a parsed command.
///
/// # Errors
///
/// Any error that makes the command fail (exit code 1).
pub fn run(cli: Cli) -> Result<u8, Box<dyn std::error::Error>> {
    match cli.command {
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
    }
}
