//! Rules for one submission: which unit and period it is for, and what every row's
//! cells mean. Accepted values become [`Observation`]s; every problem becomes a located
//! [`Diagnostic`]. A bad row never stops the other rows.
//!
//! Accounting: a *value read* is one non-empty cell in a Kadın/Erkek/Toplam column of a
//! data row, other than the not-reported markers (`-`, `—`). Each is either accepted
//! (it becomes an observation) or rejected (an error, or not used: `sex-not-applicable`).
//! A total derived from Kadın + Erkek is an observation but not a value read.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::FileOutcome;
use crate::catalogue::{Breakdown, Catalogue, Indicator, MeasureKind, Unit};
use crate::diagnostics::{Diagnostic, Note, Reason};
use crate::model::form::Col;
use crate::model::observation::Observation;
use crate::model::{CellRef, FileAccount, FileStatus};
use crate::normalise::{parse_number, parse_period, NumberCell, NumberStyle, Sex};
use crate::sources::guard::Limits;
use crate::sources::submission::{
    file_stem_words, format_number, years_in_name, RawCell, RawRow, RawValue, Submission,
};
use crate::sources::submission::{read_untrusted, FileProblem};

/// Tolerance of `Kadın + Erkek = Toplam`.
pub const SUM_TOLERANCE: f64 = 1e-9;

/// Where a submission came from.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// Path relative to the input folder, `/`-separated.
    pub file: &'a str,
    /// The period of the folder it was found in (`submissions/<period>/`).
    pub period: &'a str,
}

/// The judgement on one file.
#[derive(Debug, Clone, Default)]
pub struct Judged {
    pub unit_id: String,
    pub period: String,
    /// `Tarih` on `Bilgi`, as `YYYY-MM-DD`, for the resubmission rule.
    pub date: Option<String>,
    /// Whether the file as a whole was accepted (its rows were judged).
    pub file_accepted: bool,
    pub observations: Vec<Observation>,
    pub diagnostics: Vec<Diagnostic>,
    pub values_read: u64,
    pub values_accepted: u64,
    pub values_rejected: u64,
}

/// Reads and judges one submission file's bytes (`account`: its account so far, with
/// size and hash). A file the reader refuses is `rejected` with its one file-level
/// diagnostic; otherwise its rows are judged ([`judge`]).
pub fn judge_file(
    cat: &Catalogue,
    limits: &Limits,
    bytes: &[u8],
    account: FileAccount,
    origin: Origin<'_>,
) -> FileOutcome {
    let sub = match read_untrusted(bytes, limits) {
        Ok(s) => s,
        Err(FileProblem {
            reason,
            note,
            sheet,
            cell,
        }) => {
            let mut d = Diagnostic::file(reason, origin.file, note);
            d.sheet = sheet;
            d.cell = cell;
            return super::refused(account, d, origin.period);
        }
    };
    let j = judge(cat, &sub, origin);
    let mut o = FileOutcome {
        account,
        ..FileOutcome::default()
    };
    o.account.unit_id = j.unit_id;
    o.account.values_read = j.values_read;
    o.account.values_accepted = j.values_accepted;
    o.account.values_rejected = j.values_rejected;
    o.account.status = if j.file_accepted {
        FileStatus::Accepted
    } else {
        FileStatus::Rejected
    };
    o.observations = j.observations;
    o.diagnostics = j.diagnostics;
    o.account.submitted = j.date.as_deref().and_then(crate::model::Date::parse);
    o.date = j.date;
    o.file_accepted = j.file_accepted;
    o
}

/// The number of values a submission holds (see the module doc), for a rejected file.
pub fn count_values(sub: &Submission) -> u64 {
    sub.rows
        .iter()
        .flat_map(|r| r.values())
        .filter(|(_, c)| !is_not_reported(&c.value))
        .count() as u64
}

fn is_not_reported(v: &RawValue) -> bool {
    matches!(v, RawValue::Text(t) if matches!(parse_number(t, NumberStyle::Auto), Ok(NumberCell::NotReported)))
}

