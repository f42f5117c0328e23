//! Disclosure control on sensitive indicators (violence against women), cell by cell
//! (`docs/metrics.md`, "Disclosure control").
//!
//! - **Cells.** Every women, men and total figure of a metrics row of a sensitive count
//!   indicator is a cell. One indicator × period is one linked table: each row's
//!   women + men = total and, per sex, the districts' cells add up to the city-wide cell —
//!   each relation only where it holds in the data.
//! - **Primary suppression** ([`engine::primary`]): the threshold rule, the frequency
//!   (minimum-contributors) rule and a dominance rule, on each cell's value and the
//!   contributions of the units that make it.
//! - **Secondary suppression** ([`engine::protect`]): more cells of the same table until
//!   every primary cell keeps a protection interval at least as wide as the threshold
//!   against the table's relations.
//! - **Time and derived figures** ([`withheld`]): every published figure computed from a
//!   suppressed cell of this or another period (share, parity, gap, changes, baseline,
//!   target progress, status) is withheld in the public edition.
//! - **Audit** ([`audit`]): from exactly what a public metrics table shows, the linear
//!   system an attacker has, and each primary cell's feasible interval by linear
//!   programming. A public table that fails it is never written.
//! - **Public observations** ([`public_observations`]) carry no row of a sensitive
//!   indicator: only the protected aggregates are published.

pub mod engine;

use std::collections::{BTreeMap, HashMap, HashSet};

use polars::prelude::*;

pub use engine::{is_small, AuditError, Dominance, Interval, PrimaryRule, Protection, Rules};

use crate::catalogue::Catalogue;
use crate::model::Observation;

/// The three count columns of a metrics row, in cell order.
pub const COUNT_COLUMNS: [&str; 3] = ["women", "men", "total"];

/// The figures of a metrics row computed from its counts or from another period's row,
/// withheld in the public edition when one of their inputs is suppressed.
pub const DERIVED_COLUMNS: [&str; 8] = [
    "female_share",
    "parity_index",
    "gap",
    "change_from_previous",
    "baseline_total",
    "change_from_baseline",
    "target_progress",
    "status",
];

/// Why a figure of a metrics row is empty in the public edition, or (internal edition)
/// how it is protected: the `women_mark`, `men_mark` and `total_mark` columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// Primary-suppressed (internal edition; public: [`Mark::Suppressed`]).
    Primary,
    /// Secondary-suppressed (internal edition; public: [`Mark::Suppressed`]).
    Secondary,
    /// Hidden for confidentiality (public edition): `..`.
    Suppressed,
    /// No unit reported it: `-`.
    NotReported,
    /// The indicator has no such figure (women and men of an indicator not by sex): `.`.
    NotApplicable,
}

impl Mark {
    /// The code in the feed's `*_mark` columns.
    pub fn code(self) -> &'static str {
        match self {
            Mark::Primary => "primary",
            Mark::Secondary => "secondary",
            Mark::Suppressed => "suppressed",
            Mark::NotReported => "not_reported",
            Mark::NotApplicable => "not_applicable",
        }
    }

    /// The mark of a code.
    pub fn from_code(code: &str) -> Option<Mark> {
        Some(match code {
            "primary" => Mark::Primary,
            "secondary" => Mark::Secondary,
            "suppressed" => Mark::Suppressed,
            "not_reported" => Mark::NotReported,
            "not_applicable" => Mark::NotApplicable,
            _ => return None,
        })
    }

    /// The symbol a reader sees in place of the figure (the convention of Eurostat and
    /// TÜİK tables): `..` confidential, `-` not reported, `.` not applicable.
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Primary | Mark::Secondary | Mark::Suppressed => "..",
            Mark::NotReported => "-",
            Mark::NotApplicable => ".",
        }
    }

    /// Whether the figure is hidden for confidentiality.
    pub fn is_suppressed(self) -> bool {
        matches!(self, Mark::Primary | Mark::Secondary | Mark::Suppressed)
    }
}

/// The reason code the public edition gives for any hidden figure.
pub const PUBLIC_REASON: &str = "confidentiality";

/// One unit's figure in one cell, as the contributor rules see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub period: String,
    pub indicator_id: String,
    pub district: String,
    /// 0 women, 1 men, 2 total ([`COUNT_COLUMNS`]).
    pub column: usize,
    pub value: f64,
}

