//! Metrics (polars): per indicator × period × district, and the plan's city-wide area
//! (`[city_wide]`, `İzmir Geneli` in the İzmir plan) as the city-wide aggregate — women,
//! men, total, female share, parity index, gap, change from the previous period and from
//! the baseline, target and progress, status, suppression.
//!
//! Aggregation rules (`docs/metrics.md`):
//! - counts are summed across units and districts; rates and ratios never are: a district
//!   value of a rate exists only when exactly one unit reported it;
//! - a unit's city-wide contribution is its own city-wide row when it wrote one,
//!   otherwise the sum of its district rows (so nothing is counted twice);
//! - `total` is the reported total, or women + men when no total was reported.

pub mod completeness;
pub mod disclosure;
pub mod eige;
pub mod evaluation;
pub mod frame;
pub mod status;

use polars::prelude::*;

use crate::catalogue::Catalogue;

/// One column of `metrics`: the one list every use reads (the frame's columns, the
/// public edition's hiding, the monitoring workbook's `Metrikler` sheet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricColumn {
    pub name: &'static str,
    /// A figure computed from the row's counts: blanked on a suppressed row of the public
    /// edition.
    pub from_counts: bool,
    /// Shown on the monitoring workbook's `Metrikler` sheet.
    pub in_workbook: bool,
}

const fn col_def(name: &'static str, from_counts: bool, in_workbook: bool) -> MetricColumn {
    MetricColumn {
        name,
        from_counts,
        in_workbook,
    }
}

/// The columns of `metrics`, in order (`docs/data-dictionary.md`).
pub const COLUMNS: &[MetricColumn] = &[
    col_def("plan_id", false, false),
    col_def("period", false, true),
    col_def("indicator_id", false, true),
    col_def("theme", false, true),
    col_def("district", false, true),
    col_def("kind", false, true),
    col_def("women", true, true),
    col_def("men", true, true),
    col_def("total", true, true),
    col_def("female_share", true, true),
    col_def("parity_index", true, true),
    col_def("gap", true, true),
    col_def("sex_split", false, true),
    col_def("previous_period", false, false),
    col_def("change_from_previous", true, true),
    col_def("previous_units", false, false),
    col_def("previous_common_units", false, false),
    col_def("baseline_period", false, true),
    col_def("baseline_total", true, false),
    col_def("change_from_baseline", true, true),
    col_def("baseline_common_total", true, false),
    col_def("baseline_units", false, true),
    col_def("common_units", false, true),
    col_def("target", false, true),
    col_def("target_period", false, false),
    col_def("target_progress", true, true),
    col_def("status", false, true),
    col_def("balance_status", false, true),
    col_def("units_reporting", false, true),
    col_def("suppressed", false, true),
    col_def("women_mark", false, true),
    col_def("men_mark", false, true),
    col_def("total_mark", false, true),
    col_def("suppression_reason", false, true),
    col_def("withheld", false, true),
];

/// The names of [`COLUMNS`], in order.
pub fn column_names() -> impl Iterator<Item = &'static str> {
    COLUMNS.iter().map(|c| c.name)
}

fn select_columns() -> Vec<Expr> {
    column_names().map(col).collect()
}

/// What the metrics need beside the observations.
#[derive(Debug, Clone)]
pub struct MetricsConfig {
    pub plan_id: String,
    /// The plan's baseline year (sdg-build's base year): the first period with data at or
    /// after it is used as the baseline.
    pub baseline_year: String,
    /// Disclosure control of sensitive indicators (`[disclosure]`).
    pub disclosure: disclosure::Rules,
    /// The least share of the units of either period that reported in both (`[metrics]
    /// min_coverage`) for a status; below it the status is `not_comparable`.
    pub min_coverage: f64,
}

/// `[metrics] min_coverage` when the pipeline file does not set it.
pub const DEFAULT_MIN_COVERAGE: f64 = 0.5;

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
        "women_c",
        "men_c",
        "units_reporting",
    ]
    .map(col)
    .to_vec()
}

