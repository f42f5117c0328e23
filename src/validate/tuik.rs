//! Judging TÜİK tables: the `[[tuik]]` mappings against the catalogue, the cells a
//! mapping selected ([`crate::sources::tuik::read`]) into observations of the plan's
//! context indicators, and the consistency checks between stated rates and counts: a
//! share the plan states beside counts (`stated_female_share`), and rates printed as `%`
//! where per thousand (‰) is meant. Each disagreement is a `rate-count-mismatch` warning;
//! yeep reports both figures and picks neither.

use std::collections::BTreeSet;

use super::FileOutcome;
use crate::catalogue::{Catalogue, ContextIndicator};
use crate::diagnostics::{Diagnostic, Note, Reason};
use crate::model::{CellRef, FileAccount, FileStatus, Observation, SourceKind};
use crate::normalise::{fold, NumberCell, Sex};
use crate::sources::guard::Limits;
use crate::sources::tuik::{self, MappingRead, TuikMapping, UNIT_ID};

/// A `[[tuik]]` mapping ready to use: its number in the pipeline file (from 1), the
/// mapping and its compiled `files` glob.
pub struct Mapping<'a> {
    pub number: usize,
    pub mapping: &'a TuikMapping,
    pub files: glob::Pattern,
}

/// Checks the pipeline file's `[[tuik]]` mappings against the catalogue: a mapping that
/// names an unknown context indicator or whose `files` is not a glob is left out, with a
/// `tuik-layout-mismatch` diagnostic located at the pipeline file (`config_file`).
pub fn check_mappings<'a>(
    mappings: &'a [TuikMapping],
    cat: &Catalogue,
    config_file: &str,
) -> (Vec<Mapping<'a>>, Vec<Diagnostic>) {
    let (mut ok, mut problems) = (Vec::new(), Vec::new());
    for (i, m) in mappings.iter().enumerate() {
        let ids: Vec<&String> = m
            .indicator
            .iter()
            .chain(m.rows.values())
            .chain(m.columns.values())
            .collect();
        let unknown: Vec<String> = ids
            .iter()
            .filter(|id| cat.context_indicator(id).is_none())
            .map(|id| (*id).clone())
            .collect();
        if !unknown.is_empty() {
            problems.push(Diagnostic::file(
                Reason::TuikLayoutMismatch,
                config_file,
                Note::UnknownContextIndicators {
                    mapping: i as u64 + 1,
                    files: m.files.clone(),
                    ids: unknown,
                },
            ));
            continue;
        }
        match glob::Pattern::new(&m.files) {
            Ok(files) => ok.push(Mapping {
                number: i + 1,
                mapping: m,
                files,
            }),
            Err(e) => problems.push(Diagnostic::file(
                Reason::TuikLayoutMismatch,
                config_file,
                Note::NotAGlob {
                    mapping: i as u64 + 1,
                    files: m.files.clone(),
                    error: e.to_string(),
                },
            )),
        }
    }
    (ok, problems)
}

/// Where a TÜİK file is and which period is asked for.
pub struct Origin<'a> {
    /// Path relative to the input folder (`tuik/…`).
    pub file: &'a str,
    /// `None` keeps every year the mappings select; `Some("2023")` keeps values whose
    /// period is 2023 or a range containing it (`2022-2023`).
    pub period: Option<&'a str>,
    pub plan_id: &'a str,
}

