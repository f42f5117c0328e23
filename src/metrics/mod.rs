//! Metrics (polars): per indicator × period × district, and `İzmir Geneli` as the
//! city-wide aggregate — women, men, total, female share, parity index, gap, change from
//! the previous period and from the baseline, target and progress, status, suppression.
//!
//! Aggregation rules (`docs/metrics.md`):
//! - counts are summed across units and districts; rates and ratios never are: a district
//!   value of a rate exists only when exactly one unit reported it;
//! - a unit's city-wide contribution is its own `İzmir Geneli` row when it wrote one,
//!   otherwise the sum of its district rows (so nothing is counted twice);
//! - `total` is the reported total, or women + men when no total was reported.

pub mod completeness;
pub mod disclosure;
pub mod eige;
pub mod progress;

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;

use crate::catalogue::{Catalogue, MeasureKind};
use crate::normalise::CITY_WIDE;

/// Column names of `metrics`, in order.
pub const COLUMNS: &[&str] = &[
    "plan_id",
    "period",
    "indicator_id",
    "theme",
    "district",
    "kind",
    "women",
    "men",
    "total",
    "female_share",
    "parity_index",
    "gap",
    "previous_period",
    "change_from_previous",
    "baseline_period",
    "baseline_total",
    "change_from_baseline",
    "target",
    "target_period",
    "target_progress",
    "status",
    "units_reporting",
    "suppressed",
];

/// What the metrics need beside the observations.
#[derive(Debug, Clone)]
pub struct MetricsConfig {
    pub plan_id: String,
    /// The plan's baseline year (sdg-build's base year): the first period with data at or
    /// after it is used as the baseline.
    pub baseline_year: String,
    /// Counts below this in sensitive indicators are suppressed.
    pub threshold: u32,
}

fn nn_sum(e: Expr) -> Expr {
    when(e.clone().count().gt(lit(0))).then(e.sum()).otherwise(lit(NULL))
}

/// The columns every metrics row starts from.
fn row_columns() -> Vec<Expr> {
    [
        "period",
        "indicator_id",
        "theme",
        "district",
        "women",
        "men",
        "total",
        "units_reporting",
    ]
    .map(col)
    .to_vec()
}

/// Women, men and total over the units of a group, and how many units there were.
fn across_units() -> Vec<Expr> {
    ["women", "men", "total"]
        .iter()
        .map(|c| agg_value(col(*c)).alias(*c))
        .chain([col("unit_id")
            .n_unique()
            .cast(DataType::Float64)
            .alias("units_reporting")])
        .collect()
}

/// Sums counts; keeps a rate only when exactly one value is there.
fn agg_value(e: Expr) -> Expr {
    when(col("is_count").first())
        .then(nn_sum(e.clone()))
        .otherwise(when(e.clone().count().eq(lit(1))).then(e.max()).otherwise(lit(NULL)))
}

fn sex_value(sex: &str) -> Expr {
    let v = col("value").filter(col("sex").eq(lit(sex)));
    when(v.clone().count().gt(lit(0))).then(v.sum()).otherwise(lit(NULL))
}

/// One frame with `indicator_id`, `is_count`, `kind` for plan and context indicators.
fn indicator_info(cat: &Catalogue) -> PolarsResult<DataFrame> {
    let mut ids = Vec::new();
    let mut kinds = Vec::new();
    for i in &cat.indicators {
        ids.push(i.id.clone());
        kinds.push(i.kind);
    }
    for c in &cat.context {
        ids.push(c.id.clone());
        kinds.push(c.kind);
    }
    let n = ids.len();
    DataFrame::new(
        n,
        vec![
            Column::new("indicator_id".into(), ids),
            Column::new(
                "is_count".into(),
                kinds.iter().map(|k| k.is_count()).collect::<Vec<bool>>(),
            ),
            Column::new("kind".into(), kinds.iter().map(|k| k.as_str()).collect::<Vec<&str>>()),
        ],
    )
}