/// Women, men and total over the units of a group, and how many units there were.
fn across_units() -> Vec<Expr> {
    ["women", "men", "total", "women_c", "men_c"]
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
/// (the city-wide row, [`Catalogue::city_wide`], first).
///
/// # Errors
///
/// [`PolarsError`] from polars.
pub fn compute(cat: &Catalogue, observations: &DataFrame, cfg: &MetricsConfig) -> PolarsResult<DataFrame> {
    let info = indicator_info(cat)?;
    let city_wide = cat.city_wide();
    // Totals from the all-ages rows only: a breakdown row (age group, disability) counts
    // the same people again (`docs/metrics.md`, "Breakdowns").
    let unit_level = observations
        .clone()
        .lazy()
        .filter(col("age_group").is_null().and(col("disability").is_null()))
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
        // A unit's total is what it reported, or — for a count only — its women + men.
        // Rates and ratios are never added up (`docs/metrics.md`).
        .with_columns([when(col("total").is_null().and(col("is_count")))
            .then(col("women") + col("men"))
            .otherwise(col("total"))
            .alias("total")])
        // The unit's women and men where it gave both (a complete row): shares, parity
        // and gaps are computed over complete rows only.
        .with_columns(
            ["women", "men"]
                .iter()
                .map(|c| {
                    when(col("women").is_not_null().and(col("men").is_not_null()))
                        .then(col(*c))
                        .otherwise(lit(NULL).cast(DataType::Float64))
                        .alias(format!("{c}_c"))
                })
                .collect::<Vec<_>>(),
        );

    let value_cols = ["women", "men", "total", "women_c", "men_c"];
    let district_rows = unit_level
        .clone()
        .filter(col("district").neq(lit(city_wide)))
        .group_by([col("period"), col("indicator_id"), col("theme"), col("district")])
        .agg(across_units());

    // A unit's city-wide contribution: its city-wide row, else the sum of its districts.
    let is_cw = col("district").eq(lit(city_wide));
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
    let contributions = unit_contributions(cat, &unit_level, &per_unit_city, city_wide)?;
    let unit_totals = concat(
        [
            unit_level
                .clone()
                .filter(col("district").neq(lit(city_wide)))
                .select(unit_total_columns()),
            per_unit_city
                .clone()
                .with_column(lit(city_wide).alias("district"))
                .select(unit_total_columns()),
        ],
        UnionArgs::default(),
    )?
    .filter(col("total").is_not_null())
    .collect()?;
    let city_rows = per_unit_city
        .group_by([col("period"), col("indicator_id"), col("theme")])
        .agg(across_units())
        .with_columns([lit(city_wide).alias("district")]);

    let base = concat(
        [city_rows.select(row_columns()), district_rows.select(row_columns())],
        UnionArgs::default(),
    )?
    .with_columns(["women", "men", "total", "women_c", "men_c"].map(|c| col(c).cast(DataType::Float64)))
    .join(
        info.lazy(),
        [col("indicator_id")],
        [col("indicator_id")],
        JoinArgs::new(JoinType::Left),
    )
    .with_columns([col("is_count").fill_null(lit(true))])
    .with_columns([when(col("total").is_null().and(col("is_count")))
        .then(col("women") + col("men"))
        .otherwise(col("total"))
        .alias("total")])
    .with_columns([
        // The women's share means something for counts only; for rates and ratios the
        // women/men ratio and the gap in points say it (`docs/metrics.md`).
        when(col("is_count").and((col("women_c") + col("men_c")).gt(lit(0.0))))
            .then(col("women_c") / (col("women_c") + col("men_c")))
            .otherwise(lit(NULL).cast(DataType::Float64))
            .alias("female_share"),
        when(col("men_c").gt(lit(0.0)))
            .then(col("women_c") / col("men_c"))
            .otherwise(lit(NULL).cast(DataType::Float64))
            .alias("parity_index"),
        (col("women_c") - col("men_c")).alias("gap"),
        sex_split().alias("sex_split"),
    ])
    .collect()?;
    let out = with_period_comparisons(&base, cat, cfg)?.collect()?;
    let mut out = like_for_like(out, &unit_totals)?;
    // The baseline total over the units of both periods, beside the like-for-like change
    // (a rate's or ratio's only where the change is).
    out.with_column(
        out.column("_base_common")?
            .f64()?
            .iter()
            .zip(out.column("change_from_baseline")?.f64()?.iter())
            .map(|(b, ch)| ch.and(b))
            .collect::<Float64Chunked>()
            .with_name("baseline_common_total".into())
            .into_column(),
    )?;
    let status = status_column(&out, cat, cfg.min_coverage)?;
    out.with_column(status)?;
    let balance = balance_column(&out, cat)?;
    out.with_column(balance)?;
    let mut protected = disclosure::protect(cat, &out, &contributions, &cfg.disclosure)?;
    withhold_subset_figures(cat, &out, &mut protected.withheld)?;
    add_disclosure_columns(&mut out, protected)?;
    // City-wide first within each indicator: sort key puts the city-wide row before districts.
    let out = out
        .lazy()
        .with_column(col("district").neq(lit(city_wide)).alias("_not_cw"))
        .sort(
            ["period", "indicator_id", "_not_cw", "district"],
            SortMultipleOptions::default(),
        )
        .select(select_columns())
        .collect()?;
    Ok(out)
}

/// The columns of one unit's contribution to a row: `period`, `indicator_id`,
/// `district`, `unit_id`, `total`.
fn unit_total_columns() -> Vec<Expr> {
    vec![
        col("period"),
        col("indicator_id"),
        col("district"),
        col("unit_id"),
        col("total").cast(DataType::Float64),
    ]
}

/// Like-for-like changes (`docs/metrics.md`, "Like for like"): the change from the
/// previous period and from the baseline over the units that reported the row in both
/// periods (`unit_totals`: each unit's contribution to each row), with the coverage —
/// the units of the other period (`previous_units`, `baseline_units`) and those in both
/// (`previous_common_units`, `common_units`). `_base_common` / `_now_common` keep the two
/// totals over the common units for the status. A rate or ratio compares only one unit's
/// value with the same unit's.
fn like_for_like(out: DataFrame, unit_totals: &DataFrame) -> PolarsResult<DataFrame> {
    let keys = [col("indicator_id"), col("district"), col("period")];
    let mut lf = out.lazy();
    for (other, units, common, change, now_c, then_c) in [
        (
            "previous_period",
            "previous_units",
            "previous_common_units",
            "change_from_previous",
            "_prev_now_common",
            "_prev_common",
        ),
        (
            "baseline_period",
            "baseline_units",
            "common_units",
            "change_from_baseline",
            "_now_common",
            "_base_common",
        ),
    ] {
        let pairs = lf
            .clone()
            .select([
                col("indicator_id"),
                col("district"),
                col("period"),
                col(other).alias("_other"),
            ])
            .filter(col("_other").is_not_null());
        let then = unit_totals.clone().lazy().select([
            col("indicator_id"),
            col("district"),
            col("period").alias("_other"),
            col("unit_id"),
            col("total").alias("_then"),
        ]);
        let units_then = pairs
            .clone()
            .join(
                then.clone(),
                [col("indicator_id"), col("district"), col("_other")],
                [col("indicator_id"), col("district"), col("_other")],
                JoinArgs::new(JoinType::Inner),
            )
            .group_by(keys.clone())
            .agg([col("unit_id").n_unique().cast(DataType::Float64).alias(units)]);
        let both = pairs
            .join(
                unit_totals.clone().lazy(),
                keys.clone(),
                keys.clone(),
                JoinArgs::new(JoinType::Inner),
            )
            .join(
                then,
                [col("indicator_id"), col("district"), col("_other"), col("unit_id")],
                [col("indicator_id"), col("district"), col("_other"), col("unit_id")],
                JoinArgs::new(JoinType::Inner),
            )
            .group_by(keys.clone())
            .agg([
                col("unit_id").n_unique().cast(DataType::Float64).alias(common),
                col("total").sum().alias(now_c),
                col("_then").sum().alias(then_c),
            ]);
        lf = lf
            .join(units_then, keys.clone(), keys.clone(), JoinArgs::new(JoinType::Left))
            .join(both, keys.clone(), keys.clone(), JoinArgs::new(JoinType::Left))
            .with_columns([
                when(col(other).is_not_null())
                    .then(col(units).fill_null(lit(0.0)))
                    .otherwise(lit(NULL).cast(DataType::Float64))
                    .alias(units),
                when(col(other).is_not_null())
                    .then(col(common).fill_null(lit(0.0)))
                    .otherwise(lit(NULL).cast(DataType::Float64))
                    .alias(common),
            ])
            .with_columns([
                // A count: the common units' totals; a rate or ratio: only one unit's own
                // value then and now (a row of several units' rates has no value).
                when(
                    col("is_count").or(col(common)
                        .eq(lit(1.0))
                        .and(col(units).eq(lit(1.0)))
                        .and(col("units_reporting").eq(lit(1.0)))),
                )
                .then(col(now_c) - col(then_c))
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias(change),
            ]);
    }
    lf.collect()
}

/// For sensitive indicators, the public edition withholds every figure computed over a
/// subset of a row's units — the like-for-like changes and status when the units of the
/// two periods differ, the share, parity and gap of a partial row — since a subset's
/// figure beside the row's total tells the rest (the disclosure audit knows only the
/// relations of whole rows).
fn withhold_subset_figures(cat: &Catalogue, out: &DataFrame, withheld: &mut [Option<String>]) -> PolarsResult<()> {
    let sensitive = disclosure::sensitive_ids(cat);
    let ids = str_column(out, "indicator_id")?;
    let split = str_column(out, "sex_split")?;
    let (units, prev_units, prev_common, base_units, common) = (
        f64_column(out, "units_reporting")?,
        f64_column(out, "previous_units")?,
        f64_column(out, "previous_common_units")?,
        f64_column(out, "baseline_units")?,
        f64_column(out, "common_units")?,
    );
    let subset = |now: Option<f64>, then: Option<f64>, both: Option<f64>| match (now, then, both) {
        (Some(n), Some(t), Some(b)) => b < n || b < t,
        _ => false,
    };
    for (r, w) in withheld.iter_mut().enumerate() {
        if !ids.get(r).is_some_and(|i| sensitive.contains(i)) {
            continue;
        }
        let mut cols: Vec<String> = w
            .as_deref()
            .map(|w| w.split(',').map(str::to_string).collect())
            .unwrap_or_default();
        let mut add = |c: &str| {
            if !cols.iter().any(|x| x == c) {
                cols.push(c.to_string());
            }
        };
        if split.get(r) == Some("partial") {
            ["female_share", "parity_index", "gap"].iter().for_each(|c| add(c));
        }
        if subset(units.get(r), prev_units.get(r), prev_common.get(r)) {
            add("change_from_previous");
        }
        if subset(units.get(r), base_units.get(r), common.get(r)) {
            add("change_from_baseline");
            add("baseline_common_total");
            add("status");
        }
        // In the order of [`COLUMNS`], as `disclosure::protect` writes them.
        cols.sort_by_key(|c| COLUMNS.iter().position(|k| k.name == c.as_str()));
        *w = (!cols.is_empty()).then(|| cols.join(","));
    }
    Ok(())
}

/// Whether a row's women and men are its whole (`docs/metrics.md`, "Consistent rows"):
/// `complete` — every unit gave both, and for a count women + men = total; `partial` —
/// some units gave both, others only a total or one sex (shares, parity and gap are over
/// the complete rows, and women + men ≠ total); `none` — no unit gave both.
fn sex_split() -> Expr {
    let both = col("women_c").is_not_null().and(col("men_c").is_not_null());
    let near = |e: Expr, eps: f64| e.clone().lt_eq(lit(eps)).and(e.gt_eq(lit(-eps)));
    let same = near(col("women") - col("women_c"), 1e-9).and(near(col("men") - col("men_c"), 1e-9));
    let sums = col("is_count")
        .not()
        .or(near(col("women") + col("men") - col("total"), 1e-6));
    when(both.clone().not())
        .then(lit("none"))
        .when(same.and(sums.fill_null(lit(false))))
        .then(lit("complete"))
        .otherwise(lit("partial"))
}

/// The units' figures in the cells of sensitive indicators: each unit's district rows,
/// and its city-wide contribution (its own city-wide row, else the sum of its districts).
fn unit_contributions(
    cat: &Catalogue,
    unit_level: &LazyFrame,
    per_unit_city: &LazyFrame,
    city_wide: &str,
) -> PolarsResult<Vec<disclosure::Contribution>> {
    let sensitive: Vec<String> = disclosure::sensitive_ids(cat).into_iter().collect();
    if sensitive.is_empty() {
        return Ok(Vec::new());
    }
    let keep = sensitive
        .iter()
        .map(|id| col("indicator_id").eq(lit(id.as_str())))
        .reduce(Expr::or)
        .unwrap_or(lit(false));
    let value_cols = ["women", "men", "total"];
    let keep_cols: Vec<Expr> = ["period", "indicator_id", "district"]
        .iter()
        .chain(&value_cols)
        .map(|c| col(*c))
        .collect();
    let districts = unit_level
        .clone()
        .filter(keep.clone().and(col("district").neq(lit(city_wide))))
        .select(keep_cols.clone())
        .collect()?;
    let city = per_unit_city
        .clone()
        .filter(keep)
        .with_column(lit(city_wide).alias("district"))
        .select(keep_cols)
        .collect()?;
    let mut out = Vec::new();
    for df in [districts, city] {
        let s = |c: &str| -> PolarsResult<StringChunked> { Ok(df.column(c)?.str()?.clone()) };
        let (per, ind, dist) = (s("period")?, s("indicator_id")?, s("district")?);
        for (column, name) in value_cols.iter().enumerate() {
            let v = df.column(name)?.cast(&DataType::Float64)?;
            let v = v.f64()?;
            for r in 0..df.height() {
                if let Some(value) = v.get(r).filter(|x| x.is_finite()) {
                    out.push(disclosure::Contribution {
                        period: per.get(r).unwrap_or("").to_string(),
                        indicator_id: ind.get(r).unwrap_or("").to_string(),
                        district: dist.get(r).unwrap_or("").to_string(),
                        column,
                        value,
                    });
                }
            }
        }
    }
    Ok(out)
}

/// `suppressed`, the three marks, `suppression_reason` and `withheld`.
fn add_disclosure_columns(out: &mut DataFrame, p: disclosure::Protected) -> PolarsResult<()> {
    out.with_column(Column::new("suppressed".into(), p.suppressed))?;
    for (name, marks) in ["women_mark", "men_mark", "total_mark"].iter().zip(&p.marks) {
        let codes: Vec<Option<&str>> = marks.iter().map(|m| m.map(disclosure::Mark::code)).collect();
        out.with_column(Column::new((*name).into(), codes))?;
    }
    out.with_column(Column::new("suppression_reason".into(), p.reason))?;
    out.with_column(Column::new("withheld".into(), p.withheld))?;
    Ok(())
}

fn year_of(period: &str) -> i32 {
    period.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0)
}

