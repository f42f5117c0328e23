//! Disclosure control as an attacker meets it (issue 11): the five leaks of the whole-row
//! rule as regression tests, the audit on the shipped inputs and on demos, and the
//! over-suppression against the whole-row rule.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::OnceLock;

use polars::prelude::*;
use yeep::catalogue::Catalogue;
use yeep::metrics::disclosure::{self, Mark};
use yeep::pipeline::collect;
use yeep::pipeline::run::{compute_metrics, Inputs, Metrics};
use yeep::pipeline::Pipeline;

use crate::common::{root, shipped_pipeline};

fn pipeline() -> (Pipeline, Catalogue) {
    let p = Pipeline::load(&shipped_pipeline()).unwrap();
    let cat = p.catalogue().unwrap();
    (p, cat)
}

/// The metrics of the inputs under `input` (every period with a submissions folder).
fn metrics_of(p: &Pipeline, cat: &Catalogue, input: &Path) -> Metrics {
    let mut inputs = Inputs::default();
    for period in &cat.plan.periods {
        if input.join("submissions").join(period).is_dir() {
            let c = collect::submissions(p, cat, input, period, collect::Options::default());
            inputs.submissions.insert(period.clone(), c);
        }
    }
    inputs.tuik = collect::tuik(p, cat, input, None, collect::Options::default());
    compute_metrics(p, cat, &inputs).unwrap()
}

fn demo_metrics(scale: u32, seed: u64) -> (Catalogue, Metrics) {
    let (p, cat) = pipeline();
    let tmp = tempfile::tempdir().unwrap();
    yeep::demo::write_demo(&cat, tmp.path(), scale, seed).unwrap();
    let m = metrics_of(&p, &cat, tmp.path());
    (cat, m)
}

/// The shipped inputs' metrics, computed once for the tests here.
fn shipped() -> &'static (Catalogue, Metrics) {
    static M: OnceLock<(Catalogue, Metrics)> = OnceLock::new();
    M.get_or_init(|| {
        let (p, cat) = pipeline();
        let m = metrics_of(&p, &cat, &root().join("input"));
        (cat, m)
    })
}

/// The demo the attack used (`yeep demo --scale 3 --seed 11`), computed once.
fn demo_3_11() -> &'static (Catalogue, Metrics) {
    static M: OnceLock<(Catalogue, Metrics)> = OnceLock::new();
    M.get_or_init(|| demo_metrics(3, 11))
}

fn s(df: &DataFrame, c: &str) -> Vec<Option<String>> {
    df.column(c)
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|v| v.map(str::to_string))
        .collect()
}

fn f(df: &DataFrame, c: &str) -> Vec<Option<f64>> {
    df.column(c).unwrap().f64().unwrap().iter().collect()
}

/// The whole-row rule yeep had before issue 11: a row is hidden when any of its counts is
/// small; when a published city-wide row has exactly one hidden district, the smallest
/// published district (else the city-wide row) is hidden too. Only the row's own figures
/// were withheld (not the baseline of a later row).
fn whole_row_public(cat: &Catalogue, internal: &DataFrame, threshold: u32) -> (DataFrame, usize) {
    whole_row_rule(cat, internal, threshold, false)
}

