//! Primary suppression: the rules that make one cell sensitive on its own (ESS Handbook on
//! SDC, Hundepool et al., ch. 4; τ-ARGUS terms): the threshold rule, the frequency
//! (minimum-contributors) rule and a dominance rule, tried in that order.
//!
//! Contributors are the cell's positive contributions: a unit that contributes zero learns
//! nothing more by subtracting itself than an outsider, and reveals nothing of its own.

use super::Cell;

/// Below this a residual or a contribution is zero (floating-point noise in sums of counts).
const EPS: f64 = 1e-9;

/// The primary-suppression rules (from the pipeline file's [disclosure]).
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    /// Threshold rule: a count c with 0 < c < threshold is sensitive. (default 5)
    pub threshold: u32,
    /// Frequency (minimum-contributors) rule: a non-zero cell made of at least 2 but fewer
    /// than `min_contributors` units is sensitive. A lone contributor is judged by the
    /// threshold alone (the only one who could subtract is the unit itself). Default 2
    /// (the rule then never fires); 3 makes every two-unit cell sensitive.
    pub min_contributors: u32,
    /// The dominance rule (default [`Dominance::Residual`]).
    pub dominance: Dominance,
}

impl Default for Rules {
    /// Threshold 5, minimum contributors 2 (off), residual dominance.
    fn default() -> Self {
        Self {
            threshold: 5,
            min_contributors: 2,
            dominance: Dominance::Residual,
        }
    }
}

/// The dominance rule: whether one contributor could learn too much about the others.
#[derive(Debug, Clone, PartialEq)]
pub enum Dominance {
    /// Default. The intruder is a contributor who subtracts its own figure: a cell is
    /// sensitive when for its largest contributor x1 the rest R = total − x1 satisfies
    /// 0 < R < threshold (the other units' combined count, learnt exactly, is small).
    /// (Since R is smallest for the largest contributor, checking x1 covers every contributor.)
    Residual,
    /// τ-ARGUS / ESS p%-rule: sensitive when total − x1 − x2 < p/100 · x1 (x1 ≥ x2 the two
    /// largest contributions; a cell with a single contributor is NOT judged by this rule —
    /// the threshold covers it).
    PPercent(f64),
    /// No dominance rule.
    Off,
}

/// Why a cell is primary-sensitive (first rule that fires, in this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum PrimaryRule {
    /// 0 < value < threshold.
    Threshold,
    /// 2 ≤ contributors < min_contributors.
    Contributors,
    /// The dominance rule fired.
    Dominance,
}

impl PrimaryRule {
    /// The rule's code in outputs: `"threshold"`, `"contributors"` or `"dominance"`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Threshold => "threshold",
            Self::Contributors => "contributors",
            Self::Dominance => "dominance",
        }
    }
}

/// The threshold rule: a count above zero and below the threshold.
pub fn is_small(v: Option<f64>, threshold: u32) -> bool {
    v.is_some_and(|v| v > 0.0 && v < f64::from(threshold))
}

