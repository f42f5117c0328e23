//! The end-of-plan evaluation: for each plan indicator, what its city-wide series did over
//! the plan period — target met, improved, increased, stayed, decreased, worsened (improved
//! and worsened only where the indicator has a desired direction), reported once, never
//! reported (and, in the public edition, hidden by disclosure control). The rule is in
//! `docs/metrics.md`, "End-of-plan evaluation"; the plan workbook shows it.

use std::collections::HashMap;

use super::status::Status;
use super::MetricRow;
use crate::catalogue::{Catalogue, Direction};

/// A change within this share of the baseline value, either way, counts as "stayed"
/// (`docs/metrics.md`): a little wider than what sdg-build's "limited progress" band
/// (CAGR below 0.5 % a year) adds up to over a three-year plan (about 1.5 %).
pub const STAYED_TOLERANCE: f64 = super::status::MIN_RELATIVE_CHANGE;

/// What an indicator's series did over the plan period, in the order the evaluation
/// lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlanOutcome {
    /// The last reported row has the status `target_achieved`.
    TargetMet,
    /// The last reported total moved the desired way by more than the tolerance.
    Improved,
    /// No desired direction (an output count): the last reported total is above the
    /// baseline by more than the tolerance.
    Increased,
    /// The last reported total is within the tolerance of the baseline.
    Stayed,
    /// No desired direction: the last reported total is below the baseline by more than
    /// the tolerance.
    Decreased,
    /// The last reported total moved against the desired direction by more than the
    /// tolerance.
    Worsened,
    /// Reported in one period only (the baseline is the last reported period): no change
    /// to measure.
    ReportedOnce,
    /// No city-wide row with a total in any period.
    NeverReported,
    /// Public edition only: the last reported row or the baseline row is suppressed, so
    /// the change cannot be shown.
    Suppressed,
    /// Too few of the units of the two periods reported in both (the last row's status is
    /// `not_comparable`): the change would compare different things.
    NotComparable,
}

impl PlanOutcome {
    /// Every outcome, in order.
    pub const ALL: [PlanOutcome; 10] = [
        PlanOutcome::TargetMet,
        PlanOutcome::Improved,
        PlanOutcome::Increased,
        PlanOutcome::Stayed,
        PlanOutcome::Decreased,
        PlanOutcome::Worsened,
        PlanOutcome::ReportedOnce,
        PlanOutcome::NeverReported,
        PlanOutcome::NotComparable,
        PlanOutcome::Suppressed,
    ];

    /// The stable code (snake_case).
    pub fn as_str(self) -> &'static str {
        match self {
            PlanOutcome::TargetMet => "target_met",
            PlanOutcome::Improved => "improved",
            PlanOutcome::Increased => "increased",
            PlanOutcome::Stayed => "stayed",
            PlanOutcome::Decreased => "decreased",
            PlanOutcome::Worsened => "worsened",
            PlanOutcome::ReportedOnce => "reported_once",
            PlanOutcome::NeverReported => "never_reported",
            PlanOutcome::Suppressed => "suppressed",
            PlanOutcome::NotComparable => "not_comparable",
        }
    }

    /// The label for the workbook.
    pub fn label(self, lang: crate::model::lang::Lang) -> &'static str {
        match self {
            PlanOutcome::TargetMet => lang.pick("Hedefe ulaşıldı", "Target met"),
            PlanOutcome::Improved => lang.pick("İyileşti", "Improved"),
            PlanOutcome::Increased => lang.pick("Arttı", "Increased"),
            PlanOutcome::Stayed => lang.pick("Aynı kaldı", "Stayed"),
            PlanOutcome::Decreased => lang.pick("Azaldı", "Decreased"),
            PlanOutcome::Worsened => lang.pick("Kötüleşti", "Worsened"),
            PlanOutcome::ReportedOnce => lang.pick("Tek dönem raporlandı", "Reported once"),
            PlanOutcome::NeverReported => lang.pick("Hiç raporlanmadı", "Never reported"),
            PlanOutcome::Suppressed => lang.pick("Gizlendi (küçük sayı)", "Suppressed (small count)"),
            PlanOutcome::NotComparable => lang.pick("Karşılaştırılamaz", "Not comparable"),
        }
    }
}

/// One indicator's city-wide series over the plan period and its outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorEvaluation<'a> {
    pub indicator_id: &'a str,
    pub theme: &'a str,
    /// The city-wide row of each period asked, `None` where there is none.
    pub rows: Vec<Option<&'a MetricRow>>,
    /// The baseline period (the last reported row's `baseline_period`).
    pub baseline_period: Option<&'a str>,
    /// The total of the baseline period's row (empty when that row is suppressed in the
    /// public edition).
    pub baseline_total: Option<f64>,
    /// The last period with a reported row (a total, or a suppressed row).
    pub last: Option<&'a MetricRow>,
    /// Last reported total − baseline total (empty when either is).
    pub change: Option<f64>,
    /// `change` / |baseline total| (empty when the baseline is 0).
    pub relative_change: Option<f64>,
    pub outcome: PlanOutcome,
}