/// The whole-row rule; with `same_primaries`, started from the rows with a primary cell
/// of today's rules (so the comparison of hidden cells is like for like).
fn whole_row_rule(cat: &Catalogue, internal: &DataFrame, threshold: u32, same_primaries: bool) -> (DataFrame, usize) {
    let primary_row: Vec<bool> = {
        let [w, m, t] = marks(internal);
        (0..internal.height())
            .map(|r| [&w[r], &m[r], &t[r]].iter().any(|x| x.as_deref() == Some("primary")))
            .collect()
    };
    let sensitive = disclosure::sensitive_ids(cat);
    let (ind, per, dist) = (
        s(internal, "indicator_id"),
        s(internal, "period"),
        s(internal, "district"),
    );
    let (w, m, t) = (f(internal, "women"), f(internal, "men"), f(internal, "total"));
    let small = |v: Option<f64>| v.is_some_and(|v| v > 0.0 && v < f64::from(threshold));
    let mut hidden = vec![false; internal.height()];
    let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for r in 0..internal.height() {
        let i = ind[r].clone().unwrap();
        if sensitive.contains(&i) {
            groups.entry((i, per[r].clone().unwrap())).or_default().push(r);
        }
    }
    for rows in groups.values() {
        for &r in rows {
            hidden[r] = if same_primaries {
                primary_row[r]
            } else {
                small(w[r]) || small(m[r]) || small(t[r])
            };
        }
        let cw = rows
            .iter()
            .copied()
            .find(|&r| dist[r].as_deref() == Some(cat.city_wide()));
        loop {
            if cw.is_some_and(|c| hidden[c]) {
                break;
            }
            let districts: Vec<usize> = rows.iter().copied().filter(|&r| Some(r) != cw).collect();
            if districts.iter().filter(|&&r| hidden[r]).count() != 1 {
                break;
            }
            let size = |r: usize| t[r].unwrap_or(w[r].unwrap_or(0.0) + m[r].unwrap_or(0.0));
            let next = districts
                .iter()
                .copied()
                .filter(|&r| !hidden[r] && size(r) > 0.0)
                .min_by(|&a, &b| size(a).total_cmp(&size(b)));
            match (next, cw) {
                (Some(r), _) | (None, Some(r)) => hidden[r] = true,
                (None, None) => break,
            }
        }
    }
    let blank = |c: &str| -> Column {
        let v: Float64Chunked = f(internal, c)
            .into_iter()
            .zip(&hidden)
            .map(|(v, h)| if *h { None } else { v })
            .collect();
        Column::new(c.into(), v.into_series())
    };
    let mut public = internal.clone();
    for c in [
        "women",
        "men",
        "total",
        "female_share",
        "parity_index",
        "gap",
        "change_from_baseline",
        "target_progress",
    ] {
        public.with_column(blank(c)).unwrap();
    }
    let cells = hidden.iter().filter(|h| **h).count() * 3;
    (public, cells)
}

fn marks(df: &DataFrame) -> [Vec<Option<String>>; 3] {
    [s(df, "women_mark"), s(df, "men_mark"), s(df, "total_mark")]
}

#[test]
fn the_audit_passes_on_the_shipped_inputs() {
    let (cat, m) = shipped();
    let report = disclosure::audit(cat, &m.internal, &m.public, 5).unwrap();
    assert!(report.passed(), "{:?}", report.overall.failures);
    assert!(
        report.overall.primary > 0,
        "the shipped inputs have small counts to protect"
    );
    let narrowest = report.overall.narrowest.unwrap();
    assert!(narrowest.width.is_none_or(|w| w >= 5.0), "{narrowest:?}");
}

#[test]
fn the_audit_passes_on_demos_at_several_scales_and_seeds() {
    for (scale, seed) in [(2, 3), (4, 5)] {
        let (cat, m) = demo_metrics(scale, seed);
        let report = disclosure::audit(&cat, &m.internal, &m.public, 5).unwrap();
        assert!(
            report.passed(),
            "scale {scale} seed {seed}: {:?}",
            report.overall.failures
        );
        assert!(report.overall.primary > 0, "scale {scale} seed {seed}");
    }
}

#[test]
fn the_audit_fails_on_the_whole_row_rule() {
    // Today's rule (whole rows, the baseline not withheld) fails the audit on the demo the
    // attack used, and on the shipped inputs.
    for (cat, m) in [demo_3_11(), shipped()] {
        let (old_public, _) = whole_row_public(cat, &m.internal, 5);
        let report = disclosure::audit(cat, &m.internal, &old_public, 5).unwrap();
        assert!(!report.passed(), "the whole-row rule must leak");
    }
}

#[test]
fn leak_1_a_later_row_never_carries_a_suppressed_baseline() {
    let (_, m) = demo_3_11();
    let public = &m.public;
    let (ind, per, dist) = (s(public, "indicator_id"), s(public, "period"), s(public, "district"));
    let base_p = s(public, "baseline_period");
    let base_t = f(public, "baseline_total");
    let change = f(public, "change_from_baseline");
    let [_, _, total_mark] = marks(public);
    let hidden_total: HashMap<(String, String, String), bool> = (0..public.height())
        .map(|r| {
            let key = (
                ind[r].clone().unwrap(),
                per[r].clone().unwrap(),
                dist[r].clone().unwrap(),
            );
            (key, total_mark[r].as_deref() == Some("suppressed"))
        })
        .collect();
    let mut checked = 0;
    for r in 0..public.height() {
        let Some(bp) = base_p[r].clone() else { continue };
        let key = (ind[r].clone().unwrap(), bp, dist[r].clone().unwrap());
        if hidden_total.get(&key) == Some(&true) {
            checked += 1;
            assert_eq!(base_t[r], None, "row {r} shows a hidden baseline total");
            assert_eq!(change[r], None, "row {r} shows a change from a hidden baseline");
        }
    }
    assert!(checked > 0, "the demo has later rows of suppressed baselines");
}