/// Previous period, baseline and target of every row, as polars expressions over each
/// indicator × district's periods (`docs/metrics.md`, "Change and progress"):
///
/// - `previous_period`: the latest earlier period in which the same indicator × district
///   has a row (the changes themselves are like for like, [`like_for_like`]);
/// - `baseline_period` / `baseline_total`: the first period at or after the plan's
///   baseline year in which the indicator × district has a total (sdg-build's base year);
/// - `target` / `target_period`: city-wide rows only, the target set for the row's period,
///   else the next later one (the plan's end-of-term target applies to the years before
///   it); `target_progress` = total / target.
///
/// `base` is a collected frame because both the rows and the targets' periods are read from
/// it (polars is built without common-subplan elimination, so a lazy input would be
/// computed twice).
fn with_period_comparisons(base: &DataFrame, cat: &Catalogue, cfg: &MetricsConfig) -> PolarsResult<LazyFrame> {
    let cell = [col("indicator_id"), col("district")];
    let has_baseline = col("period")
        .gt_eq(lit(cfg.baseline_year.as_str()))
        .and(col("total").is_not_null());
    // Every target of an indicator that applies to a period: the nearest one at or after it.
    let periods = base
        .clone()
        .lazy()
        .select([col("indicator_id"), col("period")])
        .unique(None, UniqueKeepStrategy::Any);
    let targets = periods
        .join(
            targets_frame(cat)?.lazy(),
            [col("indicator_id")],
            [col("indicator_id")],
            JoinArgs::new(JoinType::Inner),
        )
        .filter(col("target_period").gt_eq(col("period")))
        .sort(["target_period"], SortMultipleOptions::default())
        .group_by([col("indicator_id"), col("period")])
        .agg([col("target").first(), col("target_period").first()])
        .with_column(lit(cat.city_wide()).alias("district"));
    Ok(base
        .clone()
        .lazy()
        .sort(["indicator_id", "district", "period"], SortMultipleOptions::default())
        .with_columns([
            col("period").shift(lit(1)).over(cell.clone())?.alias("previous_period"),
            col("period")
                .filter(has_baseline.clone())
                .first()
                .over(cell.clone())?
                .alias("baseline_period"),
            col("total")
                .filter(has_baseline)
                .first()
                .over(cell)?
                .alias("baseline_total"),
        ])
        .join(
            targets,
            [col("indicator_id"), col("district"), col("period")],
            [col("indicator_id"), col("district"), col("period")],
            JoinArgs::new(JoinType::Left),
        )
        .with_columns([
            when(col("target").neq(lit(0.0)))
                .then(col("total") / col("target"))
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias("target_progress"),
            lit(cfg.plan_id.as_str()).alias("plan_id"),
        ]))
}