impl IndicatorEvaluation<'_> {
    /// The progress status of the last reported row (`no_data` when there is none).
    pub fn status(&self) -> Status {
        self.last.map_or(Status::NoData, |m| Status::from_code(&m.status))
    }
}

/// Whether a row counts as reported: it has a total, or it is suppressed (its total
/// exists but is hidden in the public edition).
pub fn is_reported(m: &MetricRow) -> bool {
    m.total.is_some() || m.suppressed
}

/// Evaluates every plan indicator (catalogue order) over the city-wide rows of `periods`
/// (in order) among `rows`: the internal rows give the internal evaluation, the public
/// rows (suppressed values removed) the public one.
pub fn evaluate<'a>(cat: &'a Catalogue, rows: &'a [MetricRow], periods: &[String]) -> Vec<IndicatorEvaluation<'a>> {
    let city = cat.city_wide();
    let by_cell: HashMap<(&str, &str), &MetricRow> = rows
        .iter()
        .filter(|m| m.district == city)
        .map(|m| ((m.indicator_id.as_str(), m.period.as_str()), m))
        .collect();
    cat.indicators
        .iter()
        .map(|i| {
            let series: Vec<Option<&MetricRow>> = periods
                .iter()
                .map(|p| by_cell.get(&(i.id.as_str(), p.as_str())).copied())
                .collect();
            evaluate_series(&i.id, &i.theme, i.direction, i.kind.is_count(), series, |p| {
                by_cell.get(&(i.id.as_str(), p)).and_then(|m| m.total)
            })
        })
        .collect()
}

/// The rule of `docs/metrics.md` for one series; `total_of` gives a period's total (the
/// baseline's).
fn evaluate_series<'a>(
    indicator_id: &'a str,
    theme: &'a str,
    direction: Option<Direction>,
    is_count: bool,
    rows: Vec<Option<&'a MetricRow>>,
    total_of: impl Fn(&str) -> Option<f64>,
) -> IndicatorEvaluation<'a> {
    let last = rows.iter().rev().flatten().copied().find(|m| is_reported(m));
    let baseline_period = last.and_then(|m| m.baseline_period.as_deref());
    let baseline_total = baseline_period.and_then(&total_of);
    // Like for like, as the metrics: the change over the units of both periods, against
    // those units' baseline total.
    let change = last.and_then(|m| m.change_from_baseline);
    let base_common = last.and_then(|m| m.baseline_common_total);
    let relative_change = change
        .zip(base_common)
        .and_then(|(d, b)| (b != 0.0).then(|| d / b.abs()));
    let outcome = match last {
        None => PlanOutcome::NeverReported,
        Some(m) if m.total.is_none() => PlanOutcome::Suppressed,
        Some(m) if Status::from_code(&m.status) == Status::TargetAchieved => PlanOutcome::TargetMet,
        Some(m) if baseline_period.is_none_or(|b| b == m.period) => PlanOutcome::ReportedOnce,
        Some(m) if Status::from_code(&m.status) == Status::NotComparable => PlanOutcome::NotComparable,
        Some(_) => match (change, base_common, baseline_total) {
            (Some(d), Some(b), Some(_)) => classify_change(d, b, direction, is_count),
            // The baseline row is suppressed (public edition).
            _ => PlanOutcome::Suppressed,
        },
    };
    IndicatorEvaluation {
        indicator_id,
        theme,
        rows,
        baseline_period,
        baseline_total,
        last,
        change,
        relative_change,
        outcome,
    }
}

