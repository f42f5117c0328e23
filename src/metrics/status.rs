//! Progress status the way Open SDG's sdg-build `ProgressMeasure` computes it
//! (`sdg/ProgressMeasure.py`, `SeriesProgress`, at commit 139fede): the compound annual growth rate (CAGR) since
//! the base year, compared with the growth needed to reach the target on time
//! (`sign · direction · CAGR_o / |CAGR_r|`), or — without a target — with fixed growth
//! thresholds, in the indicator's desired direction. An indicator with neither a target nor
//! a direction (an output count: trainings, posters) gets neutral words (increase,
//! decrease, no change), never "deterioration". A change within the minimum-change rule
//! ([`is_notable_change`]) is "no change". See `docs/metrics.md`.

use crate::catalogue::Direction;

/// A progress status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// The target is reached.
    TargetAchieved,
    /// On track (sdg-build `substantial_progress`): ratio ≥ 0.95, or CAGR ≥ 1.5 % in the
    /// desired direction without a target.
    Substantial,
    /// Progress, acceleration needed: 0.6 ≤ ratio < 0.95, or 0.5 % ≤ CAGR < 1.5 %.
    Moderate,
    /// Limited progress: 0 ≤ ratio < 0.6, or 0 ≤ CAGR < 0.5 %.
    Limited,
    /// Deterioration: ratio < 0, or CAGR < 0 (against the desired direction).
    Deterioration,
    /// No target, no desired direction: the total rose by more than the minimum change.
    Increase,
    /// No target, no desired direction: the total fell by more than the minimum change.
    Decrease,
    /// No target: the total moved less than the minimum change ([`is_notable_change`]).
    NoChange,
    /// The units that reported in both periods are too few of those that reported in
    /// either (`[metrics] min_coverage`): the change would compare different things.
    NotComparable,
    /// Fewer than two years of data, or values where growth is undefined.
    NoData,
}

impl Status {
    /// Every status, in the order the workbook lists them.
    pub const ALL: [Status; 10] = [
        Status::TargetAchieved,
        Status::Substantial,
        Status::Moderate,
        Status::Limited,
        Status::Deterioration,
        Status::Increase,
        Status::Decrease,
        Status::NoChange,
        Status::NotComparable,
        Status::NoData,
    ];

    /// The stable code used in `metrics.status`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::TargetAchieved => "target_achieved",
            Status::Substantial => "substantial_progress",
            Status::Moderate => "moderate_progress",
            Status::Limited => "limited_progress",
            Status::Deterioration => "deterioration",
            Status::Increase => "increase",
            Status::Decrease => "decrease",
            Status::NoChange => "no_change",
            Status::NotComparable => "not_comparable",
            Status::NoData => "no_data",
        }
    }

    /// The label for the workbook.
    pub fn label(self, lang: crate::model::lang::Lang) -> &'static str {
        match self {
            Status::TargetAchieved => lang.pick("Hedefe ulaşıldı", "Target achieved"),
            Status::Substantial => lang.pick("Önemli ilerleme", "Substantial progress"),
            Status::Moderate => lang.pick("Orta düzey ilerleme", "Moderate progress"),
            Status::Limited => lang.pick("Sınırlı ilerleme", "Limited progress"),
            Status::Deterioration => lang.pick("Gerileme", "Deterioration"),
            Status::Increase => lang.pick("Artış", "Increase"),
            Status::Decrease => lang.pick("Azalış", "Decrease"),
            Status::NoChange => lang.pick("Değişmedi", "No change"),
            Status::NotComparable => lang.pick("Karşılaştırılamaz", "Not comparable"),
            Status::NoData => lang.pick("Veri yok", "No data"),
        }
    }

    /// Parses [`Status::as_str`] back (`no_data` for anything else).
    pub fn from_code(s: &str) -> Status {
        Status::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .unwrap_or(Status::NoData)
    }

    /// Whether the status judges progress (toward a target or in a desired direction),
    /// rather than only describing the change.
    pub fn judges_progress(self) -> bool {
        matches!(
            self,
            Status::TargetAchieved | Status::Substantial | Status::Moderate | Status::Limited | Status::Deterioration
        )
    }
}