/// The indicators' targets: `indicator_id`, `target_period`, `target`.
fn targets_frame(cat: &Catalogue) -> PolarsResult<DataFrame> {
    let (mut ids, mut periods, mut values) = (Vec::new(), Vec::new(), Vec::new());
    for i in &cat.indicators {
        for (p, v) in &i.targets {
            ids.push(i.id.as_str());
            periods.push(p.as_str());
            values.push(*v);
        }
    }
    DataFrame::new(
        ids.len(),
        vec![
            Column::new("indicator_id".into(), ids),
            Column::new("target_period".into(), periods),
            Column::new("target".into(), values),
        ],
    )
}

/// The progress status of every row (sdg-build's measure, [`status::status`]), in the
/// indicator's desired direction (none: neutral words). Without a target it compares the
/// units that reported in both the baseline period and this one (like for like); with a
/// target, the row's whole total against the target. Either way, when fewer than
/// `min_coverage` of the units of the two periods reported in both, the status is
/// `not_comparable`.
fn status_column(df: &DataFrame, cat: &Catalogue, min_coverage: f64) -> PolarsResult<Column> {
    let (s, f) = (|c| str_column(df, c), |c| f64_column(df, c));
    let (period, base_p, target_p) = (s("period")?, s("baseline_period")?, s("target_period")?);
    let ids = s("indicator_id")?;
    let (total, base_t, target) = (f("total")?, f("baseline_total")?, f("target")?);
    let (now_c, base_c) = (f("_now_common")?, f("_base_common")?);
    let (units, base_units, common) = (f("units_reporting")?, f("baseline_units")?, f("common_units")?);
    let facts = |id: &str| match (cat.indicator(id), cat.context_indicator(id)) {
        (Some(i), _) => (i.direction, i.kind.is_count()),
        (None, Some(c)) => (c.direction, c.kind.is_count()),
        (None, None) => (None, true),
    };
    let status: Vec<&str> = (0..df.height())
        .map(|r| {
            let (Some(cur), Some(bp), Some(bv)) = (total.get(r), base_p.get(r), base_t.get(r)) else {
                return status::Status::NoData;
            };
            let (current_year, base_year) = (year_of(period.get(r).unwrap_or("")), year_of(bp));
            if current_year <= base_year {
                return status::Status::NoData;
            }
            let both = common.get(r).unwrap_or(0.0);
            let either = units.get(r).unwrap_or(0.0) + base_units.get(r).unwrap_or(0.0) - both;
            if either <= 0.0 || both / either < min_coverage {
                return status::Status::NotComparable;
            }
            let (direction, is_count) = facts(ids.get(r).unwrap_or(""));
            let target = target.get(r).zip(target_p.get(r)).map(|(v, p)| (v, year_of(p)));
            let (base_value, current_value) = match (target, base_c.get(r), now_c.get(r)) {
                (None, Some(b), Some(c)) if is_count => (b, c),
                _ => (bv, cur),
            };
            status::status(&status::ProgressInput {
                base_year,
                base_value,
                current_year,
                current_value,
                target,
                direction,
                is_count,
            })
        })
        .map(status::Status::as_str)
        .collect();
    Ok(Column::new("status".into(), status))
}