/// Stayed, or — beyond the minimum change of the progress status
/// ([`super::status::is_notable_change`]: [`STAYED_TOLERANCE`] × |`baseline`| and, for a
/// count, chance) — improved or worsened in the indicator's desired direction, increased
/// or decreased where it has none (an output count: more trainings is not "better" by
/// itself, `docs/metrics.md`). The same rule as the status, so that a row never reads
/// "decreased" beside "no change".
///
/// # Examples
///
/// ```
/// use yeep::catalogue::Direction;
/// use yeep::metrics::evaluation::{classify_change, PlanOutcome};
/// let up = Some(Direction::Increase);
/// assert_eq!(classify_change(1.5, 100.0, up, false), PlanOutcome::Stayed);
/// assert_eq!(classify_change(2.5, 100.0, up, false), PlanOutcome::Improved);
/// assert_eq!(classify_change(-2.5, 100.0, up, false), PlanOutcome::Worsened);
/// assert_eq!(classify_change(-2.5, 100.0, Some(Direction::Decrease), false), PlanOutcome::Improved);
/// assert_eq!(classify_change(-3.0, 10.0, None, false), PlanOutcome::Decreased);
/// // A count: 508 → 500 is within chance (1.96 · √1008 ≈ 62).
/// assert_eq!(classify_change(-8.0, 508.0, None, true), PlanOutcome::Stayed);
/// assert_eq!(classify_change(100.0, 508.0, None, true), PlanOutcome::Increased);
/// ```
pub fn classify_change(change: f64, baseline: f64, direction: Option<Direction>, is_count: bool) -> PlanOutcome {
    let (up, down) = match direction {
        Some(Direction::Increase) => (PlanOutcome::Improved, PlanOutcome::Worsened),
        Some(Direction::Decrease) => (PlanOutcome::Worsened, PlanOutcome::Improved),
        None => (PlanOutcome::Increased, PlanOutcome::Decreased),
    };
    if !super::status::is_notable_change(baseline, baseline + change, is_count) {
        PlanOutcome::Stayed
    } else if change > 0.0 {
        up
    } else {
        down
    }
}