/// Computes the `metrics` table from the `observations` frame (all periods: the previous
/// period and the baseline need them). Rows are sorted by period, indicator, district
/// (`İzmir Geneli` first).
///
/// # Errors
///
/// [`PolarsError`] from polars.
pub fn compute(cat: &Catalogue, observations: &DataFrame, cfg: &MetricsConfig) -> PolarsResult<DataFrame> {
    let info = indicator_info(cat)?;
    let unit_level = observations
        .clone()
        .lazy()
        .group_by([
            col("period"),
            col("indicator_id"),
            col("theme"),
            col("unit_id"),
            col("district"),
        ])
        .agg([
            sex_value("female").alias("women"),
            sex_value("male").alias("men"),
            sex_value("total").alias("total"),
        ])
        .join(
            info.clone().lazy(),
            [col("indicator_id")],
            [col("indicator_id")],
            JoinArgs::new(JoinType::Left),
        )
        .with_columns([col("is_count").fill_null(lit(true))])
        // A unit's total is what it reported, or its women + men.
        .with_columns([when(col("total").is_null())
            .then(col("women") + col("men"))
            .otherwise(col("total"))
            .alias("total")]);

    let value_cols = ["women", "men", "total"];
    let district_rows = unit_level
        .clone()
        .filter(col("district").neq(lit(CITY_WIDE)))
        .group_by([col("period"), col("indicator_id"), col("theme"), col("district")])
        .agg(across_units());

    // A unit's city-wide contribution: its İzmir Geneli row, else the sum of its districts.
    let is_cw = col("district").eq(lit(CITY_WIDE));
    let per_unit_city = unit_level
        .clone()
        .group_by([col("period"), col("indicator_id"), col("theme"), col("unit_id")])
        .agg(
            value_cols
                .iter()
                .map(|c| {
                    let cw = col(*c).filter(is_cw.clone());
                    let dist = col(*c).filter(is_cw.clone().not());
                    when(is_cw.clone().sum().gt(lit(0)))
                        .then(nn_sum(cw))
                        .otherwise(when(col("is_count").first()).then(nn_sum(dist)).otherwise(lit(NULL)))
                        .alias(*c)
                })
                .chain([col("is_count").first()])
                .collect::<Vec<_>>(),
        );
    let city_rows = per_unit_city
        .group_by([col("period"), col("indicator_id"), col("theme")])
        .agg(across_units())
        .with_columns([lit(CITY_WIDE).alias("district")]);

    let base = concat(
        [city_rows.select(row_columns()), district_rows.select(row_columns())],
        UnionArgs::default(),
    )?
    .with_columns([
        col("women").cast(DataType::Float64),
        col("men").cast(DataType::Float64),
        col("total").cast(DataType::Float64),
    ])
    .with_columns([when(col("total").is_null())
        .then(col("women") + col("men"))
        .otherwise(col("total"))
        .alias("total")])
    .with_columns([
        when((col("women") + col("men")).gt(lit(0.0)))
            .then(col("women") / (col("women") + col("men")))
            .otherwise(lit(NULL))
            .alias("female_share"),
        when(col("men").gt(lit(0.0)))
            .then(col("women") / col("men"))
            .otherwise(lit(NULL))
            .alias("parity_index"),
        (col("women") - col("men")).alias("gap"),
    ])
    .join(
        info.lazy(),
        [col("indicator_id")],
        [col("indicator_id")],
        JoinArgs::new(JoinType::Left),
    )
    .collect()?;

    // Previous period and baseline, per indicator × district.
    let periods = sorted_periods(&base)?;
    let n = base.height();
    let period_col = base.column("period")?.str()?.clone();
    let ind_col = base.column("indicator_id")?.str()?.clone();
    let dist_col = base.column("district")?.str()?.clone();
    let total_col = base.column("total")?.f64()?.clone();
    let mut by_key: HashMap<(&str, &str, &str), Option<f64>> = HashMap::new();
    for r in 0..n {
        by_key.insert(
            (
                ind_col.get(r).unwrap_or(""),
                dist_col.get(r).unwrap_or(""),
                period_col.get(r).unwrap_or(""),
            ),
            total_col.get(r),
        );
    }
    // Previous period: the latest earlier period in which the same indicator × district
    // has a row.
    let mut seen: HashMap<(&str, &str), Vec<&str>> = HashMap::new();
    for r in 0..n {
        seen.entry((ind_col.get(r).unwrap_or(""), dist_col.get(r).unwrap_or("")))
            .or_default()
            .push(period_col.get(r).unwrap_or(""));
    }
    for v in seen.values_mut() {
        v.sort_unstable();
        v.dedup();
    }
    // Baseline: the first period at or after the baseline year with a total.
    let mut baseline: HashMap<(&str, &str), (&str, f64)> = HashMap::new();
    for p in &periods {
        if p.as_str() < cfg.baseline_year.as_str() {
            continue;
        }
        for r in 0..n {
            if period_col.get(r) == Some(p.as_str()) {
                if let Some(t) = total_col.get(r) {
                    baseline
                        .entry((ind_col.get(r).unwrap_or(""), dist_col.get(r).unwrap_or("")))
                        .or_insert((p.as_str(), t));
                }
            }
        }
    }
    let targets = target_table(cat, &periods);
    let kinds: HashMap<&str, MeasureKind> = cat
        .indicators
        .iter()
        .map(|i| (i.id.as_str(), i.kind))
        .chain(cat.context.iter().map(|c| (c.id.as_str(), c.kind)))
        .collect();

    let mut prev_period = Vec::with_capacity(n);
    let mut change_prev = Vec::with_capacity(n);
    let mut base_period = Vec::with_capacity(n);
    let mut base_total = Vec::with_capacity(n);
    let mut change_base = Vec::with_capacity(n);
    let mut target = Vec::with_capacity(n);
    let mut target_period = Vec::with_capacity(n);
    let mut target_progress = Vec::with_capacity(n);
    let mut status = Vec::with_capacity(n);
    for r in 0..n {
        let (ind, dist, per) = (
            ind_col.get(r).unwrap_or(""),
            dist_col.get(r).unwrap_or(""),
            period_col.get(r).unwrap_or(""),
        );
        let total = total_col.get(r);
        let pp = seen
            .get(&(ind, dist))
            .and_then(|v| v.iter().rev().find(|p| **p < per).copied());
        prev_period.push(pp.map(str::to_string));
        let prev_total = pp.and_then(|pp| by_key.get(&(ind, dist, pp)).copied().flatten());
        change_prev.push(total.zip(prev_total).map(|(a, b)| a - b));
        let b = baseline.get(&(ind, dist)).copied();
        base_period.push(b.map(|(p, _)| p.to_string()));
        base_total.push(b.map(|(_, v)| v));
        change_base.push(total.zip(b).map(|(a, (_, v))| a - v));
        let t = if dist == CITY_WIDE {
            targets.get(&(ind.to_string(), per.to_string())).cloned()
        } else {
            None
        };
        target.push(t.as_ref().map(|(v, _)| *v));
        target_period.push(t.as_ref().map(|(_, p)| p.clone()));
        // The share of the target reached (1 = reached); the status says how fast.
        target_progress.push(match (total, &t) {
            (Some(cur), Some((tv, _))) if *tv != 0.0 => Some(cur / tv),
            _ => None,
        });
        let s = match (total, b) {
            (Some(cur), Some((bp, bv))) => progress::status(&progress::ProgressInput {
                base_year: year_of(bp),
                base_value: bv,
                current_year: year_of(per),
                current_value: cur,
                target: t.as_ref().map(|(v, p)| (*v, year_of(p))),
                increase_is_good: true,
            }),
            _ => progress::Status::NoData,
        };
        status.push(s.as_str());
        let _ = kinds.get(ind);
    }
    let mut out = base;
    let plan_ids = vec![cfg.plan_id.as_str(); n];
    out.with_column(Column::new("plan_id".into(), plan_ids))?;
    out.with_column(Column::new("previous_period".into(), prev_period))?;
    out.with_column(Column::new("change_from_previous".into(), change_prev))?;
    out.with_column(Column::new("baseline_period".into(), base_period))?;
    out.with_column(Column::new("baseline_total".into(), base_total))?;
    out.with_column(Column::new("change_from_baseline".into(), change_base))?;
    out.with_column(Column::new("target".into(), target))?;
    out.with_column(Column::new("target_period".into(), target_period))?;
    out.with_column(Column::new("target_progress".into(), target_progress))?;
    out.with_column(Column::new("status".into(), status))?;
    let suppressed = disclosure::suppress(cat, &out, cfg.threshold)?;
    out.with_column(Column::new("suppressed".into(), suppressed))?;
    // City-wide first within each indicator: sort key puts İzmir Geneli before districts.
    let out = out
        .lazy()
        .with_column(col("district").neq(lit(CITY_WIDE)).alias("_not_cw"))
        .sort(
            ["period", "indicator_id", "_not_cw", "district"],
            SortMultipleOptions::default(),
        )
        .select(COLUMNS.iter().map(|c| col(*c)).collect::<Vec<_>>())
        .collect()?;
    Ok(out)
}