/// The primary rule a cell breaks, if any. Zero is never sensitive; every rule only
/// applies to value > 0. Non-finite or negative values: return None (not a count).
pub fn primary(cell: &Cell, rules: &Rules) -> Option<PrimaryRule> {
    let v = cell.value;
    if !v.is_finite() || v <= 0.0 {
        return None;
    }
    if is_small(Some(v), rules.threshold) {
        return Some(PrimaryRule::Threshold);
    }
    let threshold = f64::from(rules.threshold);
    // Positive contributions, largest first (NaN contributions are no contributions).
    let mut xs: Vec<f64> = cell
        .contributions
        .iter()
        .copied()
        .filter(|x| *x > EPS && x.is_finite())
        .collect();
    xs.sort_by(|a, b| b.total_cmp(a));
    let n = xs.len();
    if n >= 2 && n < rules.min_contributors as usize {
        return Some(PrimaryRule::Contributors);
    }
    let dominated = match rules.dominance {
        Dominance::Residual => xs.first().is_some_and(|x1| {
            let rest = v - x1;
            rest > EPS && rest < threshold
        }),
        Dominance::PPercent(p) => match xs.as_slice() {
            [x1, x2, ..] => v - x1 - x2 < p / 100.0 * x1,
            _ => false,
        },
        Dominance::Off => false,
    };
    dominated.then_some(PrimaryRule::Dominance)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(value: f64, contributions: &[f64]) -> Cell {
        Cell {
            value,
            contributions: contributions.to_vec(),
        }
    }

    fn off() -> Rules {
        Rules {
            dominance: Dominance::Off,
            ..Rules::default()
        }
    }

    #[test]
    fn threshold_rule_flags_one_to_four_at_five_not_zero_nor_five() {
        let r = off();
        assert_eq!(primary(&cell(0.0, &[]), &r), None);
        for v in 1..5 {
            assert_eq!(
                primary(&cell(f64::from(v), &[f64::from(v)]), &r),
                Some(PrimaryRule::Threshold),
                "{v}"
            );
        }
        assert_eq!(primary(&cell(5.0, &[5.0]), &r), None);
        assert_eq!(primary(&cell(0.5, &[]), &r), Some(PrimaryRule::Threshold));
    }

    #[test]
    fn not_a_count_is_never_sensitive() {
        let r = Rules::default();
        for v in [-1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(primary(&cell(v, &[1.0]), &r), None, "{v}");
        }
    }

    #[test]
    fn contributors_rule_at_three_flags_two_units_not_one_nor_three() {
        let r = Rules {
            min_contributors: 3,
            ..off()
        };
        assert_eq!(primary(&cell(20.0, &[10.0, 10.0]), &r), Some(PrimaryRule::Contributors));
        assert_eq!(primary(&cell(10.0, &[10.0]), &r), None);
        assert_eq!(primary(&cell(30.0, &[10.0, 10.0, 10.0]), &r), None);
        // A zero contribution is no contributor.
        assert_eq!(
            primary(&cell(20.0, &[10.0, 10.0, 0.0]), &r),
            Some(PrimaryRule::Contributors)
        );
        // Default 2: never fires.
        assert_eq!(primary(&cell(20.0, &[10.0, 10.0]), &off()), None);
    }

    #[test]
    fn residual_dominance_flags_a_district_where_one_unit_leaves_a_small_rest() {
        let r = Rules::default();
        // The real case: municipality 40 + women's-studies unit 2 = 42; the municipality
        // learns the unit's 2.
        assert_eq!(primary(&cell(42.0, &[40.0, 2.0]), &r), Some(PrimaryRule::Dominance));
        assert_eq!(primary(&cell(50.0, &[40.0, 10.0]), &r), None);
        assert_eq!(primary(&cell(42.0, &[42.0]), &r), None);
        // Order of the contributions does not matter.
        assert_eq!(primary(&cell(42.0, &[2.0, 40.0]), &r), Some(PrimaryRule::Dominance));
    }

    #[test]
    fn p_percent_rule_at_ten_flags_30_3_1_not_30_10_10_nor_a_single_unit() {
        let r = Rules {
            dominance: Dominance::PPercent(10.0),
            ..Rules::default()
        };
        assert_eq!(
            primary(&cell(34.0, &[30.0, 3.0, 1.0]), &r),
            Some(PrimaryRule::Dominance)
        );
        assert_eq!(primary(&cell(50.0, &[30.0, 10.0, 10.0]), &r), None);
        assert_eq!(primary(&cell(30.0, &[30.0]), &r), None);
    }

    #[test]
    fn first_rule_wins_in_order_threshold_contributors_dominance() {
        let r = Rules {
            min_contributors: 3,
            ..Rules::default()
        };
        assert_eq!(primary(&cell(3.0, &[2.0, 1.0]), &r), Some(PrimaryRule::Threshold));
        assert_eq!(primary(&cell(42.0, &[40.0, 2.0]), &r), Some(PrimaryRule::Contributors));
        assert_eq!(PrimaryRule::Threshold.code(), "threshold");
        assert_eq!(PrimaryRule::Contributors.code(), "contributors");
        assert_eq!(PrimaryRule::Dominance.code(), "dominance");
    }
}