/// How many indicators of each theme (catalogue order) had each outcome.
pub fn counts_by_theme<'a>(
    cat: &'a Catalogue,
    evaluations: &[IndicatorEvaluation<'_>],
) -> Vec<(&'a str, HashMap<PlanOutcome, usize>)> {
    cat.themes
        .iter()
        .map(|t| {
            let mut counts: HashMap<PlanOutcome, usize> = HashMap::new();
            for e in evaluations.iter().filter(|e| e.theme == t.id) {
                *counts.entry(e.outcome).or_insert(0) += 1;
            }
            (t.id.as_str(), counts)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(period: &str, total: Option<f64>, baseline: &str, status: Status, suppressed: bool) -> MetricRow {
        MetricRow {
            period: period.into(),
            indicator_id: "x".into(),
            theme: "t".into(),
            district: "city-wide".into(),
            kind: "count_people".into(),
            women: None,
            men: None,
            total,
            female_share: None,
            parity_index: None,
            gap: None,
            sex_split: None,
            change_from_previous: None,
            change_from_baseline: None,
            baseline_common_total: None,
            baseline_period: Some(baseline.into()),
            target: None,
            target_progress: None,
            status: if suppressed && total.is_none() {
                "suppressed".into()
            } else {
                status.as_str().into()
            },
            balance_status: None,
            units_reporting: Some(1.0),
            suppressed,
            marks: [
                None,
                None,
                suppressed.then_some(crate::metrics::disclosure::Mark::Suppressed),
            ],
            suppression_reason: None,
            withheld: Vec::new(),
        }
    }

    /// The rows with the like-for-like change the metrics would give them when the same
    /// units reported every period: total − the baseline period's total.
    fn with_changes(rows: &[Option<MetricRow>]) -> Vec<Option<MetricRow>> {
        let total_in = |p: &str| rows.iter().flatten().find(|m| m.period == p).and_then(|m| m.total);
        rows.iter()
            .map(|r| {
                r.clone().map(|mut m| {
                    let base = m.baseline_period.as_deref().and_then(total_in);
                    m.change_from_baseline = m.total.zip(base).map(|(t, b)| t - b);
                    m.baseline_common_total = m.change_from_baseline.and(base);
                    m
                })
            })
            .collect()
    }

    fn outcome(rows: &[Option<MetricRow>]) -> PlanOutcome {
        let periods = ["2022", "2023", "2024"];
        let rows = &with_changes(rows);
        let refs: Vec<Option<&MetricRow>> = rows.iter().map(Option::as_ref).collect();
        let total_of = |p: &str| {
            periods
                .iter()
                .position(|x| *x == p)
                .and_then(|k| rows.get(k).cloned().flatten())
                .and_then(|m| m.total)
        };
        evaluate_series("x", "t", Some(Direction::Increase), true, refs, total_of).outcome
    }

    #[test]
    fn every_class_by_hand() {
        use Status::*;
        let r = |p, t, s| Some(row(p, Some(t), "2022", s, false));
        assert_eq!(
            outcome(&[r("2022", 2.0, NoData), r("2023", 5.0, TargetAchieved), None]),
            PlanOutcome::TargetMet
        );
        assert_eq!(
            outcome(&[r("2022", 100.0, NoData), r("2023", 150.0, Substantial), None]),
            PlanOutcome::Improved
        );
        // +1 % and −2 % (the tolerance itself) stay.
        assert_eq!(
            outcome(&[r("2022", 100.0, NoData), None, r("2024", 101.0, Moderate)]),
            PlanOutcome::Stayed
        );
        assert_eq!(
            outcome(&[r("2022", 100.0, NoData), r("2023", 98.0, Deterioration), None]),
            PlanOutcome::Stayed
        );
        assert_eq!(
            outcome(&[r("2022", 100.0, NoData), r("2023", 50.0, Deterioration), None]),
            PlanOutcome::Worsened
        );
        // The last reported period counts: a row without a total is not a report.
        assert_eq!(
            outcome(&[
                r("2022", 100.0, NoData),
                r("2023", 150.0, Substantial),
                Some(row("2024", None, "2022", NoData, false))
            ]),
            PlanOutcome::Improved
        );
        assert_eq!(
            outcome(&[None, Some(row("2023", Some(7.0), "2023", NoData, false)), None]),
            PlanOutcome::ReportedOnce
        );
        assert_eq!(outcome(&[None, None, None]), PlanOutcome::NeverReported);
        // A row without a total (a rate several units reported) is not a report.
        assert_eq!(
            outcome(&[Some(row("2022", None, "2022", NoData, false)), None, None]),
            PlanOutcome::NeverReported
        );
        // Public edition: the last row, or the baseline row, suppressed.
        assert_eq!(
            outcome(&[
                r("2022", 100.0, NoData),
                Some(row("2023", None, "2022", NoData, true)),
                None
            ]),
            PlanOutcome::Suppressed
        );
        assert_eq!(
            outcome(&[
                Some(row("2022", None, "2022", NoData, true)),
                r("2023", 50.0, Deterioration),
                None
            ]),
            PlanOutcome::Suppressed
        );
        // Internal edition: a suppressed row keeps its total and is judged as any other.
        assert_eq!(
            outcome(&[
                r("2022", 20.0, NoData),
                Some(row("2023", Some(3.0), "2022", Deterioration, true)),
                None
            ]),
            PlanOutcome::Worsened
        );
    }

    /// Issue 12: the evaluation compares like with like — a last row the metrics call
    /// not comparable is not comparable here, and the change is the like-for-like one.
    #[test]
    fn issue_12_the_evaluation_is_like_for_like() {
        let r = |p, t, s| Some(row(p, Some(t), "2022", s, false));
        assert_eq!(
            outcome(&[
                r("2022", 100.0, Status::NoData),
                r("2023", 40.0, Status::NotComparable),
                None
            ]),
            PlanOutcome::NotComparable
        );
        // Totals 100 → 100, but the units of both years went 60 → 90: increased by 50 %.
        let mut last = row("2023", Some(100.0), "2022", Status::Increase, false);
        last.change_from_baseline = Some(30.0);
        last.baseline_common_total = Some(60.0);
        let series = [r("2022", 100.0, Status::NoData), Some(last), None];
        let refs: Vec<Option<&MetricRow>> = series.iter().map(Option::as_ref).collect();
        let e = evaluate_series("x", "t", None, true, refs, |p: &str| (p == "2022").then_some(100.0));
        assert_eq!(e.outcome, PlanOutcome::Increased);
        assert_eq!(e.change, Some(30.0));
        assert_eq!(e.relative_change, Some(0.5));
    }

    #[test]
    fn a_zero_baseline_moves_only_with_a_change() {
        let up = Some(Direction::Increase);
        assert_eq!(classify_change(0.0, 0.0, up, false), PlanOutcome::Stayed);
        assert_eq!(classify_change(-1.0, 0.0, up, false), PlanOutcome::Worsened);
        assert_eq!(classify_change(2.0, -100.0, up, false), PlanOutcome::Stayed);
        assert_eq!(classify_change(-1.0, 0.0, None, false), PlanOutcome::Decreased);
        // A count of 0 → 1 is chance (1.96 · √1 ≈ 2).
        assert_eq!(classify_change(1.0, 0.0, None, true), PlanOutcome::Stayed);
    }

    /// Issue 12 (point 5): an output count without a direction is never "improved" or
    /// "worsened" — fewer trainings than at the baseline decreased.
    #[test]
    fn issue_12_an_output_count_without_a_direction_increased_or_decreased() {
        let r = |p, t| Some(row(p, Some(t), "2022", Status::NoData, false));
        let series = with_changes(&[r("2022", 100.0), r("2023", 60.0), None]);
        let refs: Vec<Option<&MetricRow>> = series.iter().map(Option::as_ref).collect();
        let total_of = |p: &str| (p == "2022").then_some(100.0);
        assert_eq!(
            evaluate_series("x", "t", None, true, refs.clone(), total_of).outcome,
            PlanOutcome::Decreased
        );
        assert_eq!(
            evaluate_series("x", "t", Some(Direction::Decrease), true, refs, total_of).outcome,
            PlanOutcome::Improved
        );
    }
}