/// The sensitive indicators (plan and context), each with whether it is a count.
fn sensitive_kinds(cat: &Catalogue) -> HashMap<&str, bool> {
    cat.indicators
        .iter()
        .filter(|i| i.sensitive)
        .map(|i| (i.id.as_str(), i.kind.is_count()))
        .chain(
            cat.context
                .iter()
                .filter(|c| c.sensitive)
                .map(|c| (c.id.as_str(), c.kind.is_count())),
        )
        .collect()
}

/// The ids of the sensitive indicators (plan and context).
pub fn sensitive_ids(cat: &Catalogue) -> HashSet<String> {
    sensitive_kinds(cat).keys().map(|s| s.to_string()).collect()
}

/// Whether indicator `id` is of a kind whose women and men figures exist.
fn by_sex(cat: &Catalogue, id: &str) -> bool {
    cat.indicator(id)
        .map(|i| i.by_sex)
        .or_else(|| cat.context_indicator(id).map(|c| c.by_sex))
        .unwrap_or(true)
}

/// The columns a metrics frame needs, read once.
struct Frame {
    ind: StringChunked,
    per: StringChunked,
    dist: StringChunked,
    prev: StringChunked,
    base: StringChunked,
    values: [Float64Chunked; 3],
}

impl Frame {
    fn read(df: &DataFrame) -> PolarsResult<Frame> {
        let s = |c: &str| -> PolarsResult<StringChunked> { Ok(df.column(c)?.str()?.clone()) };
        let f = |c: &str| -> PolarsResult<Float64Chunked> { Ok(df.column(c)?.f64()?.clone()) };
        Ok(Frame {
            ind: s("indicator_id")?,
            per: s("period")?,
            dist: s("district")?,
            prev: s("previous_period")?,
            base: s("baseline_period")?,
            values: [f("women")?, f("men")?, f("total")?],
        })
    }

    fn value(&self, r: usize, c: usize) -> Option<f64> {
        self.values[c].get(r).filter(|v| v.is_finite())
    }

    fn key(&self, r: usize) -> (&str, &str, &str) {
        (
            self.ind.get(r).unwrap_or(""),
            self.per.get(r).unwrap_or(""),
            self.dist.get(r).unwrap_or(""),
        )
    }
}

/// One linked table (indicator × period) over the rows of a metrics frame.
struct Linked {
    table: engine::Table,
    /// (row of the frame, count column) of every cell of `table`.
    cells: Vec<(usize, usize)>,
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The linked tables of the sensitive count indicators of `df`, with the contributions
/// of `contributions` on their cells. Relations are included only where they hold.
fn linked_tables(
    cat: &Catalogue,
    df: &Frame,
    height: usize,
    contributions: &[Contribution],
) -> BTreeMap<(String, String), Linked> {
    let is_count = sensitive_kinds(cat);
    let city = cat.city_wide();
    let mut by_cell: HashMap<(&str, &str, &str, usize), Vec<f64>> = HashMap::new();
    for c in contributions {
        by_cell
            .entry((&c.indicator_id, &c.period, &c.district, c.column))
            .or_default()
            .push(c.value);
    }
    let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for r in 0..height {
        let (i, p, _) = df.key(r);
        if is_count.get(i) == Some(&true) {
            groups.entry((i.to_string(), p.to_string())).or_default().push(r);
        }
    }
    let mut out = BTreeMap::new();
    for (key, rows) in groups {
        let mut table = engine::Table::default();
        let mut cells = Vec::new();
        let mut index: HashMap<(usize, usize), usize> = HashMap::new();
        for &r in &rows {
            let (i, p, d) = df.key(r);
            for c in 0..3 {
                if let Some(v) = df.value(r, c) {
                    index.insert((r, c), table.cells.len());
                    let mut contributions = by_cell.get(&(i, p, d, c)).cloned().unwrap_or_default();
                    if contributions.is_empty() {
                        // Not known unit by unit (a TÜİK figure): one contributor.
                        contributions.push(v);
                    }
                    table.cells.push(engine::Cell {
                        value: v,
                        contributions,
                    });
                    cells.push((r, c));
                }
            }
        }
        // Rows: women + men = total.
        for &r in &rows {
            if let (Some(w), Some(m), Some(t)) = (df.value(r, 0), df.value(r, 1), df.value(r, 2)) {
                if close(w + m, t) {
                    table.relations.push(engine::Relation {
                        whole: index[&(r, 2)],
                        parts: vec![index[&(r, 0)], index[&(r, 1)]],
                    });
                }
            }
        }
        // Columns: the districts add up to the city-wide row.
        if let Some(&cw) = rows.iter().find(|&&r| df.key(r).2 == city) {
            for c in 0..3 {
                let Some(whole) = df.value(cw, c) else { continue };
                let parts: Vec<usize> = rows
                    .iter()
                    .filter(|&&r| r != cw && df.value(r, c).is_some())
                    .copied()
                    .collect();
                let sum: f64 = parts.iter().filter_map(|&r| df.value(r, c)).sum();
                if !parts.is_empty() && close(sum, whole) {
                    table.relations.push(engine::Relation {
                        whole: index[&(cw, c)],
                        parts: parts.iter().map(|&r| index[&(r, c)]).collect(),
                    });
                }
            }
        }
        out.insert(key, Linked { table, cells });
    }
    out
}

/// The disclosure columns of a metrics frame (internal edition): one mark per count
/// cell, whether the row has a suppressed cell, the reasons, and the figures the public
/// edition withholds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Protected {
    /// `women_mark`, `men_mark`, `total_mark`.
    pub marks: [Vec<Option<Mark>>; 3],
    pub suppressed: Vec<bool>,
    /// `suppression_reason`: the primary rules of the row's cells and `secondary`.
    pub reason: Vec<Option<String>>,
    /// `withheld`: the columns the public edition hides, comma-separated.
    pub withheld: Vec<Option<String>>,
}

