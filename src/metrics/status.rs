//! Progress status the way Open SDG's sdg-build `ProgressMeasure` computes it: the
//! compound annual growth rate (CAGR) since the base year, compared with the growth needed
//! to reach the target on time, or — without a target — with fixed growth thresholds.
//! See `docs/metrics.md`.

/// A progress status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The target is reached.
    TargetAchieved,
    /// On track (sdg-build `on_track`): ratio ≥ 0.95, or CAGR ≥ 1.5 % without a target.
    Substantial,
    /// Progress, acceleration needed: 0.6 ≤ ratio < 0.95, or 0.5 % ≤ CAGR < 1.5 %.
    Moderate,
    /// Limited progress: 0 ≤ ratio < 0.6, or 0 ≤ CAGR < 0.5 %.
    Limited,
    /// Deterioration: ratio < 0, or CAGR < 0.
    Deterioration,
    /// Fewer than two years of data, or values where growth is undefined.
    NoData,
}

impl Status {
    /// The stable code used in `metrics.status`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::TargetAchieved => "target_achieved",
            Status::Substantial => "substantial_progress",
            Status::Moderate => "moderate_progress",
            Status::Limited => "limited_progress",
            Status::Deterioration => "deterioration",
            Status::NoData => "no_data",
        }
    }

    /// Turkish label for the workbook.
    pub fn label(self, lang: crate::model::lang::Lang) -> &'static str {
        match self {
            Status::TargetAchieved => lang.pick("Hedefe ulaşıldı", "Target achieved"),
            Status::Substantial => lang.pick("Önemli ilerleme", "Substantial progress"),
            Status::Moderate => lang.pick("Orta düzey ilerleme", "Moderate progress"),
            Status::Limited => lang.pick("Sınırlı ilerleme", "Limited progress"),
            Status::Deterioration => lang.pick("Gerileme", "Deterioration"),
            Status::NoData => lang.pick("Veri yok", "No data"),
        }
    }

    /// Parses [`Status::as_str`] back.
    pub fn from_code(s: &str) -> Status {
        match s {
            "target_achieved" => Status::TargetAchieved,
            "substantial_progress" => Status::Substantial,
            "moderate_progress" => Status::Moderate,
            "limited_progress" => Status::Limited,
            "deterioration" => Status::Deterioration,
            _ => Status::NoData,
        }
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
    /// The desired direction (sdg-build `direction`): true for "positive".
    pub increase_is_good: bool,
}

/// sdg-build thresholds with a target (ratio of observed to required CAGR).
const RATIO_HIGH: f64 = 0.95;
const RATIO_MED: f64 = 0.6;
/// sdg-build thresholds without a target (observed CAGR).
const CAGR_HIGH: f64 = 0.015;
const CAGR_MED: f64 = 0.005;

fn cagr(current: f64, base: f64, t: f64, t0: f64) -> Option<f64> {
    if base <= 0.0 || current < 0.0 || t <= t0 {
        return None;
    }
    let g = (current / base).powf(1.0 / (t - t0)) - 1.0;
    g.is_finite().then_some(g)
}

/// The status of one series.
///
/// # Examples
///
/// ```
/// use yeep::metrics::status::{status, ProgressInput, Status};
/// // 100 → 121 in two years is 10 % a year; the target 200 in 2024 needs ~26 % a year.
/// let s = status(&ProgressInput { base_year: 2022, base_value: 100.0, current_year: 2024,
///     current_value: 121.0, target: Some((200.0, 2024)), increase_is_good: true });
/// assert_eq!(s, Status::Limited);
/// ```
pub fn status(p: &ProgressInput) -> Status {
    if p.current_year <= p.base_year {
        return Status::NoData;
    }
    let d = if p.increase_is_good { 1.0 } else { -1.0 };
    match p.target {
        Some((target, target_year)) => {
            if (p.increase_is_good && p.current_value >= target) || (!p.increase_is_good && p.current_value <= target) {
                return Status::TargetAchieved;
            }
            let target = if target == 0.0 { 0.001 } else { target };
            let (Some(observed), Some(required)) = (
                cagr(p.current_value, p.base_value, p.current_year as f64, p.base_year as f64),
                cagr(target, p.base_value, target_year as f64, p.base_year as f64),
            ) else {
                return Status::NoData;
            };
            if required == 0.0 {
                return Status::NoData;
            }
            classify(observed / required, RATIO_HIGH, RATIO_MED)
        }
        None => match cagr(p.current_value, p.base_value, p.current_year as f64, p.base_year as f64) {
            Some(g) => classify(d * g, CAGR_HIGH, CAGR_MED),
            None => Status::NoData,
        },
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
            increase_is_good: true,
        }
    }

    #[test]
    fn without_target_uses_cagr_thresholds() {
        assert_eq!(status(&p(100.0, 102.0, 1, None)), Status::Substantial); // 2 %
        assert_eq!(status(&p(100.0, 101.0, 1, None)), Status::Moderate); // 1 %
        assert_eq!(status(&p(100.0, 100.2, 1, None)), Status::Limited); // 0.2 %
        assert_eq!(status(&p(100.0, 99.0, 1, None)), Status::Deterioration);
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

    #[test]
    fn decrease_is_good() {
        let mut i = p(100.0, 90.0, 1, None);
        i.increase_is_good = false;
        assert_eq!(status(&i), Status::Substantial);
    }
}