fn year_of(period: &str) -> i32 {
    period.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0)
}

fn sorted_periods(df: &DataFrame) -> PolarsResult<Vec<String>> {
    let mut v: Vec<String> = df
        .column("period")?
        .str()?
        .iter()
        .flatten()
        .map(str::to_string)
        .collect();
    v.sort();
    v.dedup();
    Ok(v)
}

/// Target per (indicator, period): the target set for that period, else the next later
/// one (the plan's end-of-term target applies to the years before it).
fn target_table(cat: &Catalogue, periods: &[String]) -> HashMap<(String, String), (f64, String)> {
    let mut out = HashMap::new();
    for i in &cat.indicators {
        if i.targets.is_empty() {
            continue;
        }
        let sorted: BTreeMap<&String, &f64> = i.targets.iter().collect();
        for p in periods {
            if let Some((tp, tv)) = sorted.iter().find(|(tp, _)| tp.as_str() >= p.as_str()) {
                out.insert((i.id.clone(), p.clone()), (**tv, tp.to_string()));
            }
        }
    }
    out
}

/// The public copy of a metrics table: suppressed rows keep their keys but lose every
/// value that could disclose them (women, men, total, share, parity, gap, changes,
/// progress), and changes that would reveal a suppressed neighbour period are removed.
///
/// # Errors
///
/// [`PolarsError`] from polars.
pub fn public(metrics: &DataFrame) -> PolarsResult<DataFrame> {
    let hide = [
        "women",
        "men",
        "total",
        "female_share",
        "parity_index",
        "gap",
        "change_from_previous",
        "baseline_total",
        "change_from_baseline",
        "target_progress",
    ];
    // A change is hidden too when the previous period's row of the same cell is suppressed.
    let prev_suppressed = metrics.clone().lazy().select([
        col("indicator_id"),
        col("district"),
        col("period").alias("previous_period"),
        col("suppressed").alias("_prev_suppressed"),
    ]);
    metrics
        .clone()
        .lazy()
        .join(
            prev_suppressed,
            [col("indicator_id"), col("district"), col("previous_period")],
            [col("indicator_id"), col("district"), col("previous_period")],
            JoinArgs::new(JoinType::Left),
        )
        .with_columns(
            hide.iter()
                .map(|c| {
                    let hidden = if c.starts_with("change_from_previous") {
                        col("suppressed").or(col("_prev_suppressed").fill_null(lit(false)))
                    } else {
                        col("suppressed")
                    };
                    when(hidden)
                        .then(lit(NULL).cast(DataType::Float64))
                        .otherwise(col(*c))
                        .alias(*c)
                })
                .collect::<Vec<_>>(),
        )
        // The status is derived from the values: hidden too.
        .with_column(
            when(col("suppressed"))
                .then(lit("suppressed"))
                .otherwise(col("status"))
                .alias("status"),
        )
        .select(COLUMNS.iter().map(|c| col(*c)).collect::<Vec<_>>())
        .collect()
}

