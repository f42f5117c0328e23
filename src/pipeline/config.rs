//! The pipeline file (`pipelines/<plan>.toml`): plan identity, catalogue files, folders,
//! deadlines, disclosure control, limits.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::catalogue::{self, Catalogue, CatalogueError, PlanInfo};
use crate::lang::Lang;

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
}

/// `[submissions]`: when units must have sent their workbooks.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmissionsConfig {
    /// Deadline per period, `YYYY-MM-DD`.
    #[serde(default)]
    pub deadlines: BTreeMap<String, String>,
}

/// `[disclosure]`: small-count suppression on sensitive indicators.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisclosureConfig {
    /// Counts below this are suppressed (default 5).
    #[serde(default = "default_threshold")]
    pub threshold: u32,
}

impl Default for DisclosureConfig {
    fn default() -> Self {
        DisclosureConfig {
            threshold: default_threshold(),
        }
    }
}

fn default_threshold() -> u32 {
    5
}

/// How the sexes are laid out in a TÜİK table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SexLayout {
    /// No sex dimension: every value is a total.
    #[default]
    None,
    /// `Toplam / Erkek / Kadın` column headers (under each year group, if years run across).
    Columns,
    /// Sex in the row stub: section rows (`Erkek-Male`) heading stacked blocks, or stub
    /// labels that are themselves `Toplam / Erkek / Kadın`. Rows before any section: total.
    Rows,
    /// A named column (`sex_column`) holds `Toplam / Erkek / Kadın` or `_T / M / F` (long tables).
    Column,
}

/// Where the geography of a TÜİK table is. Exactly one of `row`, `column` (with `value`)
/// or `above` is given.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaSpec {
    /// A row label in the stub column (`İzmir`, `TR31`, `TR310`): the area is a row.
    pub row: Option<String>,
    /// The header of a column holding the area (long tables, `IKAMET_YERI`)…
    pub column: Option<String>,
    /// …and the value to keep (`TR310`, `İzmir`).
    pub value: Option<String>,
    /// A label that must appear above the data (title, or a header cell): the whole table
    /// is about that area (`İzmir` in a biruni export).
    pub above: Option<String>,
}

/// `[[tuik]]`: one mapping from TÜİK-style tables to context indicators. yeep finds the
/// header rows, the year, sex and area positions by their labels; the mapping only names
/// them. See `docs/tuik.md`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TuikMapping {
    /// Glob relative to `<input>/tuik/`, e.g. `isgucu_il_*.xlsx` or `**/*.csv`.
    pub files: String,
    /// Sheet name; default the first sheet. A missing sheet rejects the file.
    #[serde(default)]
    pub sheet: Option<String>,
    /// One context indicator for every selected value…
    #[serde(default)]
    pub indicator: Option<String>,
    /// …or row label → indicator (category rows such as education levels)…
    #[serde(default)]
    pub rows: BTreeMap<String, String>,
    /// …or column header label → indicator (measure columns or merged group headers).
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Where the geography is; see [`AreaSpec`].
    #[serde(default)]
    pub area: Option<AreaSpec>,
    /// The observations' district; default: derived from the area label (the city-wide
    /// area's name or an alias, e.g. `İzmir` → `İzmir Geneli`; a district name → that
    /// district).
    #[serde(default)]
    pub district: Option<String>,
    /// The data years to take (`2020`, `2020-2021`); the table must hold each of them.
    #[serde(default)]
    pub years: Vec<String>,
    /// The data year of a table that has no year dimension (year only in the title).
    #[serde(default)]
    pub year: Option<String>,
    /// The header of a column holding the year (years down in a named column, long tables).
    /// Default: years in the column headers (across), else in the row stub (down).
    #[serde(default)]
    pub year_column: Option<String>,
    /// How sex is laid out.
    #[serde(default)]
    pub sex: SexLayout,
    /// With `sex = "column"`: the header of the column holding the sex.
    #[serde(default)]
    pub sex_column: Option<String>,
    /// The one column holding the values (long tables: `Gözlem` / `OBS_VALUE`).
    #[serde(default)]
    pub value_column: Option<String>,
    /// Long tables: column header → value a row must have (`ADNKS_GOSTERGE = "NUFUS"`).
    #[serde(default)]
    pub filters: BTreeMap<String, String>,
}

impl TuikMapping {
    /// Checks the mapping's own consistency (not the table, not the catalogue).
    ///
    /// # Errors
    ///
    /// A message naming the first problem.
    pub fn check(&self) -> Result<(), String> {
        let selectors = usize::from(self.indicator.is_some())
            + usize::from(!self.rows.is_empty())
            + usize::from(!self.columns.is_empty());
        if selectors != 1 {
            return Err("give exactly one of indicator, rows or columns".into());
        }
        if self.years.is_empty() == self.year.is_none() {
            return Err("give either years (the table has a year dimension) or year (it has none)".into());
        }
        if self.year.is_some() && self.year_column.is_some() {
            return Err("year and year_column exclude each other".into());
        }
        if (self.sex == SexLayout::Column) != self.sex_column.is_some() {
            return Err("sex_column goes with sex = \"column\" (and only with it)".into());
        }
        match &self.area {
            None if self.district.is_none() => {
                return Err("name the area (area = { row = \"…\" } …) or the district".into())
            }
            None => {}
            Some(a) => {
                let shapes =
                    usize::from(a.row.is_some()) + usize::from(a.column.is_some()) + usize::from(a.above.is_some());
                if shapes != 1 || a.column.is_some() != a.value.is_some() {
                    return Err("area takes exactly one of row, column + value, or above".into());
                }
                if a.row.is_some() && !self.rows.is_empty() {
                    return Err("area.row and rows both select rows by the stub; use area.above or area.column".into());
                }
            }
        }
        if self.files.trim().is_empty() || self.files.contains("..") {
            return Err("files must be a glob inside <input>/tuik/".into());
        }
        Ok(())
    }
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
        let base = path.parent().unwrap_or(Path::new("."));
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
            output_dir: lexically_normal(&base.join(raw.folders.output)),
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