/// The women's share toward balanced participation (`docs/metrics.md`, "Balance"), for
/// indicators the catalogue marks `balance = true` (never sensitive ones): `balanced`
/// when the share is within [`BALANCE_LOW`]..=1 − [`BALANCE_LOW`]; otherwise
/// `toward_balance` / `away_from_balance` when its distance from parity shrank / grew by
/// more than [`BALANCE_MIN_CHANGE`] since the baseline row, else `no_change`; empty
/// without a share.
fn balance_column(df: &DataFrame, cat: &Catalogue) -> PolarsResult<Column> {
    let s = |c| str_column(df, c);
    let (ids, dist, period, base_p) = (s("indicator_id")?, s("district")?, s("period")?, s("baseline_period")?);
    let share = f64_column(df, "female_share")?;
    let sensitive = disclosure::sensitive_ids(cat);
    let applies = |id: &str| {
        !sensitive.contains(id)
            && (cat.indicator(id).is_some_and(|i| i.balance) || cat.context_indicator(id).is_some_and(|c| c.balance))
    };
    let mut share_of: std::collections::HashMap<(&str, &str, &str), f64> = std::collections::HashMap::new();
    for r in 0..df.height() {
        if let (Some(i), Some(d), Some(p), Some(v)) = (ids.get(r), dist.get(r), period.get(r), share.get(r)) {
            share_of.insert((i, d, p), v);
        }
    }
    let out: Vec<Option<&str>> = (0..df.height())
        .map(|r| {
            let (i, d, p) = (ids.get(r)?, dist.get(r)?, period.get(r)?);
            if !applies(i) {
                return None;
            }
            let now = share.get(r)?;
            if (BALANCE_LOW..=1.0 - BALANCE_LOW).contains(&now) {
                return Some("balanced");
            }
            let then = base_p
                .get(r)
                .filter(|b| *b != p)
                .and_then(|b| share_of.get(&(i, d, b)))?;
            let (gap_now, gap_then) = ((now - 0.5).abs(), (then - 0.5).abs());
            Some(if gap_now < gap_then - BALANCE_MIN_CHANGE {
                "toward_balance"
            } else if gap_now > gap_then + BALANCE_MIN_CHANGE {
                "away_from_balance"
            } else {
                "no_change"
            })
        })
        .collect();
    Ok(Column::new("balance_status".into(), out))
}