/// Protects the sensitive cells of a metrics frame (which needs `indicator_id`, `period`,
/// `district`, `previous_period`, `baseline_period`, `women`, `men`, `total`), with the
/// units' `contributions` to each cell.
///
/// # Errors
///
/// [`PolarsError`] when a column is missing or of the wrong type.
pub fn protect(
    cat: &Catalogue,
    metrics: &DataFrame,
    contributions: &[Contribution],
    rules: &Rules,
) -> PolarsResult<Protected> {
    let df = Frame::read(metrics)?;
    let n = metrics.height();
    let mut marks: [Vec<Option<Mark>>; 3] = [vec![None; n], vec![None; n], vec![None; n]];
    let mut rule_of: Vec<Vec<&'static str>> = vec![Vec::new(); n];
    for ((_, _), linked) in linked_tables(cat, &df, n, contributions) {
        let prot = engine::protect(&linked.table, rules);
        for (k, p) in prot.iter().enumerate() {
            let (r, c) = linked.cells[k];
            match p {
                Protection::Published => {}
                Protection::Primary(rule) => {
                    marks[c][r] = Some(Mark::Primary);
                    rule_of[r].push(rule.code());
                }
                Protection::Secondary => {
                    marks[c][r] = Some(Mark::Secondary);
                    rule_of[r].push("secondary");
                }
            }
        }
    }
    for r in 0..n {
        let id = df.ind.get(r).unwrap_or("");
        let sexed = by_sex(cat, id);
        for (c, mark) in marks.iter_mut().enumerate() {
            if mark[r].is_none() && df.value(r, c).is_none() {
                mark[r] = Some(if c < 2 && !sexed {
                    Mark::NotApplicable
                } else {
                    Mark::NotReported
                });
            }
        }
    }
    let suppressed: Vec<bool> = (0..n)
        .map(|r| marks.iter().any(|m| m[r].is_some_and(Mark::is_suppressed)))
        .collect();
    let reason = rule_of
        .into_iter()
        .map(|mut v| {
            v.sort_unstable();
            v.dedup();
            (!v.is_empty()).then(|| v.join(","))
        })
        .collect();
    let withheld = withheld(&df, n, &marks);
    Ok(Protected {
        marks,
        suppressed,
        reason,
        withheld,
    })
}

/// The figures of every row the public edition withholds: its suppressed counts and every
/// figure computed from a suppressed cell of this row, of the previous period's row
/// (`change_from_previous`) or of the baseline row (`baseline_total`,
/// `change_from_baseline`, `status`).
fn withheld(df: &Frame, n: usize, marks: &[Vec<Option<Mark>>; 3]) -> Vec<Option<String>> {
    let hidden = |r: usize, c: usize| marks[c][r].is_some_and(Mark::is_suppressed);
    let mut row_of: HashMap<(&str, &str, &str), usize> = HashMap::new();
    for r in 0..n {
        row_of.insert(df.key(r), r);
    }
    let total_hidden_in = |r: usize, period: Option<&str>| {
        let (i, _, d) = df.key(r);
        period
            .and_then(|p| row_of.get(&(i, p, d)))
            .is_some_and(|&o| hidden(o, 2))
    };
    (0..n)
        .map(|r| {
            let (w, m, t) = (hidden(r, 0), hidden(r, 1), hidden(r, 2));
            let prev = total_hidden_in(r, df.prev.get(r));
            let base = total_hidden_in(r, df.base.get(r));
            let cols: Vec<&str> = [
                ("women", w),
                ("men", m),
                ("total", t),
                ("female_share", w || m),
                ("parity_index", w || m),
                ("gap", w || m),
                ("change_from_previous", t || prev),
                ("baseline_total", base),
                ("change_from_baseline", t || base),
                ("baseline_common_total", base),
                ("target_progress", t),
                ("status", t || base),
            ]
            .iter()
            .filter(|(_, h)| *h)
            .map(|(c, _)| *c)
            .collect();
            (!cols.is_empty()).then(|| cols.join(","))
        })
        .collect()
}