/// What the status is computed from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProgressInput {
    pub base_year: i32,
    pub base_value: f64,
    pub current_year: i32,
    pub current_value: f64,
    /// Target value and target year.
    pub target: Option<(f64, i32)>,
    /// The desired direction (sdg-build `direction`), when the catalogue gives one.
    pub direction: Option<Direction>,
    /// A count (people, things): the minimum-change rule allows for chance variation.
    pub is_count: bool,
}

/// sdg-build thresholds with a target (ratio of observed to required CAGR).
const RATIO_HIGH: f64 = 0.95;
const RATIO_MED: f64 = 0.6;
/// sdg-build thresholds without a target (observed CAGR).
const CAGR_HIGH: f64 = 0.015;
const CAGR_MED: f64 = 0.005;
/// The minimum change: a change within this share of the base value, either way, is no
/// change (the same tolerance as the end-of-plan evaluation's "stayed").
pub const MIN_RELATIVE_CHANGE: f64 = 0.02;
/// The minimum change of a count: within `Z · √(y₀ + yₜ)` of zero, the change is within
/// what chance alone gives two Poisson counts (a 95 % two-sided band).
pub const POISSON_Z: f64 = 1.96;

/// sdg-build's `growth_calculation`: `(current / base) ^ (1 / (t − t0)) − 1`; `None` where
/// it is undefined (a zero base, values of opposite signs, no time between them).
fn cagr(current: f64, base: f64, t: f64, t0: f64) -> Option<f64> {
    if base == 0.0 || t <= t0 || current / base < 0.0 {
        return None;
    }
    let g = (current / base).powf(1.0 / (t - t0)) - 1.0;
    g.is_finite().then_some(g)
}

fn sign_of(d: Direction) -> f64 {
    match d {
        Direction::Increase => 1.0,
        Direction::Decrease => -1.0,
    }
}

/// The minimum-change rule: whether `base → current` moved by more than
/// [`MIN_RELATIVE_CHANGE`] of the base, and, for counts, by more than chance
/// ([`POISSON_Z`] · √(base + current)). A count of 12 that becomes 13 has not moved.
///
/// ```
/// use yeep::metrics::status::is_notable_change;
/// assert!(!is_notable_change(12.0, 13.0, true));
/// assert!(is_notable_change(1000.0, 1100.0, true));
/// assert!(!is_notable_change(12.0, 12.2, false));
/// assert!(is_notable_change(12.0, 13.0, false));
/// ```
pub fn is_notable_change(base: f64, current: f64, is_count: bool) -> bool {
    let change = (current - base).abs();
    let relative = MIN_RELATIVE_CHANGE * base.abs();
    let chance = if is_count {
        POISSON_Z * (base.abs() + current.abs()).sqrt()
    } else {
        0.0
    };
    change > relative.max(chance)
}