/// Judges a read submission against the catalogue.
///
/// # Examples
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use yeep::{pipeline::Pipeline, sources::submission::read_submission};
/// use yeep::validate::submission::{judge, Origin};
/// let cat = Pipeline::load("pipelines/izmir-2022-2024.toml".as_ref())?.catalogue()?;
/// let bytes = std::fs::read("input/submissions/2023/ilce-konak-2023.xlsx")?;
/// let sub = read_submission(&bytes)?;
/// let judged = judge(&cat, &sub, Origin { file: "submissions/2023/ilce-konak-2023.xlsx", period: "2023" });
/// assert_eq!(judged.values_read, judged.values_accepted + judged.values_rejected);
/// # Ok(()) }
/// ```
pub fn judge(cat: &Catalogue, sub: &Submission, origin: Origin<'_>) -> Judged {
    let mut j = Judged {
        period: origin.period.to_string(),
        date: sub.info.date.as_ref().and_then(|d| d.date.clone()),
        ..Judged::default()
    };
    let unit = find_unit(cat, sub, origin, &mut j);
    check_period(cat, sub, origin, &mut j);
    // Texts the reader had to cut: a warning each, at the cell (nothing cut silently).
    let cut: Vec<Diagnostic> = sub
        .cut_texts
        .iter()
        .map(|c| {
            Diagnostic::cell(Reason::TextCut, origin.file, &c.sheet, c.cell, "").with_note(Note::TextCut {
                chars: c.chars as u64,
                limit: c.limit as u64,
            })
        })
        .collect();
    let unit = match unit {
        Some(u) if j.diagnostics.is_empty() => u,
        _ => {
            j.values_read = count_values(sub);
            j.values_rejected = j.values_read;
            j.diagnostics.extend(cut);
            for d in &mut j.diagnostics {
                *d = d.clone().with_unit_period(&j.unit_id, &j.period);
            }
            return j;
        }
    };
    j.file_accepted = true;
    let mut seen = HashSet::new();
    for row in &sub.rows {
        judge_row(cat, unit, sub, origin, row, &mut seen, &mut j);
    }
    check_breakdowns(cat, origin, &mut j);
    check_city_wide_against_districts(cat, origin, &mut j);
    j.diagnostics
        .extend(cut.into_iter().map(|d| d.with_unit_period(&j.unit_id, &j.period)));
    j
}

/// A diagnostic at the cell an accepted observation was read from.
fn at_observation(origin: Origin<'_>, j: &Judged, o: &Observation, reason: Reason, note: Note) -> Diagnostic {
    Diagnostic::cell(
        reason,
        origin.file,
        &o.source_sheet,
        CellRef::parse(&o.source_cell),
        format_number(o.value),
    )
    .with_unit_period(&j.unit_id, &j.period)
    .with_indicator(&o.indicator_id)
    .with_note(note)
}