/// Observations as published: no row of a sensitive indicator (which unit reported which
/// sex in which district is itself information an attacker can use); their
/// disclosure-controlled aggregates are in `metrics`.
pub fn public_observations(cat: &Catalogue, obs: &[Observation]) -> DataFrame {
    let sensitive = sensitive_ids(cat);
    let kept: Vec<Observation> = obs
        .iter()
        .filter(|o| !sensitive.contains(&o.indicator_id))
        .cloned()
        .collect();
    super::frame::to_dataframe(&kept).expect("observations frame")
}

/// One primary cell's protection as the audit found it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CellInterval {
    pub indicator_id: String,
    pub period: String,
    pub district: String,
    /// `women`, `men` or `total`.
    pub column: String,
    /// The attacker's bounds, rounded inward to whole counts.
    pub lower: f64,
    /// `None` when unbounded.
    pub upper: Option<f64>,
    /// `None` when unbounded.
    pub width: Option<f64>,
}

/// What the audit found over a set of tables.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct AuditSummary {
    /// Linked tables (indicator × period) of sensitive count indicators.
    pub tables: usize,
    /// Cells of those tables with a value.
    pub cells: usize,
    pub primary: usize,
    pub secondary: usize,
    /// Suppressed cells per primary cell (over-suppression; 1.0 means none).
    pub hidden_per_primary: Option<f64>,
    /// The narrowest protection interval of a primary cell.
    pub narrowest: Option<CellInterval>,
    /// Primary cells whose interval is narrower than the threshold (the public table must
    /// not be written).
    pub failures: Vec<CellInterval>,
}

impl AuditSummary {
    fn count(&mut self, mark: Option<Mark>) {
        match mark {
            Some(Mark::Primary) => self.primary += 1,
            Some(Mark::Secondary) => self.secondary += 1,
            _ => {}
        }
    }

    fn record(&mut self, cell: &CellInterval, failed: bool) {
        if failed {
            self.failures.push(cell.clone());
        }
        let narrower = match (&self.narrowest, cell.width) {
            (None, _) => true,
            (Some(n), Some(w)) => n.width.is_none_or(|nw| w < nw),
            (Some(_), None) => false,
        };
        if narrower {
            self.narrowest = Some(cell.clone());
        }
    }

    fn finish(&mut self) {
        self.hidden_per_primary =
            (self.primary > 0).then(|| (self.primary + self.secondary) as f64 / self.primary as f64);
    }
}

/// What the audit of a public metrics table found, over all periods and per period
/// (recorded in each period's manifest).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct AuditReport {
    /// The threshold every primary cell's interval must reach.
    pub threshold: u32,
    pub overall: AuditSummary,
    pub periods: BTreeMap<String, AuditSummary>,
}

impl AuditReport {
    /// Whether every primary cell is protected.
    pub fn passed(&self) -> bool {
        self.overall.failures.is_empty()
    }
}

/// An equation of the attacker's: Σ coeff · cell = rhs, cells as (row, column).
type Equation = (Vec<((usize, usize), f64)>, f64);

/// Per indicator: its cells (row, column) and the attacker's equations over them.
type IndicatorSystem = (Vec<(usize, usize)>, Vec<Equation>);