/// The status of one series.
///
/// # Examples
///
/// ```
/// use yeep::catalogue::Direction;
/// use yeep::metrics::status::{status, ProgressInput, Status};
/// // 100 → 121 in two years is 10 % a year; the target 200 in 2024 needs ~26 % a year.
/// let s = status(&ProgressInput { base_year: 2022, base_value: 100.0, current_year: 2024,
///     current_value: 121.0, target: Some((200.0, 2024)), direction: Some(Direction::Increase),
///     is_count: true });
/// assert_eq!(s, Status::Limited);
/// ```
pub fn status(p: &ProgressInput) -> Status {
    if p.current_year <= p.base_year {
        return Status::NoData;
    }
    // sdg-build's `sign`: a negative base value turns the growth around.
    let sign = if p.base_value < 0.0 { -1.0 } else { 1.0 };
    match p.target {
        Some((target, target_year)) => {
            // A plan's target without a declared direction is a level to reach or keep
            // ("at least four a year"); a target to fall to declares `decrease`.
            let direction = p.direction.unwrap_or(Direction::Increase);
            let reached = match direction {
                Direction::Increase => p.current_value >= target,
                Direction::Decrease => p.current_value <= target,
            };
            if reached {
                return Status::TargetAchieved;
            }
            let target = if target == 0.0 { 0.001 } else { target };
            let (Some(observed), Some(required)) = (
                cagr(p.current_value, p.base_value, p.current_year as f64, p.base_year as f64),
                cagr(target, p.base_value, target_year as f64, p.base_year as f64),
            ) else {
                return Status::NoData;
            };
            let progress = sign * sign_of(direction) * observed;
            if required == 0.0 {
                // The target is the base value, not reached: any move is the wrong way.
                return if progress < 0.0 {
                    Status::Deterioration
                } else {
                    Status::NoData
                };
            }
            classify(progress / required.abs(), RATIO_HIGH, RATIO_MED)
        }
        None => {
            if !is_notable_change(p.base_value, p.current_value, p.is_count) {
                return Status::NoChange;
            }
            match p.direction {
                None if p.current_value > p.base_value => Status::Increase,
                None => Status::Decrease,
                Some(direction) => {
                    match cagr(p.current_value, p.base_value, p.current_year as f64, p.base_year as f64) {
                        Some(g) => classify(sign * sign_of(direction) * g, CAGR_HIGH, CAGR_MED),
                        None => Status::NoData,
                    }
                }
            }
        }
    }
}

