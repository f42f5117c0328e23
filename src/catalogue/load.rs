//! Reading the catalogue's TOML files into a resolved [`Catalogue`].

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::problem::{CatalogueError, CatalogueProblem, Location, Problems};
use super::{
    Activity, Baseline, Breakdown, Catalogue, CityWide, ContextIndicator, Direction, District, Goal, Indicator,
    MeasureKind, PlanInfo, SubGoal, Term, Theme, Unit, UnitKind,
};
use crate::normalise::fold_words;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFile {
    theme: Option<RawTheme>,
    #[serde(default)]
    goal: Vec<RawGoal>,
    #[serde(default)]
    sub_goal: Vec<RawSubGoal>,
    #[serde(default)]
    activity: Vec<RawActivity>,
    #[serde(default)]
    indicator: Vec<RawIndicator>,
    #[serde(default)]
    unit: Vec<RawUnit>,
    #[serde(default)]
    district: Vec<RawDistrict>,
    city_wide: Option<RawCityWide>,
    #[serde(default)]
    context: Vec<RawContext>,
    #[serde(default)]
    target: Vec<RawTarget>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    id: Spanned<String>,
    order: u32,
    name: String,
    name_en: String,
    /// For sheet names (Excel allows 31 characters); defaults to the name.
    short_name: Option<String>,
    short_name_en: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGoal {
    code: Spanned<String>,
    text: String,
    text_en: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubGoal {
    goal: String,
    code: Spanned<String>,
    text: String,
    text_en: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawActivity {
    id: Spanned<String>,
    sub_goal: String,
    code: String,
    text: String,
    text_en: String,
    term: Term,
    responsible: Vec<String>,
    #[serde(default)]
    collaborating: Vec<String>,
    #[serde(default)]
    indicators_printed: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    id: Spanned<String>,
    activity: String,
    text: String,
    text_en: String,
    kind: MeasureKind,
    by_sex: bool,
    by_district: bool,
    unit: String,
    #[serde(default)]
    sensitive: bool,
    #[serde(default)]
    reporting_units: Option<Vec<String>>,
    #[serde(default)]
    breakdowns: Vec<Breakdown>,
    #[serde(default)]
    targets: BTreeMap<String, f64>,
    #[serde(default)]
    direction: Option<Direction>,
    #[serde(default)]
    balance: bool,
    #[serde(default)]
    contacts: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnit {
    id: Spanned<String>,
    name: String,
    name_en: String,
    kind: UnitKind,
    #[serde(default)]
    aliases: Vec<String>,
    parent: Option<String>,
    district: Option<String>,
    reports: Option<bool>,
    members: Option<UnitKind>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDistrict {
    name: Spanned<String>,
    #[serde(default)]
    aliases: Vec<String>,
    tuik_code: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCityWide {
    name: Spanned<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContext {
    id: Spanned<String>,
    theme: String,
    text: String,
    text_en: String,
    kind: MeasureKind,
    unit: String,
    by_sex: bool,
    #[serde(default)]
    sensitive: bool,
    source: String,
    source_kind: String,
    baseline_year: String,
    #[serde(default)]
    baseline: Baseline,
    #[serde(default)]
    printed: String,
    stated_female_share: Option<f64>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    direction: Option<Direction>,
    #[serde(default)]
    balance: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    indicator: Spanned<String>,
    period: String,
    value: f64,
}

/// Line numbers of byte offsets in one file.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Self {
        Lines(
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
        )
    }

    fn line(&self, offset: usize) -> usize {
        match self.0.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

/// Loads the catalogue files (paths relative to `dir`) for `plan`, resolves unit names and
/// default reporting units, and runs every load-time check.
///
/// # Errors
///
/// [`CatalogueError::Io`] when a file cannot be read; [`CatalogueError::Problems`] with
/// *every* problem found (TOML syntax, unknown fields, duplicate ids, dangling references …),
/// each naming file, line and entry.
pub fn load(plan: PlanInfo, dir: &Path, files: &[PathBuf]) -> Result<Catalogue, CatalogueError> {
    let mut problems = Problems(Vec::new());
    let mut parsed: Vec<(PathBuf, Lines, RawFile)> = Vec::new();
    for rel in files {
        let path = dir.join(rel);
        let text = std::fs::read_to_string(&path).map_err(|source| CatalogueError::Io {
            path: path.clone(),
            source,
        })?;
        let lines = Lines::new(&text);
        match toml::from_str::<RawFile>(&text) {
            Ok(raw) => parsed.push((path, lines, raw)),
            Err(e) => problems.0.push(CatalogueProblem {
                line: e.span().map(|s| lines.line(s.start)),
                file: path,
                entry: String::new(),
                message: e.message().trim().to_string(),
            }),
        }
    }

    let mut locations: HashMap<String, Location> = HashMap::new();
    let loc = |path: &Path, lines: &Lines, span: std::ops::Range<usize>| Location {
        file: path.to_path_buf(),
        line: lines.line(span.start),
    };

    // Units, districts and the city-wide area first: everything else refers to them.
    let mut units = Vec::new();
    let mut districts = Vec::new();
    let mut city_wide: Option<(Location, CityWide)> = None;
    for (path, lines, raw) in &parsed {
        for u in &raw.unit {
            let l = loc(path, lines, u.id.span());
            locations.insert(format!("unit:{}", u.id.get_ref()), l.clone());
            if u.kind == UnitKind::Group && u.members.is_none() && u.reports == Some(true) {
                problems.at(
                    &l,
                    format!("unit {}", u.id.get_ref()),
                    "a group cannot report unless it has `members`",
                );
            }
            units.push(Unit {
                id: u.id.get_ref().clone(),
                name: u.name.clone(),
                name_en: u.name_en.clone(),
                kind: u.kind,
                aliases: u.aliases.clone(),
                parent: u.parent.clone(),
                district: u.district.clone(),
                reports: u.reports.unwrap_or(u.kind.reports_by_default()),
                members: u.members,
            });
        }
        for d in &raw.district {
            let l = loc(path, lines, d.name.span());
            locations.insert(format!("district:{}", d.name.get_ref()), l);
            districts.push(District {
                name: d.name.get_ref().clone(),
                aliases: d.aliases.clone(),
                tuik_code: d.tuik_code,
            });
        }
        if let Some(c) = &raw.city_wide {
            let l = loc(path, lines, c.name.span());
            match &city_wide {
                Some((first, _)) => problems.at(
                    &l,
                    "city_wide",
                    format!(
                        "a second [city_wide] table (the first is in {}:{}); the plan has one city-wide area",
                        first.file.display(),
                        first.line
                    ),
                ),
                None => {
                    city_wide = Some((
                        l,
                        CityWide {
                            name: c.name.get_ref().clone(),
                            aliases: c.aliases.clone(),
                        },
                    ))
                }
            }
        }
    }
    // Without a [city_wide] table the check reports the missing name, in the file that
    // holds the districts (where the table belongs).
    let city_wide = match city_wide {
        Some((l, c)) => {
            locations.insert("city_wide".into(), l);
            c
        }
        None => {
            let file = parsed
                .iter()
                .find(|(_, _, raw)| !raw.district.is_empty())
                .or(parsed.first())
                .map_or_else(|| dir.to_path_buf(), |(path, _, _)| path.clone());
            locations.insert("city_wide".into(), Location { file, line: 0 });
            CityWide::default()
        }
    };
    let mut unit_names: HashMap<String, usize> = HashMap::new();
    for (i, u) in units.iter().enumerate() {
        for n in std::iter::once(&u.id)
            .chain(std::iter::once(&u.name))
            .chain(u.aliases.iter())
        {
            unit_names.entry(fold_words(n)).or_insert(i);
        }
    }
    let resolve_units =
        |names: &[String], l: &Location, entry: &str, field: &str, problems: &mut Problems| -> Vec<String> {
            let mut out = Vec::new();
            for n in names {
                match unit_names.get(&fold_words(n)) {
                    Some(&i) => {
                        if !out.contains(&units[i].id) {
                            out.push(units[i].id.clone());
                        }
                    }
                    None => problems.at(
                        l,
                        entry,
                        format!("{field}: unknown unit \"{n}\" (add it, or an alias, to units.toml)"),
                    ),
                }
            }
            out
        };

    let mut themes = Vec::new();
    let mut goals = Vec::new();
    let mut sub_goals = Vec::new();
    let mut activities = Vec::new();
    let mut raw_indicators: Vec<(Location, &RawIndicator)> = Vec::new();
    let mut context = Vec::new();
    let mut targets: Vec<(Location, &RawTarget)> = Vec::new();
    for (path, lines, raw) in &parsed {
        let theme_id = raw.theme.as_ref().map(|t| t.id.get_ref().clone());
        if let Some(t) = &raw.theme {
            let l = loc(path, lines, t.id.span());
            locations.insert(format!("theme:{}", t.id.get_ref()), l);
            themes.push(Theme {
                id: t.id.get_ref().clone(),
                order: t.order,
                name: t.name.clone(),
                name_en: t.name_en.clone(),
                short_name: t.short_name.clone().unwrap_or_else(|| t.name.clone()),
                short_name_en: t.short_name_en.clone().unwrap_or_else(|| t.name_en.clone()),
            });
        }
        let needs_theme = !raw.goal.is_empty() || !raw.sub_goal.is_empty() || !raw.activity.is_empty();
        let theme = match (&theme_id, needs_theme) {
            (Some(t), _) => t.clone(),
            (None, true) => {
                problems.0.push(CatalogueProblem {
                    file: path.clone(),
                    line: None,
                    entry: String::new(),
                    message: "goals, sub-goals and activities need a [theme] table in the same file".into(),
                });
                String::new()
            }
            (None, false) => String::new(),
        };
        for g in &raw.goal {
            let l = loc(path, lines, g.code.span());
            locations.insert(format!("goal:{theme}:{}", g.code.get_ref()), l);
            goals.push(Goal {
                theme: theme.clone(),
                code: g.code.get_ref().clone(),
                text: g.text.clone(),
                text_en: g.text_en.clone(),
            });
        }
        for s in &raw.sub_goal {
            let l = loc(path, lines, s.code.span());
            locations.insert(format!("sub_goal:{theme}:{}", s.code.get_ref()), l);
            sub_goals.push(SubGoal {
                theme: theme.clone(),
                goal: s.goal.clone(),
                code: s.code.get_ref().clone(),
                text: s.text.clone(),
                text_en: s.text_en.clone(),
            });
        }
        for a in &raw.activity {
            let l = loc(path, lines, a.id.span());
            let entry = format!("activity {}", a.id.get_ref());
            let responsible = resolve_units(&a.responsible, &l, &entry, "responsible", &mut problems);
            let collaborating = resolve_units(&a.collaborating, &l, &entry, "collaborating", &mut problems);
            let goal = raw
                .sub_goal
                .iter()
                .find(|s| s.code.get_ref() == &a.sub_goal)
                .map(|s| s.goal.clone())
                .unwrap_or_default();
            locations.insert(format!("activity:{}", a.id.get_ref()), l);
            activities.push(Activity {
                id: a.id.get_ref().clone(),
                theme: theme.clone(),
                goal,
                sub_goal: a.sub_goal.clone(),
                code: a.code.clone(),
                text: a.text.clone(),
                text_en: a.text_en.clone(),
                term: a.term,
                responsible,
                collaborating,
                indicators_printed: a.indicators_printed.clone(),
            });
        }
        for i in &raw.indicator {
            let l = loc(path, lines, i.id.span());
            locations.insert(format!("indicator:{}", i.id.get_ref()), l.clone());
            raw_indicators.push((l, i));
        }
        for c in &raw.context {
            let l = loc(path, lines, c.id.span());
            locations.insert(format!("context:{}", c.id.get_ref()), l);
            context.push(ContextIndicator {
                id: c.id.get_ref().clone(),
                theme: c.theme.clone(),
                text: c.text.clone(),
                text_en: c.text_en.clone(),
                kind: c.kind,
                unit: c.unit.clone(),
                by_sex: c.by_sex,
                sensitive: c.sensitive,
                source: c.source.clone(),
                source_kind: c.source_kind.clone(),
                baseline_year: c.baseline_year.clone(),
                baseline: c.baseline.clone(),
                printed: c.printed.clone(),
                stated_female_share: c.stated_female_share,
                note: c.note.clone(),
                direction: c.direction,
                balance: c.balance,
            });
        }
        for t in &raw.target {
            targets.push((loc(path, lines, t.indicator.span()), t));
        }
    }

    // Indicators: theme from the activity, reporting units explicit or by the default rule.
    let activity_ix: HashMap<&str, &Activity> = activities.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut indicators = Vec::new();
    for (l, i) in &raw_indicators {
        let entry = format!("indicator {}", i.id.get_ref());
        let activity = activity_ix.get(i.activity.as_str());
        let reporting_units = match (&i.reporting_units, activity) {
            (Some(names), _) => expand_groups(
                &resolve_units(names, l, &entry, "reporting_units", &mut problems),
                &units,
            ),
            (None, Some(a)) => default_reporting_units(a, &units),
            (None, None) => Vec::new(),
        };
        indicators.push(Indicator {
            id: i.id.get_ref().clone(),
            theme: activity.map(|a| a.theme.clone()).unwrap_or_default(),
            activity: i.activity.clone(),
            text: i.text.clone(),
            text_en: i.text_en.clone(),
            kind: i.kind,
            by_sex: i.by_sex,
            by_district: i.by_district,
            unit: i.unit.clone(),
            sensitive: i.sensitive,
            breakdowns: i.breakdowns.clone(),
            reporting_units,
            targets: i.targets.clone(),
            direction: i.direction,
            balance: i.balance,
            contacts: i.contacts,
        });
    }
    // Separate [[target]] entries: refer to an indicator by id.
    let mut target_locs = Vec::new();
    for (l, t) in targets {
        match indicators.iter_mut().find(|i| &i.id == t.indicator.get_ref()) {
            Some(ind) => {
                ind.targets.insert(t.period.clone(), t.value);
                target_locs.push((l, t.indicator.get_ref().clone(), t.period.clone()));
            }
            None => problems.at(
                &l,
                format!("target {}", t.indicator.get_ref()),
                format!("target refers to unknown indicator \"{}\"", t.indicator.get_ref()),
            ),
        }
    }

    themes.sort_by_key(|t| t.order);
    let mut cat = Catalogue {
        plan,
        themes,
        goals,
        sub_goals,
        activities,
        indicators,
        context,
        units,
        districts,
        city_wide,
        files: files.to_vec(),
        index: Default::default(),
    };
    cat.build_index();
    super::check::check_with_locations(&cat, &locations, &mut problems);
    if problems.0.is_empty() {
        Ok(cat)
    } else {
        Err(CatalogueError::Problems(problems.0))
    }
}

/// Unit ids with every group that has `members` replaced by its reporting members.
fn expand_groups(ids: &[String], units: &[Unit]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        match units.iter().find(|u| &u.id == id) {
            Some(u) if u.members.is_some() => {
                for m in units.iter().filter(|m| Some(m.kind) == u.members && m.reports) {
                    if !out.contains(&m.id) {
                        out.push(m.id.clone());
                    }
                }
            }
            _ => {
                if !out.contains(id) {
                    out.push(id.clone());
                }
            }
        }
    }
    out
}

/// The default rule (see `docs/catalogue-format.md`): the activity's collaborating units
/// that report, groups with `members` expanded; the responsible units when none does.
fn default_reporting_units(a: &Activity, units: &[Unit]) -> Vec<String> {
    let reporting = |ids: &[String]| -> Vec<String> {
        let candidates: Vec<String> = ids
            .iter()
            .filter(|id| units.iter().any(|u| &u.id == *id && (u.members.is_some() || u.reports)))
            .cloned()
            .collect();
        expand_groups(&candidates, units)
    };
    let out = reporting(&a.collaborating);
    if out.is_empty() {
        reporting(&a.responsible)
    } else {
        out
    }
}