#[test]
fn leak_2_column_differencing_recovers_no_primary_cell() {
    // The audit is the attacker's LP over the columns (districts → city-wide) and rows
    // (women + men = total); on the shipped inputs the whole-row rule let it recover
    // Aliağa 2023 exactly. Every primary cell keeps a width of at least the threshold.
    let (cat, m) = shipped();
    let report = disclosure::audit(cat, &m.internal, &m.public, 5).unwrap();
    for c in report.periods.values().flat_map(|p| p.narrowest.iter()) {
        assert!(c.width.is_none_or(|w| w >= 5.0), "{c:?}");
    }
    // And single cells are hidden, not whole rows: some suppressed row publishes a count.
    let [w, mm, t] = marks(&m.public);
    let (wv, mv, tv) = (f(&m.public, "women"), f(&m.public, "men"), f(&m.public, "total"));
    let partial = (0..m.public.height()).any(|r| {
        let hidden = [&w[r], &mm[r], &t[r]]
            .iter()
            .any(|x| x.as_deref() == Some("suppressed"));
        hidden && (wv[r].is_some() || mv[r].is_some() || tv[r].is_some())
    });
    assert!(partial, "cell-by-cell suppression publishes the safe cells of a row");
}

#[test]
fn leak_3_a_co_reporting_unit_cannot_subtract_its_own_figure() {
    // siddet-1.1.3-b: published district cells of two units where one unit's share is
    // 1–4 (Beydağ 2022, Kınık 2023). The residual rule makes them primary.
    let (_, m) = shipped();
    let internal = &m.internal;
    let (ind, per, dist) = (
        s(internal, "indicator_id"),
        s(internal, "period"),
        s(internal, "district"),
    );
    let reason = s(internal, "suppression_reason");
    let t = f(&m.public, "total");
    let mut found = 0;
    for r in 0..internal.height() {
        let key = (ind[r].as_deref(), per[r].as_deref(), dist[r].as_deref());
        if matches!(
            key,
            (Some("siddet-1.1.3-b"), Some("2022"), Some("Beydağ"))
                | (Some("siddet-1.1.3-b"), Some("2023"), Some("Kınık"))
        ) {
            found += 1;
            assert!(
                reason[r].as_deref().is_some_and(|x| x.contains("dominance")),
                "{key:?}: {:?}",
                reason[r]
            );
            assert_eq!(t[r], None, "{key:?} total published");
        }
    }
    assert_eq!(found, 2, "both cells are in the shipped data");
}

#[test]
fn leak_4_public_observations_hold_no_row_of_a_sensitive_indicator() {
    let (cat, m) = shipped();
    let public = disclosure::public_observations(cat, &m.all);
    let sensitive = disclosure::sensitive_ids(cat);
    let ids = s(&public, "indicator_id");
    assert!(!ids.is_empty());
    assert!(ids.iter().flatten().all(|i| !sensitive.contains(i)));
    assert!(
        m.all.iter().any(|o| sensitive.contains(&o.indicator_id)),
        "the inputs have sensitive rows"
    );
}

#[test]
fn leak_5_over_suppression_is_lower_than_the_whole_row_rule() {
    for (cat, m) in [shipped(), demo_3_11()] {
        let report = disclosure::audit(cat, &m.internal, &m.public, 5).unwrap();
        let (_, whole_row_cells) = whole_row_rule(cat, &m.internal, 5, true);
        let now = report.overall.primary + report.overall.secondary;
        assert!(
            now < whole_row_cells,
            "cells hidden now {now}, whole rows {whole_row_cells}"
        );
        assert!(report.overall.hidden_per_primary.unwrap() >= 1.0);
    }
}

#[test]
fn public_marks_never_tell_primary_from_secondary() {
    let (_, m) = demo_3_11();
    for col in marks(&m.public) {
        for v in col.iter().flatten() {
            assert!(
                matches!(
                    Mark::from_code(v),
                    Some(Mark::Suppressed | Mark::NotReported | Mark::NotApplicable)
                ),
                "{v}"
            );
        }
    }
    let reasons = s(&m.public, "suppression_reason");
    assert!(reasons.iter().flatten().all(|r| r == disclosure::PUBLIC_REASON));
    let [iw, _, _] = marks(&m.internal);
    assert!(iw.iter().flatten().any(|v| v == "primary"));
}
