//! Load-time checks of a catalogue: unique ids, every reference resolves, every activity has
//! an indicator, every indicator has someone to report it, targets refer to real periods,
//! the city-wide area has a name that no district shares.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::problem::{CatalogueProblem, Location, Problems};
use super::Catalogue;

/// Checks a loaded catalogue again (e.g. after editing it in code) and returns every
/// problem; locations are not known here, so problems name the entry only.
pub fn check(cat: &Catalogue) -> Vec<CatalogueProblem> {
    let mut p = Problems(Vec::new());
    check_with_locations(cat, &HashMap::new(), &mut p);
    p.0
}

pub(crate) fn check_with_locations(cat: &Catalogue, locs: &HashMap<String, Location>, problems: &mut Problems) {
    let unknown = Location {
        file: PathBuf::from("(catalogue)"),
        line: 0,
    };
    let at = |key: &str| locs.get(key).cloned().unwrap_or_else(|| unknown.clone());
    let mut report = |key: &str, entry: String, msg: String| {
        let l = at(key);
        problems.0.push(CatalogueProblem {
            file: l.file.clone(),
            line: (l.line > 0).then_some(l.line),
            entry,
            message: msg,
        });
    };

    for t in &cat.themes {
        if t.short_name.chars().count() > 31 || t.short_name_en.chars().count() > 31 {
            report(
                &format!("theme:{}", t.id),
                format!("theme {}", t.id),
                "name longer than 31 characters: set short_name / short_name_en for sheet names".into(),
            );
        }
    }
    // Unique ids. The location map keeps the last definition; name the duplicate there.
    let dupes = |ids: Vec<&str>| -> Vec<String> {
        let mut seen = HashSet::new();
        let mut d = Vec::new();
        for id in ids {
            if !seen.insert(id) && !d.contains(&id.to_string()) {
                d.push(id.to_string());
            }
        }
        d
    };
    for id in dupes(cat.themes.iter().map(|t| t.id.as_str()).collect()) {
        report(
            &format!("theme:{id}"),
            format!("theme {id}"),
            "duplicate theme id".into(),
        );
    }
    for id in dupes(cat.activities.iter().map(|t| t.id.as_str()).collect()) {
        report(
            &format!("activity:{id}"),
            format!("activity {id}"),
            "duplicate activity id".into(),
        );
    }
    for id in dupes(cat.indicators.iter().map(|t| t.id.as_str()).collect()) {
        report(
            &format!("indicator:{id}"),
            format!("indicator {id}"),
            "duplicate indicator id".into(),
        );
    }
    for id in dupes(cat.context.iter().map(|t| t.id.as_str()).collect()) {
        report(
            &format!("context:{id}"),
            format!("context {id}"),
            "duplicate context indicator id".into(),
        );
    }
    // Context and plan indicators share one id space in observations.
    for c in &cat.context {
        if cat.indicators.iter().any(|i| i.id == c.id) {
            report(
                &format!("context:{}", c.id),
                format!("context {}", c.id),
                "id is also used by a plan indicator".into(),
            );
        }
    }
    for id in dupes(cat.units.iter().map(|t| t.id.as_str()).collect()) {
        report(&format!("unit:{id}"), format!("unit {id}"), "duplicate unit id".into());
    }
    for id in dupes(cat.districts.iter().map(|t| t.name.as_str()).collect()) {
        report(
            &format!("district:{id}"),
            format!("district {id}"),
            "duplicate district".into(),
        );
    }
    let goal_keys: Vec<String> = cat.goals.iter().map(|g| format!("{}:{}", g.theme, g.code)).collect();
    for k in dupes(goal_keys.iter().map(String::as_str).collect()) {
        report(
            &format!("goal:{k}"),
            format!("goal {k}"),
            "duplicate goal code in this theme".into(),
        );
    }
    let sub_keys: Vec<String> = cat
        .sub_goals
        .iter()
        .map(|g| format!("{}:{}", g.theme, g.code))
        .collect();
    for k in dupes(sub_keys.iter().map(String::as_str).collect()) {
        report(
            &format!("sub_goal:{k}"),
            format!("sub-goal {k}"),
            "duplicate sub-goal code in this theme".into(),
        );
    }

    // Names shared by two units make name matching ambiguous.
    let mut by_name: HashMap<String, &str> = HashMap::new();
    for u in &cat.units {
        for n in std::iter::once(&u.name).chain(u.aliases.iter()) {
            let f = crate::normalise::fold_words(n);
            if let Some(other) = by_name.insert(f, &u.id) {
                if other != u.id {
                    report(
                        &format!("unit:{}", u.id),
                        format!("unit {}", u.id),
                        format!("name or alias \"{n}\" is also used by unit {other}"),
                    );
                }
            }
        }
    }

    // References.
    for s in &cat.sub_goals {
        if cat.goal(&s.theme, &s.goal).is_none() {
            report(
                &format!("sub_goal:{}:{}", s.theme, s.code),
                format!("sub-goal {}", s.code),
                format!("refers to unknown goal \"{}\" of theme {}", s.goal, s.theme),
            );
        }
    }
    for a in &cat.activities {
        let key = format!("activity:{}", a.id);
        if cat.sub_goal(&a.theme, &a.sub_goal).is_none() {
            report(
                &key,
                format!("activity {}", a.id),
                format!("refers to unknown sub-goal \"{}\" of theme {}", a.sub_goal, a.theme),
            );
        }
        if a.responsible.is_empty() {
            report(&key, format!("activity {}", a.id), "has no responsible unit".into());
        }
        if !cat.indicators.iter().any(|i| i.activity == a.id) {
            report(&key, format!("activity {}", a.id), "has no indicator".into());
        }
    }
    let periods: HashSet<&str> = cat.plan.periods.iter().map(String::as_str).collect();
    for i in &cat.indicators {
        let key = format!("indicator:{}", i.id);
        let entry = format!("indicator {}", i.id);
        if cat.activity(&i.activity).is_none() {
            report(
                &key,
                entry.clone(),
                format!("refers to unknown activity \"{}\"", i.activity),
            );
        } else if i.reporting_units.is_empty() {
            report(
                &key,
                entry.clone(),
                "no unit reports this indicator: set reporting_units".into(),
            );
        }
        if i.kind == super::MeasureKind::CountPeople && !i.by_sex {
            report(&key, entry.clone(), "counts people but is not by sex".into());
        }
        for p in i.targets.keys() {
            let year = p.split('-').next().unwrap_or(p);
            if !periods.contains(p.as_str()) && !periods.contains(year) {
                report(
                    &key,
                    entry.clone(),
                    format!("target for period \"{p}\", which is not a period of the plan"),
                );
            }
        }
    }
    // Balanced participation needs women and men counted.
    let balance_problem = |balance: bool, by_sex: bool, kind: crate::catalogue::MeasureKind| {
        (balance && !(by_sex && kind.is_count())).then(|| {
            "balance = true needs a count by sex (by_sex = true, kind count_people or count_things)".to_string()
        })
    };
    for i in &cat.indicators {
        if i.contacts && i.kind != crate::catalogue::MeasureKind::CountPeople {
            report(
                &format!("indicator:{}", i.id),
                format!("indicator {}", i.id),
                "contacts = true needs kind = \"count_people\"".into(),
            );
        }
        if let Some(p) = balance_problem(i.balance, i.by_sex, i.kind) {
            report(&format!("indicator:{}", i.id), format!("indicator {}", i.id), p);
        }
    }
    for c in &cat.context {
        if let Some(p) = balance_problem(c.balance, c.by_sex, c.kind) {
            report(&format!("context:{}", c.id), format!("context {}", c.id), p);
        }
        for d in &c.baseline.derived {
            let value = match d.as_str() {
                "female" => Some(c.baseline.female),
                "male" => Some(c.baseline.male),
                "total" => Some(c.baseline.total),
                _ => None,
            };
            let problem = match value {
                None => Some(format!(
                    "baseline.derived names \"{d}\": use \"female\", \"male\" or \"total\""
                )),
                Some(None) => Some(format!(
                    "baseline.derived names \"{d}\", which the baseline does not give"
                )),
                Some(Some(_)) => None,
            };
            if let Some(p) = problem {
                report(&format!("context:{}", c.id), format!("context {}", c.id), p);
            }
        }
        if cat.theme(&c.theme).is_none() {
            report(
                &format!("context:{}", c.id),
                format!("context {}", c.id),
                format!("refers to unknown theme \"{}\"", c.theme),
            );
        }
    }
    // The city-wide area: named, and none of its spellings taken by a district.
    if cat.city_wide.name.trim().is_empty() {
        report(
            "city_wide",
            "city_wide".into(),
            "the city-wide area has no name: add a [city_wide] table with name = \"…\" (the aggregate row's name) beside the districts".into(),
        );
    }
    let mut district_folds: HashMap<String, &str> = HashMap::new();
    for d in &cat.districts {
        for n in std::iter::once(&d.name).chain(d.aliases.iter()) {
            district_folds.insert(crate::normalise::fold_words(n), d.name.as_str());
        }
    }
    for a in std::iter::once(&cat.city_wide.name)
        .filter(|n| !n.trim().is_empty())
        .chain(cat.city_wide.aliases.iter())
    {
        let f = crate::normalise::fold_words(a);
        if f.is_empty() {
            report(
                "city_wide",
                "city_wide".into(),
                format!("alias \"{a}\" is empty (only spaces or punctuation)"),
            );
        } else if let Some(d) = district_folds.get(&f) {
            report(
                "city_wide",
                "city_wide".into(),
                format!("name or alias \"{a}\" is also the name or an alias of district {d}"),
            );
        }
    }
    let district_names: HashSet<&str> = cat.districts.iter().map(|d| d.name.as_str()).collect();
    for u in &cat.units {
        let key = format!("unit:{}", u.id);
        if let Some(d) = &u.district {
            if !district_names.contains(d.as_str()) {
                report(
                    &key,
                    format!("unit {}", u.id),
                    format!("refers to unknown district \"{d}\""),
                );
            }
        }
        if let Some(parent) = &u.parent {
            if cat.unit(parent).is_none() {
                report(
                    &key,
                    format!("unit {}", u.id),
                    format!("refers to unknown parent unit \"{parent}\""),
                );
            }
        }
    }
}