/// Audits a public metrics table: builds, from exactly the figures `public` shows and
/// the relations that hold in the data (`internal`, the same rows unprotected, with its
/// marks), the linear system an attacker has over every sensitive count cell of every
/// period, and computes each primary cell's feasible interval by linear programming.
///
/// The attacker knows every published count; the relations (women + men = total,
/// districts → city-wide) where they hold; every published figure derived from counts:
/// `gap` = w − m, `female_share` (w = s · (w + m)), `parity_index` (w = p · m),
/// `change_from_previous` (t − t_prev), `baseline_total` and `change_from_baseline`
/// (t_base, t − t_base), `target_progress` (t = p · target); and that counts are
/// non-negative whole numbers.
///
/// # Errors
///
/// [`PolarsError`] when a column is missing; an [`AuditError`] from the solver is turned
/// into a failure of the cell it was solving for (a run never publishes on a doubt).
pub fn audit(cat: &Catalogue, internal: &DataFrame, public: &DataFrame, threshold: u32) -> PolarsResult<AuditReport> {
    let truth = Frame::read(internal)?;
    let n = internal.height();
    let tables = linked_tables(cat, &truth, n, &[]);
    let mark_cols: Vec<StringChunked> = ["women_mark", "men_mark", "total_mark"]
        .iter()
        .map(|c| Ok(internal.column(c)?.str()?.clone()))
        .collect::<PolarsResult<_>>()?;
    let mark = |r: usize, c: usize| mark_cols[c].get(r).and_then(Mark::from_code);
    let mut report = AuditReport {
        threshold,
        ..AuditReport::default()
    };
    report.overall.tables = tables.len();
    for (_, period) in tables.keys() {
        report.periods.entry(period.clone()).or_default().tables += 1;
    }
    // Rows of the public table by key.
    let pf = PublicFrame::read(public)?;
    let public_row: HashMap<(&str, &str, &str), usize> = (0..public.height()).map(|r| (pf.base.key(r), r)).collect();
    let mut internal_row: HashMap<(&str, &str, &str), usize> = HashMap::new();
    for r in 0..n {
        internal_row.insert(truth.key(r), r);
    }
    // Per indicator: every cell with a value, and the attacker's equations over them.
    let mut per_indicator: BTreeMap<&str, IndicatorSystem> = BTreeMap::new();
    for ((ind, _), linked) in &tables {
        let entry = per_indicator.entry(ind.as_str()).or_default();
        entry.0.extend(linked.cells.iter().copied());
        for rel in &linked.table.relations {
            let mut eq = vec![(linked.cells[rel.whole], 1.0)];
            eq.extend(rel.parts.iter().map(|&p| (linked.cells[p], -1.0)));
            entry.1.push((eq, 0.0));
        }
    }
    for (cells, equations) in per_indicator.values_mut() {
        let has: HashSet<(usize, usize)> = cells.iter().copied().collect();
        for &(r, c) in cells.iter() {
            let period = report.periods.entry(truth.key(r).1.to_string()).or_default();
            period.count(mark(r, c));
            period.cells += 1;
            report.overall.count(mark(r, c));
            report.overall.cells += 1;
        }
        // Each row of this indicator, once.
        let mut rows: Vec<usize> = cells.iter().map(|(r, _)| *r).collect();
        rows.sort_unstable();
        rows.dedup();
        for r in rows {
            let (i, p, d) = truth.key(r);
            let Some(&pr) = public_row.get(&(i, p, d)) else {
                continue;
            };
            let cell = |c: usize| has.contains(&(r, c)).then_some((r, c));
            let other = |period: Option<&str>| {
                period
                    .and_then(|q| internal_row.get(&(i, q, d)))
                    .and_then(|&o| has.contains(&(o, 2)).then_some((o, 2)))
            };
            for c in 0..3 {
                if let (Some(x), Some(v)) = (cell(c), pf.base.value(pr, c)) {
                    equations.push((vec![(x, 1.0)], v));
                }
            }
            let (w, m, t) = (cell(0), cell(1), cell(2));
            if let (Some(w), Some(m), Some(g)) = (w, m, pf.gap.get(pr)) {
                equations.push((vec![(w, 1.0), (m, -1.0)], g));
            }
            if let (Some(w), Some(m), Some(s)) = (w, m, pf.share.get(pr)) {
                equations.push((vec![(w, 1.0 - s), (m, -s)], 0.0));
            }
            if let (Some(w), Some(m), Some(q)) = (w, m, pf.parity.get(pr)) {
                equations.push((vec![(w, 1.0), (m, -q)], 0.0));
            }
            if let (Some(t), Some(prev), Some(ch)) = (t, other(truth.prev.get(r)), pf.change_prev.get(pr)) {
                equations.push((vec![(t, 1.0), (prev, -1.0)], ch));
            }
            let base = other(truth.base.get(r));
            if let (Some(b), Some(bt)) = (base, pf.baseline_total.get(pr)) {
                equations.push((vec![(b, 1.0)], bt));
            }
            if let (Some(t), Some(b), Some(ch)) = (t, base, pf.change_base.get(pr)) {
                if t != b {
                    equations.push((vec![(t, 1.0), (b, -1.0)], ch));
                }
            }
            if let (Some(t), Some(tp), Some(target)) = (t, pf.target_progress.get(pr), pf.target.get(pr)) {
                equations.push((vec![(t, 1.0)], tp * target));
            }
        }
        // Eliminate every cell whose value the attacker reads directly.
        let mut known: HashMap<(usize, usize), f64> = HashMap::new();
        for (eq, rhs) in equations.iter() {
            if eq.len() == 1 && eq[0].1 == 1.0 {
                known.insert(eq[0].0, *rhs);
            }
        }
        let unknown: Vec<(usize, usize)> = cells.iter().copied().filter(|x| !known.contains_key(x)).collect();
        let var_of: HashMap<(usize, usize), usize> = unknown.iter().enumerate().map(|(k, x)| (*x, k)).collect();
        let mut k = engine::Knowledge {
            n_vars: unknown.len(),
            equations: Vec::new(),
        };
        for (eq, rhs) in equations.iter() {
            let mut rhs = *rhs;
            let mut terms = Vec::new();
            for (x, coeff) in eq {
                match var_of.get(x) {
                    Some(&v) => terms.push((v, *coeff)),
                    None => rhs -= coeff * known.get(x).copied().unwrap_or(0.0),
                }
            }
            if !terms.is_empty() {
                k.equations.push((terms, rhs));
            }
        }
        for &(r, c) in cells.iter() {
            if mark(r, c) != Some(Mark::Primary) {
                continue;
            }
            let (i, p, d) = truth.key(r);
            let described = |lower: f64, upper: Option<f64>| CellInterval {
                indicator_id: i.to_string(),
                period: p.to_string(),
                district: d.to_string(),
                column: COUNT_COLUMNS[c].to_string(),
                lower,
                upper,
                width: upper.map(|u| u - lower),
            };
            let found = match var_of.get(&(r, c)) {
                // Published: the attacker reads it.
                None => {
                    let v = truth.value(r, c).unwrap_or(0.0);
                    Err(described(v, Some(v)))
                }
                Some(&v) => match engine::feasible_interval(&k, v) {
                    Ok(iv) => {
                        let (lo, hi) = rounded(iv);
                        let cell = described(lo, hi.is_finite().then_some(hi));
                        if iv.protects(threshold) {
                            Ok(cell)
                        } else {
                            Err(cell)
                        }
                    }
                    Err(e) => {
                        tracing::error!(error = %e, indicator = i, period = p, district = d, "disclosure audit could not solve");
                        Err(described(f64::NAN, None))
                    }
                },
            };
            let (cell, failed) = match found {
                Ok(c) => (c, false),
                Err(c) => (c, true),
            };
            report.overall.record(&cell, failed);
            report.periods.entry(p.to_string()).or_default().record(&cell, failed);
        }
    }
    report.overall.finish();
    report.periods.values_mut().for_each(AuditSummary::finish);
    Ok(report)
}