/// The Council of Europe's balanced-participation line (Recommendation Rec(2003)3): each
/// sex at least 40 %.
pub const BALANCE_LOW: f64 = 0.4;
/// A move of the women's share toward or away from parity smaller than this (2 points)
/// is no change.
pub const BALANCE_MIN_CHANGE: f64 = 0.02;

/// The public copy of a metrics table: every figure listed in a row's `withheld`
/// (`disclosure::protect`: its suppressed counts and every figure derived from a
/// suppressed cell of this or another period) is removed, a withheld status reads
/// `suppressed`, the marks say `suppressed` without telling primary from secondary, and
/// the reason is `confidentiality`.
///
/// # Errors
///
/// [`PolarsError`] from polars.
pub fn public(metrics: &DataFrame) -> PolarsResult<DataFrame> {
    let withheld = metrics.column("withheld")?.str()?.clone();
    let lists: Vec<Vec<&str>> = withheld
        .iter()
        .map(|w| w.map(|w| w.split(',').collect()).unwrap_or_default())
        .collect();
    let hidden = |name: &str| -> Vec<bool> { lists.iter().map(|l| l.contains(&name)).collect() };
    let mut out = metrics.clone();
    for c in COLUMNS.iter().filter(|c| c.from_counts) {
        let mask = hidden(c.name);
        let values = metrics.column(c.name)?.f64()?;
        let kept: Float64Chunked = values
            .iter()
            .zip(&mask)
            .map(|(v, h)| if *h { None } else { v })
            .collect();
        out.with_column(Column::new(c.name.into(), kept.into_series()))?;
    }
    let status_hidden = hidden("status");
    let status: StringChunked = metrics
        .column("status")?
        .str()?
        .iter()
        .zip(&status_hidden)
        .map(|(s, h)| if *h { Some("suppressed") } else { s })
        .collect();
    out.with_column(Column::new("status".into(), status.into_series()))?;
    for name in ["women_mark", "men_mark", "total_mark"] {
        let marks: StringChunked = metrics
            .column(name)?
            .str()?
            .iter()
            .map(|m| match m.and_then(disclosure::Mark::from_code) {
                Some(mark) if mark.is_suppressed() => Some(disclosure::Mark::Suppressed.code()),
                _ => m,
            })
            .collect();
        out.with_column(Column::new(name.into(), marks.into_series()))?;
    }
    // Whether a protected row's women and men add up says which of its cells exist:
    // withheld with the counts.
    let split: StringChunked = metrics
        .column("sex_split")?
        .str()?
        .iter()
        .zip(&lists)
        .map(|(s, l)| if l.is_empty() { s } else { None })
        .collect();
    out.with_column(Column::new("sex_split".into(), split.into_series()))?;
    let reason: StringChunked = lists
        .iter()
        .map(|l| (!l.is_empty()).then_some(disclosure::PUBLIC_REASON))
        .collect();
    out.with_column(Column::new("suppression_reason".into(), reason.into_series()))?;
    out.select(column_names())
}