/// Breakdown rows (age group, disability) of a count against the unit's all-ages row of
/// the same indicator, district and sex (`docs/submissions.md`): a breakdown above it is
/// an error at the breakdown's cell (that value is rejected); one breakdown's rows adding
/// up past it is an error at the all-ages cell (those rows are rejected); breakdown rows
/// without an all-ages row are a warning (they are kept, and the metrics count only
/// all-ages rows in totals, so nothing is counted twice).
fn check_breakdowns(cat: &Catalogue, origin: Origin<'_>, j: &mut Judged) {
    type Cell<'a> = (&'a str, &'a str, Sex);
    let is_count = |id: &str| cat.indicator(id).is_some_and(|i| i.kind.is_count());
    let mut all_ages: HashMap<Cell<'_>, usize> = HashMap::new();
    // (indicator, district) with an all-ages row for any sex.
    let mut has_row: HashSet<(&str, &str)> = HashSet::new();
    // (cell, dimension) → the observations of that breakdown.
    let mut groups: BTreeMap<(Cell<'_>, &str), Vec<usize>> = BTreeMap::new();
    for (k, o) in j.observations.iter().enumerate() {
        if !is_count(&o.indicator_id) {
            continue;
        }
        let cell = (o.indicator_id.as_str(), o.district.as_str(), o.sex);
        let dimension = match (&o.age_group, &o.disability) {
            (None, None) => {
                all_ages.insert(cell, k);
                has_row.insert((cell.0, cell.1));
                continue;
            }
            (Some(_), None) => "age_group",
            (None, Some(_)) => "disability",
            (Some(_), Some(_)) => "age_group×disability",
        };
        groups.entry((cell, dimension)).or_default().push(k);
    }
    let at = |o: &Observation, reason: Reason, note: Note| at_observation(origin, j, o, reason, note);
    let mut found = Vec::new();
    let mut rejected: HashSet<usize> = HashSet::new();
    let mut warned: HashSet<(&str, &str, &str)> = HashSet::new();
    for ((cell, dimension), members) in &groups {
        let obs = |k: &usize| &j.observations[*k];
        let Some(&t) = all_ages.get(cell) else {
            // No all-ages row at all (not merely no value for this sex): once per
            // indicator, district and breakdown (its sexes share the warning).
            if !has_row.contains(&(cell.0, cell.1)) && warned.insert((cell.0, cell.1, dimension)) {
                if let Some(first) = members.first() {
                    found.push(at(obs(first), Reason::BreakdownWithoutTotal, Note::None));
                }
            }
            continue;
        };
        let total = j.observations[t].value;
        let mut kept = Vec::new();
        for k in members {
            let o = obs(k);
            if o.value > total + SUM_TOLERANCE {
                found.push(at(
                    o,
                    Reason::BreakdownAboveTotal,
                    Note::BreakdownAboveTotal { value: o.value, total },
                ));
                rejected.insert(*k);
            } else {
                kept.push(*k);
            }
        }
        let sum: f64 = kept.iter().map(|k| obs(k).value).sum();
        if sum > total + SUM_TOLERANCE {
            found.push(at(
                &j.observations[t],
                Reason::BreakdownsExceedTotal,
                Note::BreakdownsExceedTotal { sum, total },
            ));
            rejected.extend(kept);
        }
    }
    if !rejected.is_empty() {
        // A value is a cell the unit wrote (a total derived from women + men is not).
        let values = rejected
            .iter()
            .filter(|k| !j.observations[**k].source_cell.contains('+'))
            .count() as u64;
        j.values_accepted -= values;
        j.values_rejected += values;
        let mut k = 0;
        j.observations.retain(|_| {
            k += 1;
            !rejected.contains(&(k - 1))
        });
    }
    j.diagnostics.extend(found);
}

/// A unit's city-wide row of a count (per sex and breakdown) smaller than the sum of its
/// own district rows is a warning at the city-wide cell with both numbers: the city-wide
/// row may hold more than the districts (work not attributed to one), never less. The
/// values stay (the metrics use the unit's city-wide row for its city-wide contribution).
fn check_city_wide_against_districts(cat: &Catalogue, origin: Origin<'_>, j: &mut Judged) {
    type Key<'a> = (&'a str, Sex, &'a Option<String>, &'a Option<String>);
    let city = cat.city_wide();
    let mut districts: HashMap<Key<'_>, f64> = HashMap::new();
    let mut city_rows: Vec<(Key<'_>, &Observation)> = Vec::new();
    for o in &j.observations {
        if !cat.indicator(&o.indicator_id).is_some_and(|i| i.kind.is_count()) {
            continue;
        }
        let key = (o.indicator_id.as_str(), o.sex, &o.age_group, &o.disability);
        if o.district == city {
            city_rows.push((key, o));
        } else {
            *districts.entry(key).or_insert(0.0) += o.value;
        }
    }
    let mut found = Vec::new();
    for (key, o) in city_rows {
        if let Some(&sum) = districts.get(&key) {
            if o.value + SUM_TOLERANCE < sum {
                found.push(at_observation(
                    origin,
                    j,
                    o,
                    Reason::CityWideBelowDistricts,
                    Note::CityWideBelowDistricts {
                        city_wide: o.value,
                        districts: sum,
                    },
                ));
            }
        }
    }
    j.diagnostics.extend(found);
}

fn find_unit<'c>(cat: &'c Catalogue, sub: &Submission, origin: Origin<'_>, j: &mut Judged) -> Option<&'c Unit> {
    let info = &sub.info;
    let by_id = info
        .unit_id
        .as_ref()
        .and_then(|v| cat.unit(v.text.trim()).or_else(|| cat.find_unit(&v.text)));
    let by_name = || info.unit_name.as_ref().and_then(|v| cat.find_unit(&v.text));
    let by_file = || {
        let name = origin.file.rsplit('/').next().unwrap_or(origin.file);
        let words = file_stem_words(name);
        let stem: String = words
            .split(' ')
            .filter(|w| !(w.len() == 4 && w.chars().all(|c| c.is_ascii_digit())))
            .collect::<Vec<_>>()
            .join(" ");
        cat.find_unit(&stem).or_else(|| {
            // The longest unit id the file name starts with (`ilce-konak-2023-v2.xlsx`).
            cat.units
                .iter()
                .filter(|u| words.starts_with(&crate::normalise::fold_words(&u.id)))
                .max_by_key(|u| u.id.len())
        })
    };
    if let Some(u) = by_id.or_else(by_name).or_else(by_file) {
        j.unit_id = u.id.clone();
        return Some(u);
    }
    let given = info.unit_id.as_ref().or(info.unit_name.as_ref());
    let d = match given {
        Some(v) => Diagnostic::cell(Reason::UnitUnknown, origin.file, &info.sheet, v.cell, &v.text),
        None => Diagnostic::file(Reason::UnitMissing, origin.file, Note::None),
    };
    j.diagnostics.push(d);
    None
}

fn check_period(cat: &Catalogue, sub: &Submission, origin: Origin<'_>, j: &mut Judged) {
    let folder = parse_period(origin.period)
        .map(|p| p.to_string())
        .unwrap_or_else(|| origin.period.to_string());
    if !cat.plan.periods.contains(&folder) {
        j.diagnostics.push(Diagnostic::file(
            Reason::PeriodNotInPlan,
            origin.file,
            Note::FolderPeriodNotInPlan {
                folder: folder.clone(),
                periods: cat.plan.periods.clone(),
            },
        ));
        return;
    }
    let info = &sub.info;
    if let Some(v) = &info.period {
        match parse_period(&v.text) {
            None => j.diagnostics.push(
                Diagnostic::cell(Reason::PeriodMissing, origin.file, &info.sheet, v.cell, &v.text)
                    .with_note(Note::PeriodUnreadable),
            ),
            Some(p) if p.to_string() != folder => j.diagnostics.push(
                Diagnostic::cell(Reason::PeriodMismatch, origin.file, &info.sheet, v.cell, &v.text).with_note(
                    Note::InfoPeriodVsFolder {
                        info: p.to_string(),
                        folder: folder.clone(),
                    },
                ),
            ),
            Some(_) => {}
        }
    }
    let name = origin.file.rsplit('/').next().unwrap_or(origin.file);
    let years = years_in_name(name);
    let folder_year = parse_period(&folder).map(|p| p.year);
    if !years.is_empty() && !years.iter().any(|y| Some(*y) == folder_year) {
        j.diagnostics.push(
            Diagnostic::file(
                Reason::PeriodMismatch,
                origin.file,
                Note::FileNamePeriodVsFolder {
                    name: name.to_string(),
                    folder,
                },
            )
            .with_value(name),
        );
    }
}

/// A value cell after parsing.
enum Parsed {
    Ok(f64),
    /// A count typed as text with one comma and three digits after it (`1,000`): read
    /// as a decimal comma (1), though it may mean one thousand (`other`).
    Assumed(f64, f64),
    NotReported,
}

/// The largest magnitude accepted: Excel keeps 15 significant digits, and a sum of two
/// accepted values stays finite.
pub const MAX_VALUE: f64 = 1e15;

fn judge_row(
    cat: &Catalogue,
    unit: &Unit,
    sub: &Submission,
    origin: Origin<'_>,
    row: &RawRow,
    seen: &mut HashSet<(String, String, Option<String>, Option<String>)>,
    j: &mut Judged,
) {
    let sheet = sub.data_sheet.as_str();
    let read: Vec<(Col, &RawCell)> = row.values().filter(|(_, c)| !is_not_reported(&c.value)).collect();
    let n = read.len() as u64;
    if n == 0 {
        return; // nothing reported on this row
    }
    j.values_read += n;
    let unit_id = unit.id.clone();
    let period = j.period.clone();
    let diag = |reason: Reason, cell: Option<CellRef>, value: &str, ind: &str| {
        Diagnostic::cell(reason, origin.file, sheet, cell, value)
            .with_unit_period(&unit_id, &period)
            .with_indicator(ind)
    };
    let reject_row = |j: &mut Judged, d: Diagnostic| {
        j.diagnostics.push(d);
        j.values_rejected += n;
    };
    let Some(id) = row.id.as_deref().map(str::trim) else {
        return reject_row(j, diag(Reason::IndicatorMissing, row.id_cell, "", ""));
    };
    let Some(ind) = cat.indicator(id) else {
        return reject_row(j, diag(Reason::IndicatorUnknown, row.id_cell, id, ""));
    };
    if !ind.reporting_units.contains(&unit.id) {
        return reject_row(j, diag(Reason::IndicatorNotAssigned, row.id_cell, id, id));
    }
    let district = match row.district.as_deref() {
        None => cat.city_wide().to_string(),
        Some(d) => match cat.districts_index().find(d) {
            Some(c) => c.to_string(),
            None => return reject_row(j, diag(Reason::DistrictUnknown, row.district_cell, d, id)),
        },
    };
    let breakdown = |b: Breakdown, v: &Option<String>| {
        if ind.breakdowns.contains(&b) {
            v.clone()
        } else {
            None
        }
    };
    let age_group = breakdown(Breakdown::AgeGroup, &row.age_group);
    let disability = breakdown(Breakdown::Disability, &row.disability);
    let key = (ind.id.clone(), district.clone(), age_group.clone(), disability.clone());
    if !seen.insert(key) {
        return reject_row(
            j,
            diag(Reason::DuplicateRow, row.id_cell, id, id).with_note(Note::DuplicateRow {
                indicator: ind.id.clone(),
                district,
            }),
        );
    }
    // Not by sex: Kadın/Erkek are not used.
    let mut cells: Vec<(Col, &RawCell)> = read;
    if !ind.by_sex {
        let (sexed, rest): (Vec<_>, Vec<_>) = cells.into_iter().partition(|(c, _)| *c != Col::Total);
        if let Some((_, first)) = sexed.first() {
            j.diagnostics.push(diag(
                Reason::SexNotApplicable,
                Some(first.cell),
                &first.value.display(),
                id,
            ));
            j.values_rejected += sexed.len() as u64;
        }
        cells = rest;
    }
    // Cell by cell.
    let mut ok: Vec<(Col, &RawCell, f64)> = Vec::new();
    for (col, cell) in cells {
        match parse_cell(ind, cell) {
            Ok(Parsed::Ok(v)) => ok.push((col, cell, v)),
            Ok(Parsed::Assumed(v, other)) => {
                j.diagnostics.push(
                    diag(
                        Reason::ValueAmbiguousSeparator,
                        Some(cell.cell),
                        &cell.value.display(),
                        id,
                    )
                    .with_note(Note::AmbiguousSeparator { read: v, other }),
                );
                ok.push((col, cell, v));
            }
            Ok(Parsed::NotReported) => {}
            Err(reason) => {
                j.diagnostics
                    .push(diag(reason, Some(cell.cell), &cell.value.display(), id));
                j.values_rejected += 1;
            }
        }
    }
    // Across cells (counts only: rates do not add up).
    let get = |c: Col| ok.iter().find(|(x, _, _)| *x == c).map(|(_, cell, v)| (*cell, *v));
    if ind.kind.is_count() {
        let (f, m, t) = (get(Col::Female), get(Col::Male), get(Col::Total));
        let problem = match (f, m, t) {
            (Some((_, fv)), Some((_, mv)), Some((tc, tv))) if (fv + mv - tv).abs() > SUM_TOLERANCE => Some(
                diag(Reason::SumMismatch, Some(tc.cell), &format_number(tv), id).with_note(Note::SumMismatch {
                    women: fv,
                    men: mv,
                    sum: fv + mv,
                    total: tv,
                }),
            ),
            (Some((fc, fv)), None, Some((_, tv))) if fv > tv => Some(
                diag(Reason::WomenAboveTotal, Some(fc.cell), &format_number(fv), id)
                    .with_note(Note::WomenAboveTotal { women: fv, total: tv }),
            ),
            (None, Some((mc, mv)), Some((_, tv))) if mv > tv => Some(
                diag(Reason::MenAboveTotal, Some(mc.cell), &format_number(mv), id)
                    .with_note(Note::MenAboveTotal { men: mv, total: tv }),
            ),
            _ => None,
        };
        if let Some(d) = problem {
            j.diagnostics.push(d);
            j.values_rejected += ok.len() as u64;
            return;
        }
    }
    let obs = |sex: Sex, value: f64, cell: String| Observation {
        plan_id: cat.plan.id.clone(),
        period: j.period.clone(),
        indicator_id: ind.id.clone(),
        theme: ind.theme.clone(),
        unit_id: unit.id.clone(),
        district: district.clone(),
        sex,
        age_group: age_group.clone(),
        disability: disability.clone(),
        value,
        source_file: origin.file.to_string(),
        source_sheet: sheet.to_string(),
        source_cell: cell,
    };
    let mut new = Vec::new();
    for (col, cell, v) in &ok {
        if let Some(sex) = col.sex() {
            new.push(obs(sex, *v, cell.cell.to_string()));
        }
    }
    // Kadın and Erkek given, Toplam empty: the total is their sum.
    if let (Some((fc, fv)), Some((mc, mv)), None, true) = (
        get(Col::Female),
        get(Col::Male),
        row.total.as_ref().filter(|c| !is_not_reported(&c.value)),
        ind.by_sex,
    ) {
        new.push(obs(Sex::Total, fv + mv, format!("{}+{}", fc.cell, mc.cell)));
    }
    j.values_accepted += ok.len() as u64;
    j.observations.extend(new);
}

/// `1,000`, `12,500`: digits, one comma, exactly three digits — a decimal comma to a
/// Turk, a thousands separator to a spreadsheet set to English. The value with the comma
/// as a thousands separator, or `None` for any other text.
fn thousands_reading(text: &str) -> Option<f64> {
    let t = text.trim();
    let (a, b) = t.split_once(',')?;
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    (digits(a) && a.len() <= 3 && !a.starts_with('0') && b.len() == 3 && digits(b))
        .then(|| format!("{a}{b}").parse().ok())
        .flatten()
}

fn parse_cell(ind: &Indicator, cell: &RawCell) -> Result<Parsed, Reason> {
    let mut other = None;
    let v = match &cell.value {
        RawValue::Number(v) => *v,
        RawValue::ExcelError(_) => return Err(Reason::ValueError),
        RawValue::Text(t) => match parse_number(t, NumberStyle::Auto) {
            Ok(NumberCell::Value(v)) => {
                other = thousands_reading(t);
                v
            }
            Ok(NumberCell::NotReported) => return Ok(Parsed::NotReported),
            Ok(NumberCell::NotAvailable | NumberCell::Confidential) | Err(_) => return Err(Reason::ValueNotNumeric),
        },
    };
    if !v.is_finite() || v.abs() > MAX_VALUE {
        return Err(Reason::ValueTooLarge);
    }
    if v < 0.0 {
        return Err(Reason::ValueNegative);
    }
    if ind.kind.is_count() && v.fract() != 0.0 {
        return Err(Reason::ValueNotInteger);
    }
    if ind.kind == MeasureKind::Rate && v > 100.0 {
        return Err(Reason::RateAboveHundred);
    }
    // For a count the other reading is as plausible: say which was taken.
    match other {
        Some(other) if ind.kind.is_count() => Ok(Parsed::Assumed(v, other)),
        _ => Ok(Parsed::Ok(v)),
    }
}
