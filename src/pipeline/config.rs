//! The pipeline file (`pipelines/<plan>.toml`): plan identity, catalogue files, folders,
//! deadlines, disclosure control, limits.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::catalogue::{self, Catalogue, CatalogueError, PlanInfo};
use crate::model::lang::Lang;
pub use crate::sources::tuik::mapping::{AreaSpec, SexLayout, TuikMapping};

/// The default pipeline, relative to the working directory.
pub const DEFAULT_PIPELINE: &str = "pipelines/izmir-2022-2024.toml";

/// Why a pipeline file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read pipeline file {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}:{line}: {message}")]
    Toml {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error(transparent)]
    Catalogue(#[from] CatalogueError),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPipeline {
    plan: RawPlan,
    catalogue: RawCatalogue,
    folders: RawFolders,
    #[serde(default)]
    submissions: SubmissionsConfig,
    #[serde(default)]
    disclosure: DisclosureConfig,
    #[serde(default)]
    tuik: Vec<TuikMapping>,
    #[serde(default)]
    limits: crate::sources::guard::Limits,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    id: String,
    name: String,
    name_en: String,
    catalogue_version: String,
    periods: Vec<String>,
    baseline_year: String,
    #[serde(default)]
    lang: Lang,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogue {
    dir: PathBuf,
    files: Vec<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFolders {
    input: PathBuf,
    output: PathBuf,
    /// Where the re-run cache lives (never inside a published folder).
    #[serde(default)]
    state: Option<PathBuf>,
}

/// `[submissions]`: when units must have sent their workbooks.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmissionsConfig {
    /// Deadline per period, `YYYY-MM-DD` (a date that does not exist is refused when the
    /// pipeline file is read).
    #[serde(default)]
    pub deadlines: BTreeMap<String, crate::model::Date>,
}

/// `[disclosure]`: disclosure control of sensitive indicators (`docs/metrics.md`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisclosureConfig {
    /// Threshold rule: counts 1 … threshold − 1 are sensitive (default 5).
    #[serde(default = "default_threshold")]
    pub threshold: u32,
    /// Frequency rule: a cell made of at least two but fewer than this many units is
    /// sensitive (default 2: the rule does not fire; a lone unit is judged by the
    /// threshold).
    #[serde(default = "default_min_contributors")]
    pub min_contributors: u32,
    /// Dominance rule: `residual` (default: what the largest contributor learns by
    /// subtracting its own figure must not be a small count), `p-percent`, or `off`.
    #[serde(default = "default_dominance")]
    pub dominance: String,
    /// p of the p% rule (`dominance = "p-percent"`), default 10.
    #[serde(default = "default_p_percent")]
    pub p_percent: f64,
}

impl Default for DisclosureConfig {
    fn default() -> Self {
        DisclosureConfig {
            threshold: default_threshold(),
            min_contributors: default_min_contributors(),
            dominance: default_dominance(),
            p_percent: default_p_percent(),
        }
    }
}

impl DisclosureConfig {
    /// The rules the metrics apply, or what is wrong with the section.
    ///
    /// # Errors
    ///
    /// A message naming the key.
    pub fn rules(&self) -> Result<crate::metrics::disclosure::Rules, String> {
        use crate::metrics::disclosure::{Dominance, Rules};
        if self.threshold < 1 {
            return Err("[disclosure] threshold must be at least 1".into());
        }
        if self.min_contributors < 1 {
            return Err("[disclosure] min_contributors must be at least 1".into());
        }
        let dominance = match self.dominance.as_str() {
            "residual" => Dominance::Residual,
            "off" => Dominance::Off,
            "p-percent" if self.p_percent > 0.0 && self.p_percent <= 100.0 => Dominance::PPercent(self.p_percent),
            "p-percent" => {
                return Err(format!(
                    "[disclosure] p_percent = {} is not in (0, 100]",
                    self.p_percent
                ))
            }
            other => {
                return Err(format!(
                    "[disclosure] dominance = \"{other}\": use \"residual\", \"p-percent\" or \"off\""
                ))
            }
        };
        Ok(Rules {
            threshold: self.threshold,
            min_contributors: self.min_contributors,
            dominance,
        })
    }
}

fn default_threshold() -> u32 {
    5
}

fn default_min_contributors() -> u32 {
    2
}

fn default_dominance() -> String {
    "residual".into()
}

fn default_p_percent() -> f64 {
    10.0
}