/// Reads and judges one TÜİK table (`account`: its account so far, with size and hash)
/// through the mappings whose glob matches its path under `tuik/`. Status: `unmapped`
/// when no mapping applies, `accepted` when every mapping fitted, `rejected` when none
/// did, `partial` otherwise. A table that does not fit its mapping gives a located
/// `tuik-layout-mismatch`; `-`, `..`, `x` give no observation and a `tuik-value-missing`
/// warning.
pub fn judge_file(
    cat: &Catalogue,
    mappings: &[Mapping],
    limits: &Limits,
    bytes: &[u8],
    mut account: FileAccount,
    origin: Origin,
) -> FileOutcome {
    let in_tuik = origin.file.strip_prefix("tuik/").unwrap_or(origin.file);
    let matching: Vec<&Mapping> = mappings.iter().filter(|m| m.files.matches(in_tuik)).collect();
    let applicable: Vec<&TuikMapping> = matching.iter().map(|m| m.mapping).collect();
    account.source = SourceKind::Tuik;
    account.unit_id = UNIT_ID.into();
    account.period = origin.period.unwrap_or_default().to_string();
    account.status = FileStatus::Unmapped;
    let mut o = FileOutcome::default();
    let period = origin.period.unwrap_or_default();
    let (mut ok, mut bad) = (0, 0);
    for (read, m) in tuik::read(bytes, &applicable, limits, cat.districts_index())
        .into_iter()
        .zip(&matching)
    {
        match read {
            MappingRead::Unreadable { sheet, reason, note } => {
                let mut d = Diagnostic::file(reason, origin.file, note);
                d.sheet = sheet.unwrap_or_default();
                o.diagnostics.push(d.with_unit_period(UNIT_ID, period));
                bad += 1;
            }
            MappingRead::Mismatch { sheet, mismatch } => {
                bad += 1;
                o.diagnostics.push(
                    Diagnostic::cell(Reason::TuikLayoutMismatch, origin.file, &sheet, mismatch.cell, "")
                        .with_note(mismatch.note)
                        .with_unit_period(UNIT_ID, period),
                );
            }
            MappingRead::Selected { sheet, cells } => {
                ok += 1;
                let before = (account.values_read, o.diagnostics.len());
                let any = accept(cat, &origin, &sheet, cells, &mut account, &mut o);
                // Nothing selected (or only cells of other sexes or periods): say so, when
                // every period is asked for (a run for one period may rightly take none).
                if !any && origin.period.is_none() && (account.values_read, o.diagnostics.len()) == before {
                    let mut d = Diagnostic::file(
                        Reason::TuikMappingEmpty,
                        origin.file,
                        Note::MappingYieldsNothing {
                            mapping: m.number as u64,
                            files: m.mapping.files.clone(),
                        },
                    );
                    d.sheet = sheet;
                    o.diagnostics.push(d.with_unit_period(UNIT_ID, period));
                }
            }
        }
    }
    if ok + bad > 0 {
        account.status = match (ok, bad) {
            (_, 0) => FileStatus::Accepted,
            (0, _) => FileStatus::Rejected,
            _ => FileStatus::Partial,
        };
    }
    o.account = account;
    o
}

/// The selected cells of one mapping: numbers become observations, missing-value markers
/// warnings, text and Excel errors rejections. Numbers, text and errors are counted in the
/// file's account (read = accepted + rejected); a missing-value marker is TÜİK saying there
/// is no value, so it is neither read nor rejected, only reported. Returns whether any
/// cell was kept for the period asked (a value or a marker).
fn accept(
    cat: &Catalogue,
    origin: &Origin,
    sheet: &str,
    cells: Vec<tuik::extract::Selected>,
    account: &mut FileAccount,
    out: &mut FileOutcome,
) -> bool {
    let mut any = false;
    let mut unit_checked: BTreeSet<String> = BTreeSet::new();
    for s in cells {
        let Some(ctx) = cat.context_indicator(&s.indicator) else {
            continue;
        };
        if (!ctx.by_sex && s.sex != Sex::Total) || !in_period(&s.period, origin.period) {
            continue;
        }
        any = true;
        if unit_checked.insert(s.indicator.clone()) {
            if let Some(d) = check_unit(ctx, &s.labels, origin.file, sheet) {
                out.diagnostics.push(d.with_unit_period(UNIT_ID, &s.period));
            }
        }
        let cell = s.cell();
        let diag = |reason: Reason, note: Note| {
            Diagnostic::cell(reason, origin.file, sheet, cell, &s.raw)
                .with_note(note)
                .with_unit_period(UNIT_ID, &s.period)
                .with_indicator(&s.indicator)
        };
        match s.value {
            Ok(NumberCell::Value(v)) => {
                account.values_read += 1;
                account.values_accepted += 1;
                out.observations.push(Observation {
                    plan_id: origin.plan_id.to_string(),
                    period: s.period.clone(),
                    indicator_id: s.indicator.clone(),
                    theme: ctx.theme.clone(),
                    unit_id: UNIT_ID.into(),
                    district: s.district.clone(),
                    sex: s.sex,
                    age_group: None,
                    disability: None,
                    value: v,
                    source_file: origin.file.to_string(),
                    source_sheet: sheet.to_string(),
                    source_cell: cell.to_string(),
                });
            }
            Ok(missing) => {
                let what = match missing {
                    _ if tuik::extract::footnote_only(&s.raw) => Note::TuikFootnoteOnly,
                    NumberCell::NotReported => Note::TuikNotReported,
                    NumberCell::NotAvailable => Note::TuikNotAvailable,
                    _ => Note::TuikConfidential,
                };
                out.diagnostics.push(diag(Reason::TuikValueMissing, what));
            }
            Err(e) => {
                account.values_read += 1;
                account.values_rejected += 1;
                let reason = match e {
                    tuik::extract::NotAValue::ExcelError(_) => Reason::ValueError,
                    tuik::extract::NotAValue::Text => Reason::TuikValueNotNumeric,
                };
                out.diagnostics.push(diag(reason, Note::None));
            }
        }
    }
    any
}

