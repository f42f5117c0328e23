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

/// One problem of a pipeline file: the line it is on (1-based; 0 when it concerns the
/// whole file) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub line: usize,
    pub message: String,
}

/// Why a pipeline file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read pipeline file {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// Every problem found in the file (all of them, not the first).
    #[error("{}", render_problems(path, problems))]
    Invalid {
        path: PathBuf,
        problems: Vec<ConfigProblem>,
    },
    #[error(transparent)]
    Catalogue(#[from] CatalogueError),
}

fn render_problems(path: &Path, problems: &[ConfigProblem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| match p.line {
            0 => format!("{}: {}", path.display(), p.message),
            n => format!("{}:{n}: {}", path.display(), p.message),
        })
        .collect();
    match lines.len() {
        1 => lines[0].clone(),
        n => format!("{n} problems in the pipeline file:\n{}", lines.join("\n")),
    }
}

impl ConfigError {
    /// The problems found (empty for an unreadable file or a catalogue error).
    pub fn problems(&self) -> &[ConfigProblem] {
        match self {
            ConfigError::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
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

/// `[metrics]`: how the metrics compare periods (`docs/metrics.md`, "Like for like").
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsSettings {
    /// The least share of the units of the two periods compared that reported in both,
    /// for a status (default 0.5); below it the status is `not_comparable`.
    pub min_coverage: f64,
}

impl Default for MetricsSettings {
    fn default() -> Self {
        MetricsSettings {
            min_coverage: crate::metrics::DEFAULT_MIN_COVERAGE,
        }
    }
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
    /// `[metrics]`: how periods are compared.
    pub metrics: MetricsSettings,
    /// `[[tuik]]`: how TÜİK-style tables in `<input>/tuik/` map to context indicators.
    pub tuik: Vec<TuikMapping>,
    /// The line of each `[[tuik]]` header in the pipeline file (for messages).
    pub tuik_lines: Vec<usize>,
    /// `[limits]`: resource limits for untrusted input files.
    pub limits: crate::sources::guard::Limits,
}

impl Pipeline {
    /// Reads a pipeline file and checks everything that can be checked without the
    /// catalogue: syntax, unknown sections and keys, types, periods, deadlines (dates that
    /// exist), the `[[tuik]]` mappings' own consistency, `[disclosure]`. Every section is
    /// read on its own, so one mistake does not hide the next: all problems come at once,
    /// each with its line. (A syntax error stops the reading: what follows it cannot be
    /// trusted.)
    ///
    /// # Errors
    ///
    /// [`ConfigError::Invalid`] with every problem found, each with its line.
    pub fn load(path: &Path) -> Result<Pipeline, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let invalid = |problems| ConfigError::Invalid {
            path: path.to_path_buf(),
            problems,
        };
        let sections = Sections::split(&text).map_err(|p| invalid(vec![p]))?;
        let mut problems = Vec::new();
        let plan: Option<RawPlan> = sections.read(&text, "plan", true, &mut problems);
        let catalogue: Option<RawCatalogue> = sections.read(&text, "catalogue", true, &mut problems);
        let folders: Option<RawFolders> = sections.read(&text, "folders", true, &mut problems);
        let submissions: SubmissionsConfig = sections
            .read(&text, "submissions", false, &mut problems)
            .unwrap_or_default();
        let disclosure: DisclosureConfig = sections
            .read(&text, "disclosure", false, &mut problems)
            .unwrap_or_default();
        let limits: crate::sources::guard::Limits =
            sections.read(&text, "limits", false, &mut problems).unwrap_or_default();
        let metrics: MetricsSettings = sections
            .read(&text, "metrics", false, &mut problems)
            .unwrap_or_default();
        if !(0.0..=1.0).contains(&metrics.min_coverage) {
            problems.push(ConfigProblem {
                line: sections.key_line(&text, "metrics", "min_coverage"),
                message: format!(
                    "[metrics] min_coverage = {} is not a share between 0 and 1",
                    metrics.min_coverage
                ),
            });
        }
        let mut tuik = Vec::new();
        let mut tuik_lines = Vec::new();
        for (i, entry) in sections.tuik.iter().enumerate() {
            let masked = mask(&text, entry);
            let line = line_of(&text, entry[0].start);
            match toml::from_str::<BTreeMap<String, Vec<TuikMapping>>>(&masked) {
                Ok(mut m) => match m.remove("tuik").and_then(|v| v.into_iter().next()) {
                    Some(mapping) => {
                        if let Err(message) = mapping.check() {
                            problems.push(ConfigProblem {
                                line,
                                message: format!("[[tuik]] #{} ({}): {message}", i + 1, mapping.files),
                            });
                        }
                        tuik.push(mapping);
                        tuik_lines.push(line);
                    }
                    None => problems.push(ConfigProblem {
                        line,
                        message: format!("[[tuik]] #{}: not a mapping", i + 1),
                    }),
                },
                Err(e) => problems.push(toml_problem(&masked, &e, &format!("[[tuik]] #{}", i + 1))),
            }
        }
        problems.extend(sections.unknown.iter().cloned());
        if let Some(plan) = &plan {
            let periods_line = sections.key_line(&text, "plan", "periods");
            if plan.periods.is_empty() {
                problems.push(ConfigProblem {
                    line: periods_line,
                    message: "[plan] periods is empty".into(),
                });
            }
            for p in &plan.periods {
                if crate::normalise::parse_period(p).is_none() {
                    problems.push(ConfigProblem {
                        line: periods_line,
                        message: format!("[plan] periods: \"{p}\" is not a period (2023 or 2023-Q1)"),
                    });
                }
            }
            for p in submissions.deadlines.keys() {
                let line = sections
                    .find_key(&text, "submissions", p)
                    .unwrap_or_else(|| sections.key_line(&text, "submissions", "deadlines"));
                if crate::normalise::parse_period(p).is_none() {
                    problems.push(ConfigProblem {
                        line,
                        message: format!("[submissions.deadlines] \"{p}\" is not a period (2023 or 2023-Q1)"),
                    });
                } else if !plan.periods.contains(p) {
                    problems.push(ConfigProblem {
                        line,
                        message: format!("[submissions.deadlines] {p} is not one of the plan's periods"),
                    });
                }
            }
        }
        if let Err(message) = disclosure.rules() {
            let key = ["threshold", "min_contributors", "p_percent", "dominance"]
                .into_iter()
                .find(|k| message.contains(k))
                .unwrap_or("disclosure");
            problems.push(ConfigProblem {
                line: sections.key_line(&text, "disclosure", key),
                message,
            });
        }
        if let Err(message) = limits.check() {
            let key = message.split_whitespace().nth(1).unwrap_or("limits").to_string();
            problems.push(ConfigProblem {
                line: sections.key_line(&text, "limits", &key),
                message,
            });
        }
        let (Some(plan), Some(catalogue), Some(folders), true) = (plan, catalogue, folders, problems.is_empty()) else {
            problems.sort_by_key(|p| p.line);
            return Err(invalid(problems));
        };
        let base = path.parent().unwrap_or(Path::new("."));
        let output_dir = lexically_normal(&base.join(folders.output));
        let state_dir = match folders.state {
            Some(s) => lexically_normal(&base.join(s)),
            None => output_dir.join(DEFAULT_STATE_DIR),
        };
        Ok(Pipeline {
            path: path.to_path_buf(),
            plan: PlanInfo {
                id: plan.id,
                name: plan.name,
                name_en: plan.name_en,
                catalogue_version: plan.catalogue_version,
                periods: plan.periods,
                baseline_year: plan.baseline_year,
            },
            lang: plan.lang,
            catalogue_dir: lexically_normal(&base.join(&catalogue.dir)),
            catalogue_files: catalogue.files,
            input_dir: lexically_normal(&base.join(folders.input)),
            output_dir,
            state_dir,
            submissions,
            disclosure,
            metrics,
            tuik,
            tuik_lines,
            limits,
        })
    }

    /// Checks what needs the catalogue, before any input is read: every `[[tuik]]`
    /// mapping names context indicators the catalogue has, and its `files` is a glob.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Invalid`] with every problem, each at its mapping's line.
    pub fn check_against(&self, cat: &Catalogue) -> Result<(), ConfigError> {
        let mut problems = Vec::new();
        for (i, m) in self.tuik.iter().enumerate() {
            let line = self.tuik_lines.get(i).copied().unwrap_or(0);
            let unknown: Vec<&str> = m
                .indicator
                .iter()
                .chain(m.rows.values())
                .chain(m.columns.values())
                .filter(|id| cat.context_indicator(id).is_none())
                .map(String::as_str)
                .collect();
            if !unknown.is_empty() {
                problems.push(ConfigProblem {
                    line,
                    message: format!(
                        "[[tuik]] #{} ({}): unknown context indicator(s) {} (the catalogue's are listed by `yeep catalogue`)",
                        i + 1,
                        m.files,
                        unknown.join(", ")
                    ),
                });
            }
            if let Err(e) = glob::Pattern::new(&m.files) {
                problems.push(ConfigProblem {
                    line,
                    message: format!("[[tuik]] #{}: files = \"{}\" is not a glob: {e}", i + 1, m.files),
                });
            }
        }
        match problems.is_empty() {
            true => Ok(()),
            false => Err(ConfigError::Invalid {
                path: self.path.clone(),
                problems,
            }),
        }
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

/// The sections of a pipeline file, found by their header lines (`[plan]`,
/// `[submissions.deadlines]`, `[[tuik]]`), as byte ranges of the text.
struct Sections {
    /// Per known section: its chunks (a header line to the next header).
    named: BTreeMap<&'static str, Vec<std::ops::Range<usize>>>,
    /// Per `[[tuik]]` entry: its chunks (`[[tuik]]` and any `[tuik.…]` after it).
    tuik: Vec<Vec<std::ops::Range<usize>>>,
    /// Unknown sections and top-level keys.
    unknown: Vec<ConfigProblem>,
}

const SECTIONS: [&str; 7] = [
    "plan",
    "catalogue",
    "folders",
    "submissions",
    "disclosure",
    "metrics",
    "limits",
];

impl Sections {
    /// Splits `text` at its table headers, after checking its syntax as a whole.
    fn split(text: &str) -> Result<Sections, ConfigProblem> {
        if let Err(e) = text.parse::<toml::Table>() {
            return Err(toml_problem(text, &e, "syntax"));
        }
        let mut starts: Vec<(usize, Option<(String, bool)>)> = vec![(0, None)];
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            if let Some(h) = header(line) {
                starts.push((offset, Some(h)));
            }
            offset += line.len();
        }
        let mut s = Sections {
            named: BTreeMap::new(),
            tuik: Vec::new(),
            unknown: Vec::new(),
        };
        for (i, (start, head)) in starts.iter().enumerate() {
            let end = starts.get(i + 1).map_or(text.len(), |n| n.0);
            let range = *start..end;
            let Some((name, array)) = head else {
                // Keys before the first header.
                if let Ok(root) = toml::from_str::<BTreeMap<String, toml::Spanned<toml::Value>>>(&text[range.clone()]) {
                    for (k, v) in root {
                        s.unknown.push(ConfigProblem {
                            line: line_of(text, start + v.span().start),
                            message: format!("unknown key {k} outside any section"),
                        });
                    }
                }
                continue;
            };
            let first = name.split('.').next().unwrap_or_default().trim();
            if first == "tuik" {
                match (*array && !name.contains('.'), s.tuik.last_mut()) {
                    (true, _) | (false, None) => s.tuik.push(vec![range]),
                    (false, Some(entry)) => entry.push(range),
                }
            } else if let Some(known) = SECTIONS.iter().find(|k| **k == first) {
                s.named.entry(known).or_default().push(range);
            } else {
                s.unknown.push(ConfigProblem {
                    line: line_of(text, *start),
                    message: format!(
                        "unknown section [{name}] (the sections are [plan], [catalogue], [folders], [submissions], [disclosure], [metrics], [[tuik]], [limits])"
                    ),
                });
            }
        }
        Ok(s)
    }

    /// Reads section `name` on its own; a missing `required` section, or any error in
    /// it, is added to `problems`.
    fn read<T: serde::de::DeserializeOwned>(
        &self,
        text: &str,
        name: &str,
        required: bool,
        problems: &mut Vec<ConfigProblem>,
    ) -> Option<T> {
        let Some(chunks) = self.named.get(name) else {
            if required {
                problems.push(ConfigProblem {
                    line: 0,
                    message: format!("section [{name}] is missing"),
                });
            }
            return None;
        };
        let masked = mask(text, chunks);
        match toml::from_str::<BTreeMap<String, T>>(&masked) {
            Ok(mut m) => m.remove(name),
            Err(e) => {
                problems.push(toml_problem(&masked, &e, &format!("[{name}]")));
                None
            }
        }
    }

    /// The line of `key = …` in section `section`, else of the section's header, else 0.
    fn key_line(&self, text: &str, section: &str, key: &str) -> usize {
        match (self.find_key(text, section, key), self.named.get(section)) {
            (Some(line), _) => line,
            (None, Some(chunks)) => line_of(text, chunks[0].start),
            (None, None) => 0,
        }
    }

    /// The line of `key = …` (or `"key" = …`) in section `section`.
    fn find_key(&self, text: &str, section: &str, key: &str) -> Option<usize> {
        let chunks = self.named.get(section)?;
        for c in chunks {
            let mut offset = c.start;
            for line in text[c.clone()].split_inclusive('\n') {
                let t = line.trim_start().trim_start_matches('"');
                if t.strip_prefix(key).is_some_and(|rest| {
                    let rest = rest.trim_start_matches('"').trim_start();
                    rest.starts_with('=')
                }) {
                    return Some(line_of(text, offset));
                }
                offset += line.len();
            }
        }
        None
    }
}

/// A table header line: its dotted name and whether it is an array of tables (`[[…]]`).
fn header(line: &str) -> Option<(String, bool)> {
    let t = line.trim();
    let t = match t.find('#') {
        Some(i) if !t[..i].contains('"') => t[..i].trim_end(),
        _ => t,
    };
    let (inner, array) = match t.strip_prefix("[[").and_then(|r| r.strip_suffix("]]")) {
        Some(inner) => (inner, true),
        None => (t.strip_prefix('[')?.strip_suffix(']')?, false),
    };
    let inner = inner.trim();
    let first = inner.chars().next()?;
    let ok = (first.is_ascii_alphabetic() || first == '_' || first == '"')
        && inner
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '"' | ' '));
    ok.then(|| (inner.replace(['"', ' '], ""), array))
}

/// `text` with everything outside `keep` blanked, line breaks kept (so lines stay where
/// they are in the file).
fn mask(text: &str, keep: &[std::ops::Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if keep.iter().any(|r| r.contains(&offset)) {
            out.push_str(line);
        } else if line.ends_with('\n') {
            out.push('\n');
        }
        offset += line.len();
    }
    out
}

/// The 1-based line of byte `offset` of `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// A TOML error as a problem at its line.
fn toml_problem(text: &str, e: &toml::de::Error, what: &str) -> ConfigProblem {
    ConfigProblem {
        line: e.span().map_or(0, |s| line_of(text, s.start)),
        message: format!("{what}: {}", e.message().trim()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_table_lines_not_array_values() {
        assert_eq!(header("[plan]\n"), Some(("plan".into(), false)));
        assert_eq!(header("  [[tuik]]  # TÜİK\n"), Some(("tuik".into(), true)));
        assert_eq!(
            header("[submissions.deadlines]"),
            Some(("submissions.deadlines".into(), false))
        );
        assert_eq!(header("[ \"plan\" ]"), Some(("plan".into(), false)));
        assert_eq!(header("[1, 2]"), None);
        assert_eq!(header("[\"a.toml\", \"b.toml\"]"), None);
        assert_eq!(header("["), None);
        assert_eq!(header("files = [\"a\"]"), None);
    }

    #[test]
    fn masking_keeps_lines_where_they_are() {
        let text = "a = 1\n[x]\nb = 2\n[y]\nc = 3\n";
        let keep = vec![std::ops::Range { start: 6, end: 16 }];
        let masked = mask(text, &keep);
        assert_eq!(masked, "\n[x]\nb = 2\n\n\n");
        assert_eq!(line_of(text, 0), 1);
        assert_eq!(line_of(text, text.find("[y]").unwrap()), 4);
    }

    #[test]
    fn sections_group_sub_tables_and_tuik_entries() {
        let text = "[plan]\nid = \"x\"\n[submissions]\n[submissions.deadlines]\n\"2023\" = \"2024-02-15\"\n[[tuik]]\nfiles = \"a\"\n[tuik.area]\nrow = \"İzmir\"\n[[tuik]]\nfiles = \"b\"\n[nope]\n";
        let s = Sections::split(text).unwrap();
        assert_eq!(s.named["submissions"].len(), 2);
        assert_eq!(s.tuik.len(), 2);
        assert_eq!(s.tuik[0].len(), 2, "[tuik.area] belongs to the first entry");
        assert_eq!(s.unknown.len(), 1);
        assert_eq!(s.unknown[0].line, 12);
        assert_eq!(s.find_key(text, "submissions", "2023"), Some(5));
        assert_eq!(
            s.key_line(text, "plan", "periods"),
            1,
            "a missing key: the section's header"
        );
    }
}
