//! A composite equality score per theme, computed the way the EIGE Gender Equality Index
//! is: for each indicator a gap metric between women and men, corrected for the level of
//! achievement, rescaled to 1–100; theme scores are geometric means of their indicators,
//! and the overall score the geometric mean of the themes. See `docs/metrics.md`.

use super::MetricRow;
use crate::catalogue::{Catalogue, Direction, MeasureKind};

/// One indicator's values for women and men (both in the same unit, e.g. %).
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorInput {
    pub indicator_id: String,
    pub theme: String,
    pub women: f64,
    pub men: f64,
    /// The best attainable level used for the correction (EIGE: the best value across
    /// member states and years; here: 100 for percentages unless configured).
    pub max_level: f64,
    /// Whether a higher value is desirable; for negative indicators (illiteracy …) the
    /// values are turned round as `max_level − x`, as EIGE does.
    pub higher_is_better: bool,
}

/// Score of one indicator, 1–100.
///
/// With `x̄ = (women + men) / 2`, the gap `Γ = |women / x̄ − 1|` (0 = equality), the
/// correcting coefficient `α = x̄ / max_level`, the score is `1 + 99 · (1 − Γ) · α`.
/// `None` when the values make the score undefined (mean 0, negative values).
///
/// # Examples
///
/// ```
/// // İzmir's 2020 labour-force participation: women 34.7 %, men 69 %.
/// let s = yeep::metrics::eige::indicator_score(34.7, 69.0, 100.0, true).unwrap();
/// assert!((s - 35.3527).abs() < 1e-3);
/// ```
pub fn indicator_score(women: f64, men: f64, max_level: f64, higher_is_better: bool) -> Option<f64> {
    let (w, m) = if higher_is_better {
        (women, men)
    } else {
        (max_level - women, max_level - men)
    };
    if w < 0.0 || m < 0.0 || max_level <= 0.0 {
        return None;
    }
    let mean = (w + m) / 2.0;
    if mean <= 0.0 {
        return None;
    }
    let gap = (w / mean - 1.0).abs();
    let alpha = (mean / max_level).min(1.0);
    Some(1.0 + 99.0 * (1.0 - gap).max(0.0) * alpha)
}

/// Geometric mean of positive scores; `None` for an empty list.
pub fn geometric_mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() || values.iter().any(|v| *v <= 0.0) {
        return None;
    }
    Some((values.iter().map(|v| v.ln()).sum::<f64>() / values.len() as f64).exp())
}

/// A theme's score and the scores it was built from.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeScore {
    pub theme: String,
    pub score: f64,
    pub indicators: Vec<(String, f64)>,
}

/// Theme scores (themes in first-seen order) and the overall index (geometric mean of the
/// theme scores).
pub fn index(inputs: &[IndicatorInput]) -> (Vec<ThemeScore>, Option<f64>) {
    let mut themes: Vec<ThemeScore> = Vec::new();
    for i in inputs {
        let Some(s) = indicator_score(i.women, i.men, i.max_level, i.higher_is_better) else {
            continue;
        };
        match themes.iter_mut().find(|t| t.theme == i.theme) {
            Some(t) => t.indicators.push((i.indicator_id.clone(), s)),
            None => themes.push(ThemeScore {
                theme: i.theme.clone(),
                score: 0.0,
                indicators: vec![(i.indicator_id.clone(), s)],
            }),
        }
    }
    for t in &mut themes {
        let v: Vec<f64> = t.indicators.iter().map(|(_, s)| *s).collect();
        t.score = geometric_mean(&v).unwrap_or(f64::NAN);
    }
    let overall = geometric_mean(&themes.iter().map(|t| t.score).collect::<Vec<_>>());
    (themes, overall)
}

/// The EIGE-style inputs: context indicators that are rates by sex, with the latest
/// city-wide women and men values up to `period`.
pub fn inputs(cat: &Catalogue, rows: &[MetricRow], period: &str) -> Vec<IndicatorInput> {
    let mut out = Vec::new();
    for c in cat.context.iter().filter(|c| c.kind == MeasureKind::Rate && c.by_sex) {
        let latest = rows
            .iter()
            .filter(|m| {
                m.indicator_id == c.id
                    && m.district == cat.city_wide()
                    && m.period.as_str() <= period
                    && m.women.is_some()
                    && m.men.is_some()
            })
            .max_by(|a, b| a.period.cmp(&b.period));
        let (w, m) = match latest {
            Some(r) => (r.women, r.men),
            None => (c.baseline.female, c.baseline.male),
        };
        if let (Some(w), Some(m)) = (w, m) {
            out.push(IndicatorInput {
                indicator_id: c.id.clone(),
                theme: c.theme.clone(),
                women: w,
                men: m,
                max_level: if c.unit == "‰" { 1000.0 } else { 100.0 },
                higher_is_better: c.direction != Some(Direction::Decrease),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of docs/metrics.md, computed by hand.
    #[test]
    fn worked_example() {
        // LFPR: w 34.7, m 69 → x̄ 51.85, Γ = |34.7/51.85 − 1| = 0.330761…, α = 0.5185
        // score = 1 + 99 × 0.669238… × 0.5185 = 35.3527…
        let lfpr = indicator_score(34.7, 69.0, 100.0, true).unwrap();
        assert!((lfpr - 35.3527).abs() < 1e-3, "{lfpr}");
        // Employment: w 27.2, m 58.9 → x̄ 43.05, Γ = 0.368176…, α = 0.4305 → 27.9277…
        let emp = indicator_score(27.2, 58.9, 100.0, true).unwrap();
        assert!((emp - 27.9277).abs() < 1e-3, "{emp}");
        // Illiteracy (lower is better): 100 − x: w 97.96, m 99.62 → x̄ 98.79,
        // Γ = 0.0084016…, α = 0.9879 → 1 + 99 × 0.991598 × 0.9879 = 97.9807…
        let lit = indicator_score(2.04, 0.38, 100.0, false).unwrap();
        assert!((lit - 97.9807).abs() < 1e-3, "{lit}");
        // Theme "istihdam" = geometric mean of 35.3527 and 27.9277 = 31.4218…
        let (themes, overall) = index(&[
            IndicatorInput {
                indicator_id: "a".into(),
                theme: "istihdam".into(),
                women: 34.7,
                men: 69.0,
                max_level: 100.0,
                higher_is_better: true,
            },
            IndicatorInput {
                indicator_id: "b".into(),
                theme: "istihdam".into(),
                women: 27.2,
                men: 58.9,
                max_level: 100.0,
                higher_is_better: true,
            },
            IndicatorInput {
                indicator_id: "c".into(),
                theme: "egitim".into(),
                women: 2.04,
                men: 0.38,
                max_level: 100.0,
                higher_is_better: false,
            },
        ]);
        assert_eq!(themes.len(), 2);
        assert!((themes[0].score - 31.4218).abs() < 1e-3, "{}", themes[0].score);
        // Overall = sqrt(31.4218 × 97.9807) = 55.4867…
        assert!((overall.unwrap() - 55.4867).abs() < 1e-2, "{overall:?}");
    }

    #[test]
    fn equality_at_full_level_scores_100() {
        assert!((indicator_score(100.0, 100.0, 100.0, true).unwrap() - 100.0).abs() < 1e-9);
        assert!((indicator_score(0.0, 0.0, 100.0, true)).is_none());
    }
}