/// One context value from several sources — the same indicator, period, area, sex (and
/// breakdown) read from two TÜİK files, or twice from one — is never summed. When the
/// values agree, the first (in the canonical order: file, sheet, cell) is kept and each
/// other one gives a `tuik-duplicate-value` warning naming both; when they differ, none
/// is used: each gives a `tuik-conflicting-values` error naming the first other source,
/// and is counted as rejected in its file's account, so that the unit decides.
/// `observations` are in canonical order ([`crate::model::observation::sort`]).
pub fn check_duplicates(observations: &mut Vec<Observation>, files: &mut [FileAccount]) -> Vec<Diagnostic> {
    use std::collections::BTreeMap;
    type Key<'a> = (&'a str, &'a str, &'a str, Sex, Option<&'a str>, Option<&'a str>);
    let mut groups: BTreeMap<Key<'_>, Vec<usize>> = BTreeMap::new();
    for (i, o) in observations.iter().enumerate() {
        let key = (
            o.indicator_id.as_str(),
            o.period.as_str(),
            o.district.as_str(),
            o.sex,
            o.age_group.as_deref(),
            o.disability.as_deref(),
        );
        groups.entry(key).or_default().push(i);
    }
    let mut diagnostics = Vec::new();
    let mut drop = vec![false; observations.len()];
    let mut rejected: Vec<&str> = Vec::new();
    for idx in groups.values().filter(|v| v.len() > 1) {
        let first = &observations[idx[0]];
        let agree = idx.iter().all(|&i| observations[i].value == first.value);
        for (k, &i) in idx.iter().enumerate() {
            let o = &observations[i];
            // The other source each one is reported against: the first for the others,
            // the second for the first.
            let other = if k == 0 { &observations[idx[1]] } else { first };
            if agree && k == 0 {
                continue;
            }
            let reason = match agree {
                true => Reason::TuikDuplicateValue,
                false => Reason::TuikConflictingValues,
            };
            diagnostics.push(
                Diagnostic::cell(
                    reason,
                    &o.source_file,
                    &o.source_sheet,
                    CellRef::parse(&o.source_cell),
                    crate::normalise::format_number(o.value),
                )
                .with_note(Note::OtherSource {
                    file: other.source_file.clone(),
                    sheet: other.source_sheet.clone(),
                    cell: other.source_cell.clone(),
                    value: other.value,
                })
                .with_indicator(&o.indicator_id)
                .with_unit_period(&o.unit_id, &o.period),
            );
            drop[i] = true;
            if !agree {
                rejected.push(o.source_file.as_str());
            }
        }
    }
    for file in rejected {
        if let Some(acc) = files.iter_mut().find(|a| a.file == file) {
            acc.values_accepted = acc.values_accepted.saturating_sub(1);
            acc.values_rejected += 1;
            acc.status = match acc.values_accepted {
                0 => FileStatus::Rejected,
                _ => FileStatus::Partial,
            };
        }
    }
    let mut i = 0;
    observations.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
    diagnostics
}

/// Whether a value's period belongs to the period asked for: equal, or a range
/// (`2019-2021`) containing its year. `None` asks for every period.
fn in_period(value_period: &str, asked: Option<&str>) -> bool {
    let Some(asked) = asked else { return true };
    if value_period == asked {
        return true;
    }
    let year = |s: &str| s.get(..4).and_then(|y| y.parse::<u16>().ok());
    match (value_period.split_once('-'), year(asked)) {
        (Some((a, b)), Some(y)) => match (year(a), year(b)) {
            (Some(a), Some(b)) => (a..=b).contains(&y),
            _ => false,
        },
        _ => false,
    }
}