fn classify(v: f64, high: f64, med: f64) -> Status {
    if v >= high {
        Status::Substantial
    } else if v >= med {
        Status::Moderate
    } else if v >= 0.0 {
        Status::Limited
    } else {
        Status::Deterioration
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(b: f64, c: f64, years: i32, target: Option<(f64, i32)>) -> ProgressInput {
        ProgressInput {
            base_year: 2022,
            base_value: b,
            current_year: 2022 + years,
            current_value: c,
            target,
            direction: Some(Direction::Increase),
            is_count: false,
        }
    }

    fn dir(mut i: ProgressInput, d: Option<Direction>) -> ProgressInput {
        i.direction = d;
        i
    }

    #[test]
    fn without_target_uses_cagr_thresholds() {
        assert_eq!(status(&p(100.0, 103.0, 1, None)), Status::Substantial); // 3 %
        assert_eq!(status(&p(100.0, 103.0, 3, None)), Status::Moderate); // ~1 % a year
        assert_eq!(status(&p(100.0, 103.0, 7, None)), Status::Limited); // ~0.4 % a year
        assert_eq!(status(&p(100.0, 97.0, 1, None)), Status::Deterioration);
        assert_eq!(status(&p(100.0, 120.0, 0, None)), Status::NoData);
        assert_eq!(status(&p(0.0, 120.0, 1, None)), Status::NoData);
    }

    #[test]
    fn with_target_uses_growth_ratio() {
        // Required: 100 → 144 over 2 years = 20 %/yr. Observed 100 → 120 in 1 year = 20 %: ratio 1.
        assert_eq!(status(&p(100.0, 120.0, 1, Some((144.0, 2024)))), Status::Substantial);
        // Observed 10 %: ratio 0.5 → limited.
        assert_eq!(status(&p(100.0, 110.0, 1, Some((144.0, 2024)))), Status::Limited);
        // Observed 15 %: ratio 0.75 → moderate.
        assert_eq!(status(&p(100.0, 115.0, 1, Some((144.0, 2024)))), Status::Moderate);
        assert_eq!(status(&p(100.0, 90.0, 1, Some((144.0, 2024)))), Status::Deterioration);
        assert_eq!(status(&p(100.0, 150.0, 1, Some((144.0, 2024)))), Status::TargetAchieved);
    }

    /// Issue 12 (wrong number 1): a decrease is good where the catalogue says so —
    /// illiteracy 1.24 → 1.21 is progress, not deterioration.
    #[test]
    fn issue_12_a_decrease_is_progress_where_the_direction_is_decrease() {
        let i = dir(p(1.24, 1.21, 1, None), Some(Direction::Decrease));
        // −2.4 % a year, turned by the direction: +2.4 % ≥ 1.5 %.
        assert_eq!(status(&i), Status::Substantial);
        let i = dir(p(1.21, 1.24, 1, None), Some(Direction::Decrease));
        assert_eq!(status(&i), Status::Deterioration);
    }

    /// Issue 12 (wrong number 2): with a target, sdg-build's `sign · direction · CAGR_o /
    /// |CAGR_r|` — 5 → 3 against a target of 4 is deterioration (the ratio without its
    /// sign and absolute value, −40 % / −10.6 %, read as "substantial progress").
    #[test]
    fn issue_12_with_a_target_the_ratio_keeps_the_sign_and_the_direction() {
        // No declared direction: a target is a level to reach (increase). 5 → 3 against 4:
        // required CAGR (4/5)^(1/2) − 1 < 0, |·| keeps the observed fall negative.
        assert_eq!(
            status(&dir(p(5.0, 3.0, 1, Some((4.0, 2024))), None)),
            Status::Deterioration
        );
        // Target 8: 5 → 3 fell (CAGR −40 %), required +26 %: ratio about −1.5.
        assert_eq!(
            status(&dir(p(5.0, 3.0, 1, Some((8.0, 2024))), None)),
            Status::Deterioration
        );
        // A level kept: 5 → 6 against "at least 4" is reached.
        assert_eq!(
            status(&dir(p(5.0, 6.0, 1, Some((4.0, 2024))), None)),
            Status::TargetAchieved
        );
        // A target to fall to: 5 → 3 against 4 with direction decrease is reached.
        assert_eq!(
            status(&dir(p(5.0, 3.0, 1, Some((4.0, 2024))), Some(Direction::Decrease))),
            Status::TargetAchieved
        );
        // A decrease target met halfway on time: 100 → 90 in one year of two toward 81.
        assert_eq!(
            status(&dir(p(100.0, 90.0, 1, Some((81.0, 2024))), Some(Direction::Decrease))),
            Status::Substantial
        );
    }

    /// Issue 12 (point 5): no target and no direction — neutral words, never
    /// "deterioration"; a count of 12 that moves by one has not moved.
    #[test]
    fn issue_12_output_counts_without_target_or_direction_get_neutral_words() {
        let count = |b: f64, c: f64| ProgressInput {
            is_count: true,
            ..dir(p(b, c, 1, None), None)
        };
        assert_eq!(status(&count(12.0, 11.0)), Status::NoChange);
        assert_eq!(status(&count(12.0, 13.0)), Status::NoChange);
        assert_eq!(status(&count(120.0, 80.0)), Status::Decrease);
        assert_eq!(status(&count(80.0, 120.0)), Status::Increase);
        // A zero base has no growth rate but a direction of change.
        assert_eq!(status(&count(0.0, 40.0)), Status::Increase);
        // The same small change of a directional count is no change either.
        let directional = ProgressInput {
            is_count: true,
            ..p(12.0, 11.0, 1, None)
        };
        assert_eq!(status(&directional), Status::NoChange);
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.as_str()), s);
        }
    }

    #[test]
    fn the_minimum_change_rule() {
        // 2 % of the base for every kind.
        assert!(!is_notable_change(100.0, 101.9, false));
        assert!(is_notable_change(100.0, 102.1, false));
        // Counts: also beyond 1.96 · √(y₀ + yₜ): 400 → 440 (√840 · 1.96 ≈ 56.8) is chance.
        assert!(!is_notable_change(400.0, 440.0, true));
        assert!(is_notable_change(400.0, 460.0, true));
    }
}