/// One metrics row, for sinks that lay rows out by hand.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
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
    /// `complete`, `partial` or `none` ([`COLUMNS`] `sex_split`, `docs/metrics.md`).
    pub sex_split: Option<String>,
    pub change_from_previous: Option<f64>,
    pub change_from_baseline: Option<f64>,
    /// The baseline total over the units of both periods (like for like).
    pub baseline_common_total: Option<f64>,
    pub baseline_period: Option<String>,
    pub target: Option<f64>,
    pub target_progress: Option<f64>,
    pub status: String,
    /// `balanced`, `toward_balance`, `away_from_balance`, `no_change` (indicators with
    /// `balance = true`).
    pub balance_status: Option<String>,
    pub units_reporting: Option<f64>,
    pub suppressed: bool,
    /// Women, men, total: how each count is protected, or why it is empty.
    pub marks: [Option<disclosure::Mark>; 3],
    pub suppression_reason: Option<String>,
    /// The columns the public edition withholds (`disclosure`).
    pub withheld: Vec<String>,
}

/// One value of a [`MetricRow`], as a sink shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum MetricValue {
    Text(Option<String>),
    Number(Option<f64>),
    Flag(bool),
}

impl MetricRow {
    /// Why figure `name` of this row is empty (or hidden): `None` when it is shown, or
    /// when it is simply not computed (a share of a row without women and men reads
    /// "not reported" through its counts' marks).
    pub fn mark(&self, name: &str) -> Option<disclosure::Mark> {
        if let Some(c) = disclosure::COUNT_COLUMNS.iter().position(|c| *c == name) {
            return self.marks[c];
        }
        if self.withheld.iter().any(|w| w == name) {
            return Some(disclosure::Mark::Suppressed);
        }
        None
    }