/// An interval rounded inward to whole counts, as an attacker who knows counts are
/// integers would.
fn rounded(iv: Interval) -> (f64, f64) {
    let lo = (iv.lower - 1e-6).ceil().max(0.0);
    let hi = if iv.upper.is_finite() {
        (iv.upper + 1e-6).floor()
    } else {
        f64::INFINITY
    };
    (lo, hi)
}

/// The published figures of a public metrics table.
struct PublicFrame {
    base: Frame,
    gap: Float64Chunked,
    share: Float64Chunked,
    parity: Float64Chunked,
    change_prev: Float64Chunked,
    baseline_total: Float64Chunked,
    change_base: Float64Chunked,
    target_progress: Float64Chunked,
    target: Float64Chunked,
}

impl PublicFrame {
    fn read(df: &DataFrame) -> PolarsResult<PublicFrame> {
        let f = |c: &str| -> PolarsResult<Float64Chunked> { Ok(df.column(c)?.f64()?.clone()) };
        Ok(PublicFrame {
            base: Frame::read(df)?,
            gap: f("gap")?,
            share: f("female_share")?,
            parity: f("parity_index")?,
            change_prev: f("change_from_previous")?,
            baseline_total: f("baseline_total")?,
            change_base: f("change_from_baseline")?,
            target_progress: f("target_progress")?,
            target: f("target")?,
        })
    }
}