/// `path` with `.` and `name/..` removed, without touching the file system:
/// `pipelines/../output` is `output`, `/etc/yeep/../../var/lib` is `/var/lib`. A leading
/// `..` that has nothing to cancel stays. (The paths a pipeline names are the user's own; a
/// symbolic link among them is followed by the system calls later, as the user wrote it.)
pub fn lexically_normal(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            _ => out.push(c),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

/// The state folder inside the output folder when neither the pipeline file
/// (`[folders] state`) nor `--state` names one.
pub const DEFAULT_STATE_DIR: &str = ".yeep-state";

/// A loaded pipeline file. Paths are resolved against the pipeline file's folder.
#[derive(Debug, Clone)]
pub struct Pipeline {
    pub path: PathBuf,
    pub plan: PlanInfo,
    pub lang: Lang,
    pub catalogue_dir: PathBuf,
    pub catalogue_files: Vec<PathBuf>,
    pub input_dir: PathBuf,
    pub output_dir: PathBuf,
    /// `[folders] state`: the state folder, holding the re-run cache
    /// (`<state>/<plan>/cache/`), which keeps raw input values and so is never published.
    /// Default: `<output>/.yeep-state`.
    pub state_dir: PathBuf,
    pub submissions: SubmissionsConfig,
    pub disclosure: DisclosureConfig,
    /// `[[tuik]]`: how TÜİK-style tables in `<input>/tuik/` map to context indicators.
    pub tuik: Vec<TuikMapping>,
    /// `[limits]`: resource limits for untrusted input files.
    pub limits: crate::sources::guard::Limits,
}

impl Pipeline {
    /// Reads a pipeline file.
    ///
    /// # Errors
    ///
    /// [`ConfigError`] naming the file and line of a syntax error or unknown field.
    pub fn load(path: &Path) -> Result<Pipeline, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let raw: RawPipeline = toml::from_str(&text).map_err(|e| ConfigError::Toml {
            path: path.to_path_buf(),
            line: e.span().map(|s| text[..s.start].matches('\n').count() + 1).unwrap_or(0),
            message: e.message().trim().to_string(),
        })?;
        if raw.plan.periods.is_empty() {
            return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                message: "[plan] periods is empty".into(),
            });
        }
        for p in raw.plan.periods.iter().chain(raw.submissions.deadlines.keys()) {
            if crate::normalise::parse_period(p).is_none() {
                return Err(ConfigError::Invalid {
                    path: path.to_path_buf(),
                    message: format!("\"{p}\" is not a period (2023 or 2023-Q1)"),
                });
            }
        }
        for (i, m) in raw.tuik.iter().enumerate() {
            if let Err(message) = m.check() {
                return Err(ConfigError::Invalid {
                    path: path.to_path_buf(),
                    message: format!("[[tuik]] #{} ({}): {message}", i + 1, m.files),
                });
            }
        }
        if let Err(message) = raw.disclosure.rules() {
            return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                message,
            });
        }
        let base = path.parent().unwrap_or(Path::new("."));
        let output_dir = lexically_normal(&base.join(raw.folders.output));
        let state_dir = match raw.folders.state {
            Some(s) => lexically_normal(&base.join(s)),
            None => output_dir.join(DEFAULT_STATE_DIR),
        };
        Ok(Pipeline {
            path: path.to_path_buf(),
            plan: PlanInfo {
                id: raw.plan.id,
                name: raw.plan.name,
                name_en: raw.plan.name_en,
                catalogue_version: raw.plan.catalogue_version,
                periods: raw.plan.periods,
                baseline_year: raw.plan.baseline_year,
            },
            lang: raw.plan.lang,
            catalogue_dir: lexically_normal(&base.join(&raw.catalogue.dir)),
            catalogue_files: raw.catalogue.files,
            input_dir: lexically_normal(&base.join(raw.folders.input)),
            output_dir,
            state_dir,
            submissions: raw.submissions,
            disclosure: raw.disclosure,
            tuik: raw.tuik,
            limits: raw.limits,
        })
    }

    /// Loads and checks the catalogue the pipeline names.
    ///
    /// # Errors
    ///
    /// [`CatalogueError`] with every problem found.
    pub fn catalogue(&self) -> Result<Catalogue, CatalogueError> {
        catalogue::load(self.plan.clone(), &self.catalogue_dir, &self.catalogue_files)
    }
}