/// How far (percentage points) a stated share may be from the computed one.
pub const SHARE_TOLERANCE_PP: f64 = 0.15;

/// The location used for problems found in the plan's own figures.
pub const CATALOGUE: &str = "catalogue";

/// The plan's own disagreements: a stated women's share against its baseline counts, and a
/// `‰` rate printed with `%`. Located at [`CATALOGUE`].
///
/// # Examples
///
/// ```no_run
/// let p = yeep::pipeline::Pipeline::load("pipelines/izmir-2022-2024.toml".as_ref()).unwrap();
/// let cat = p.catalogue().unwrap();
/// assert!(!yeep::validate::tuik::check_catalogue(&cat).is_empty());
/// ```
pub fn check_catalogue(cat: &Catalogue) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for c in &cat.context {
        if let (Some(stated), Some(f), Some(m)) = (c.stated_female_share, c.baseline.female, c.baseline.male) {
            if let Some(note) = share_note(stated, f, m) {
                out.push(
                    Diagnostic::file(Reason::RateCountMismatch, CATALOGUE, note)
                        .with_indicator(&c.id)
                        .with_unit_period("", &c.baseline_year),
                );
            }
        }
        if c.unit == "‰" && c.printed.contains('%') && !fold(&c.printed).contains("binde") {
            out.push(
                Diagnostic::file(
                    Reason::RateCountMismatch,
                    CATALOGUE,
                    Note::PercentForPerMille {
                        printed: c.printed.clone(),
                    },
                )
                .with_indicator(&c.id)
                .with_unit_period("", &c.baseline_year),
            );
        }
    }
    out
}

/// Stated shares against the counts read from tables, for the baseline year: located at
/// the women's cell.
pub fn check_observations(cat: &Catalogue, obs: &[Observation]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for c in &cat.context {
        let Some(stated) = c.stated_female_share else { continue };
        let find = |sex: Sex| {
            obs.iter()
                .find(|o| o.indicator_id == c.id && o.period == c.baseline_year && o.sex == sex)
        };
        if let (Some(f), Some(m)) = (find(Sex::Female), find(Sex::Male)) {
            if let Some(note) = share_note(stated, f.value, m.value) {
                out.push(
                    Diagnostic::cell(
                        Reason::RateCountMismatch,
                        &f.source_file,
                        &f.source_sheet,
                        CellRef::parse(&f.source_cell),
                        f.value.to_string(),
                    )
                    .with_note(note)
                    .with_indicator(&c.id)
                    .with_unit_period(&f.unit_id, &f.period),
                );
            }
        }
    }
    out
}

fn share_note(stated: f64, women: f64, men: f64) -> Option<Note> {
    if women + men <= 0.0 {
        return None;
    }
    let computed = 100.0 * women / (women + men);
    ((computed - stated).abs() > SHARE_TOLERANCE_PP).then_some(Note::StatedShare {
        stated,
        women,
        men,
        computed,
    })
}

/// The unit a label declares: `‰`/`binde` → per thousand, `%`/`yüzde` → percent.
fn declared_unit(label: &str) -> Option<&'static str> {
    let f = fold(label);
    if label.contains('‰') || f.contains("binde") || f.contains("per thousand") || f.contains("per 1000") {
        Some("‰")
    } else if label.contains('%') || f.contains("yuzde") || f.contains("percent") {
        Some("%")
    } else {
        None
    }
}

/// A rate whose table label declares `‰` while the catalogue (the plan) says `%`, or the
/// reverse: located at the label's cell.
pub fn check_unit(
    ctx: &ContextIndicator,
    labels: &[(usize, usize, String)],
    file: &str,
    sheet: &str,
) -> Option<Diagnostic> {
    if ctx.unit != "%" && ctx.unit != "‰" {
        return None;
    }
    let (r, c, label, unit) = labels
        .iter()
        .find_map(|(r, c, l)| declared_unit(l).map(|u| (*r, *c, l, u)))?;
    (unit != ctx.unit).then(|| {
        Diagnostic::cell(Reason::RateCountMismatch, file, sheet, CellRef::at(r, c), label.clone())
            .with_note(Note::RateUnit {
                table: unit.to_string(),
                plan: ctx.unit.clone(),
                printed: ctx.printed.clone(),
            })
            .with_indicator(&ctx.id)
    })
}