    /// The row's value in column `name` of [`COLUMNS`]; `None` for a column the row does
    /// not carry (`plan_id`, `previous_period`, `baseline_total`, `target_period`).
    pub fn value(&self, name: &str) -> Option<MetricValue> {
        let text = |s: &str| MetricValue::Text(Some(s.to_string()));
        Some(match name {
            "period" => text(&self.period),
            "indicator_id" => text(&self.indicator_id),
            "theme" => text(&self.theme),
            "district" => text(&self.district),
            "kind" => text(&self.kind),
            "women" => MetricValue::Number(self.women),
            "men" => MetricValue::Number(self.men),
            "total" => MetricValue::Number(self.total),
            "female_share" => MetricValue::Number(self.female_share),
            "parity_index" => MetricValue::Number(self.parity_index),
            "gap" => MetricValue::Number(self.gap),
            "sex_split" => MetricValue::Text(self.sex_split.clone()),
            "change_from_previous" => MetricValue::Number(self.change_from_previous),
            "baseline_period" => MetricValue::Text(self.baseline_period.clone()),
            "change_from_baseline" => MetricValue::Number(self.change_from_baseline),
            "baseline_common_total" => MetricValue::Number(self.baseline_common_total),
            "target" => MetricValue::Number(self.target),
            "target_progress" => MetricValue::Number(self.target_progress),
            "status" => text(&self.status),
            "balance_status" => MetricValue::Text(self.balance_status.clone()),
            "units_reporting" => MetricValue::Number(self.units_reporting),
            "suppressed" => MetricValue::Flag(self.suppressed),
            "women_mark" => MetricValue::Text(self.marks[0].map(|m| m.code().to_string())),
            "men_mark" => MetricValue::Text(self.marks[1].map(|m| m.code().to_string())),
            "total_mark" => MetricValue::Text(self.marks[2].map(|m| m.code().to_string())),
            "suppression_reason" => MetricValue::Text(self.suppression_reason.clone()),
            "withheld" => MetricValue::Text((!self.withheld.is_empty()).then(|| self.withheld.join(","))),
            _ => return None,
        })
    }
}

/// The rows of a metrics frame.
///
/// # Errors
///
/// [`PolarsError`] when a column is missing or of the wrong type.
pub fn rows(df: &DataFrame) -> PolarsResult<Vec<MetricRow>> {
    let (s, f) = (|c| str_column(df, c), |c| f64_column(df, c));
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
    let marks = [s("women_mark")?, s("men_mark")?, s("total_mark")?];
    let (reason, withheld) = (s("suppression_reason")?, s("withheld")?);
    let split = s("sex_split")?;
    let base_common = f("baseline_common_total")?;
    let balance = s("balance_status")?;
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
            sex_split: split.get(r).map(str::to_string),
            change_from_previous: cp.get(r),
            change_from_baseline: cb.get(r),
            baseline_common_total: base_common.get(r),
            baseline_period: base_p.get(r).map(str::to_string),
            target: tg.get(r),
            target_progress: tp.get(r),
            status: status.get(r).unwrap_or("").to_string(),
            balance_status: balance.get(r).map(str::to_string),
            units_reporting: ur.get(r),
            suppressed: sup.get(r).unwrap_or(false),
            marks: [0, 1, 2].map(|c| marks[c].get(r).and_then(disclosure::Mark::from_code)),
            suppression_reason: reason.get(r).map(str::to_string),
            withheld: withheld
                .get(r)
                .map(|w| w.split(',').map(str::to_string).collect())
                .unwrap_or_default(),
        })
        .collect())
}

fn str_column(df: &DataFrame, name: &str) -> PolarsResult<StringChunked> {
    Ok(df.column(name)?.str()?.clone())
}

fn f64_column(df: &DataFrame, name: &str) -> PolarsResult<Float64Chunked> {
    Ok(df.column(name)?.f64()?.clone())
}