/// One metrics row, for sinks that lay rows out by hand.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricRow {
    pub period: String,
    pub indicator_id: String,
    pub theme: String,
    pub district: String,
    pub kind: String,
    pub women: Option<f64>,
    pub men: Option<f64>,
    pub total: Option<f64>,
    pub female_share: Option<f64>,
    pub parity_index: Option<f64>,
    pub gap: Option<f64>,
    pub change_from_previous: Option<f64>,
    pub change_from_baseline: Option<f64>,
    pub baseline_period: Option<String>,
    pub target: Option<f64>,
    pub target_progress: Option<f64>,
    pub status: String,
    pub units_reporting: Option<f64>,
    pub suppressed: bool,
}

/// The rows of a metrics frame.
///
/// # Errors
///
/// [`PolarsError`] when a column is missing or of the wrong type.
pub fn rows(df: &DataFrame) -> PolarsResult<Vec<MetricRow>> {
    let s = |c: &str| -> PolarsResult<StringChunked> { Ok(df.column(c)?.str()?.clone()) };
    let f = |c: &str| -> PolarsResult<Float64Chunked> { Ok(df.column(c)?.f64()?.clone()) };
    let (period, ind, theme, dist, kind, status, base_p) = (
        s("period")?,
        s("indicator_id")?,
        s("theme")?,
        s("district")?,
        s("kind")?,
        s("status")?,
        s("baseline_period")?,
    );
    let (w, m, t, fs, pi, gap, cp, cb, tg, tp, ur) = (
        f("women")?,
        f("men")?,
        f("total")?,
        f("female_share")?,
        f("parity_index")?,
        f("gap")?,
        f("change_from_previous")?,
        f("change_from_baseline")?,
        f("target")?,
        f("target_progress")?,
        f("units_reporting")?,
    );
    let sup = df.column("suppressed")?.bool()?.clone();
    Ok((0..df.height())
        .map(|r| MetricRow {
            period: period.get(r).unwrap_or("").to_string(),
            indicator_id: ind.get(r).unwrap_or("").to_string(),
            theme: theme.get(r).unwrap_or("").to_string(),
            district: dist.get(r).unwrap_or("").to_string(),
            kind: kind.get(r).unwrap_or("").to_string(),
            women: w.get(r),
            men: m.get(r),
            total: t.get(r),
            female_share: fs.get(r),
            parity_index: pi.get(r),
            gap: gap.get(r),
            change_from_previous: cp.get(r),
            change_from_baseline: cb.get(r),
            baseline_period: base_p.get(r).map(str::to_string),
            target: tg.get(r),
            target_progress: tp.get(r),
            status: status.get(r).unwrap_or("").to_string(),
            units_reporting: ur.get(r),
            suppressed: sup.get(r).unwrap_or(false),
        })
        .collect())
}
