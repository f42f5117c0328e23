//! The attacker's side: what a published table lets one infer about its suppressed cells.
//!
//! The attacker knows a linear system over non-negative unknowns ([`Knowledge`]): one
//! unknown per cell, published cells fixed to their values, and the table's additive
//! relations. The feasible interval of a cell ([`feasible_interval`]) is the minimum and the
//! maximum of its unknown under that system: two linear programs (solved with `microlp`).
//! That is the LP relaxation: it contains every integer solution, so an integer attacker
//! knows no more than the interval rounded inward ([`Interval::width`]).
//!
//! Before solving, the system is presolved: duplicate terms are merged, unknowns fixed by a
//! one-unknown equation are substituted into the others (repeatedly), and only the equations
//! connected to the asked unknown are handed to the solver. A fixed unknown needs no LP; an
//! unknown in no remaining equation is `[0, ∞)`.

use std::collections::VecDeque;

use microlp::{ComparisonOp, OptimizationDirection, Problem, Status};

use super::{Protection, Table};

/// Absolute tolerance of the presolve (an equation with no unknowns left must have
/// |rhs| ≤ this, scaled by the size of its terms).
const TOL: f64 = 1e-6;

/// What an attacker knows, as a linear system over non-negative variables.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Knowledge {
    /// The number of variables (indices `0..n_vars`); each is ≥ 0.
    pub n_vars: usize,
    /// Σ coeff·x = rhs
    pub equations: Vec<(Vec<(usize, f64)>, f64)>,
}

/// The feasible interval of one variable: lower and upper bound (upper may be f64::INFINITY).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Interval {
    /// The minimum of the variable (≥ 0).
    pub lower: f64,
    /// The maximum of the variable; `f64::INFINITY` when unbounded.
    pub upper: f64,
}

impl Interval {
    /// The interval rounded inward to integers: `(ceil(lower − 1e-6), floor(upper + 1e-6))`
    /// (the upper bound stays infinite when it is).
    pub fn rounded(&self) -> (f64, f64) {
        ((self.lower - 1e-6).ceil(), (self.upper + 1e-6).floor())
    }

    /// Counts are integers: the attacker may round inward (lower = ceil(lower − 1e-6),
    /// upper = floor(upper + 1e-6)); width = upper − lower of the rounded interval
    /// (INFINITY when unbounded). Negative when no integer lies in the interval.
    pub fn width(&self) -> f64 {
        if self.upper.is_infinite() {
            return f64::INFINITY;
        }
        let (lo, hi) = self.rounded();
        hi - lo
    }

    /// width() ≥ threshold as f64.
    pub fn protects(&self, threshold: u32) -> bool {
        self.width() >= f64::from(threshold)
    }
}

/// Why an interval could not be computed. Every variant means the run must fail: the
/// knowledge is malformed or inconsistent (a bug upstream), or the solver failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AuditError {
    /// A variable index (asked for, or in an equation) is not below `n_vars`.
    #[error("variable {var} out of range (the system has {n_vars} variables)")]
    OutOfRange {
        /// The offending index.
        var: usize,
        /// The number of variables of the system.
        n_vars: usize,
    },
    /// An equation has a non-finite coefficient or right-hand side (e.g. a NaN cell value).
    #[error("equation {equation} has a non-finite coefficient or right-hand side")]
    NotFinite {
        /// The index of the equation in [`Knowledge::equations`].
        equation: usize,
    },
    /// The presolve found an equation that cannot hold (e.g. a published total that is not
    /// the sum of its published parts, or a negative published value).
    #[error("equation {equation} contradicts the others: the knowledge is inconsistent")]
    Inconsistent {
        /// The index of the equation in [`Knowledge::equations`].
        equation: usize,
    },
    /// The solver found no non-negative solution: the knowledge is inconsistent.
    #[error("no non-negative solution while bounding variable {var}: the knowledge is inconsistent")]
    Infeasible {
        /// The variable being bounded.
        var: usize,
    },
    /// The solver failed, or returned something other than a proven optimum.
    #[error("LP solver failed while bounding variable {var}: {message}")]
    Solver {
        /// The variable being bounded.
        var: usize,
        /// The solver's message.
        message: String,
    },
}

/// A presolved system: fixed values, and the equations left over free variables only.
#[derive(Debug)]
pub(crate) struct Presolved {
    fixed: Vec<Option<f64>>,
    /// Equations over unfixed variables (each with ≥ 2 terms, no duplicates, no zeros).
    equations: Vec<(Vec<(usize, f64)>, f64)>,
    /// For each variable, the indices of the equations (in `equations`) it occurs in.
    occurs: Vec<Vec<usize>>,
}

/// Validates, merges duplicate terms, substitutes fixed variables until nothing changes.
pub(crate) fn presolve(k: &Knowledge) -> Result<Presolved, AuditError> {
    let n = k.n_vars;
    // Normalised equations: sorted, merged terms without zeros.
    let mut eqs: Vec<(Vec<(usize, f64)>, f64)> = Vec::with_capacity(k.equations.len());
    for (e, (terms, rhs)) in k.equations.iter().enumerate() {
        if !rhs.is_finite() || terms.iter().any(|(_, c)| !c.is_finite()) {
            return Err(AuditError::NotFinite { equation: e });
        }
        if let Some(&(var, _)) = terms.iter().find(|(v, _)| *v >= n) {
            return Err(AuditError::OutOfRange { var, n_vars: n });
        }
        let mut t = terms.clone();
        t.sort_by_key(|(v, _)| *v);
        let mut merged: Vec<(usize, f64)> = Vec::with_capacity(t.len());
        for (v, c) in t {
            match merged.last_mut() {
                Some((lv, lc)) if *lv == v => *lc += c,
                _ => merged.push((v, c)),
            }
        }
        merged.retain(|(_, c)| *c != 0.0);
        eqs.push((merged, *rhs));
    }
    let mut fixed: Vec<Option<f64>> = vec![None; n];
    let mut done = vec![false; eqs.len()];
    loop {
        let mut changed = false;
        for (e, (terms, rhs)) in eqs.iter().enumerate() {
            if done[e] {
                continue;
            }
            let mut rest = *rhs;
            let mut scale = rhs.abs();
            let mut free: Vec<(usize, f64)> = Vec::new();
            for &(v, c) in terms {
                match fixed[v] {
                    Some(x) => {
                        rest -= c * x;
                        scale += (c * x).abs();
                    }
                    None => free.push((v, c)),
                }
            }
            match free.as_slice() {
                [] => {
                    if rest.abs() > TOL * scale.max(1.0) {
                        return Err(AuditError::Inconsistent { equation: e });
                    }
                    done[e] = true;
                }
                [(v, c)] => {
                    let x = rest / c;
                    if x < -TOL * scale.max(1.0) {
                        return Err(AuditError::Inconsistent { equation: e });
                    }
                    fixed[*v] = Some(x.max(0.0));
                    done[e] = true;
                    changed = true;
                }
                _ => {}
            }
        }
        if !changed {
            break;
        }
    }
    let mut equations = Vec::new();
    let mut occurs = vec![Vec::new(); n];
    for (e, (terms, rhs)) in eqs.into_iter().enumerate() {
        if done[e] {
            continue;
        }
        let mut rest = rhs;
        let mut free = Vec::new();
        for (v, c) in terms {
            match fixed[v] {
                Some(x) => rest -= c * x,
                None => free.push((v, c)),
            }
        }
        let idx = equations.len();
        for (v, _) in &free {
            occurs[*v].push(idx);
        }
        equations.push((free, rest));
    }
    Ok(Presolved {
        fixed,
        equations,
        occurs,
    })
}

/// The interval of `var` in a presolved system.
pub(crate) fn interval_of(p: &Presolved, var: usize) -> Result<Interval, AuditError> {
    let n = p.fixed.len();
    if var >= n {
        return Err(AuditError::OutOfRange { var, n_vars: n });
    }
    if let Some(x) = p.fixed[var] {
        return Ok(Interval { lower: x, upper: x });
    }
    // The connected component of `var` through the remaining equations.
    let mut local: Vec<Option<usize>> = vec![None; n];
    let mut vars = vec![var];
    local[var] = Some(0);
    let mut eq_seen = vec![false; p.equations.len()];
    let mut eqs = Vec::new();
    let mut queue = VecDeque::from([var]);
    while let Some(v) = queue.pop_front() {
        for &e in &p.occurs[v] {
            if eq_seen[e] {
                continue;
            }
            eq_seen[e] = true;
            eqs.push(e);
            for &(w, _) in &p.equations[e].0 {
                if local[w].is_none() {
                    local[w] = Some(vars.len());
                    vars.push(w);
                    queue.push_back(w);
                }
            }
        }
    }
    if eqs.is_empty() {
        return Ok(Interval {
            lower: 0.0,
            upper: f64::INFINITY,
        });
    }
    eqs.sort_unstable();
    let solve = |direction: OptimizationDirection| -> Result<Option<f64>, AuditError> {
        let mut lp = Problem::new(direction);
        let xs: Vec<_> = vars
            .iter()
            .map(|&v| lp.add_var(if v == var { 1.0 } else { 0.0 }, (0.0, f64::INFINITY)))
            .collect();
        for &e in &eqs {
            let (terms, rhs) = &p.equations[e];
            let expr: Vec<_> = terms
                .iter()
                .filter_map(|&(w, c)| local[w].map(|l| (xs[l], c)))
                .collect();
            lp.add_constraint(expr.as_slice(), ComparisonOp::Eq, *rhs);
        }
        match lp.solve() {
            Ok(sol) if sol.status() == Status::Optimal => Ok(Some(sol.var_value(xs[0]))),
            Ok(sol) => Err(AuditError::Solver {
                var,
                message: format!("solver stopped with status {:?}", sol.status()),
            }),
            Err(microlp::Error::Unbounded) if direction == OptimizationDirection::Maximize => Ok(None),
            Err(microlp::Error::Infeasible) => Err(AuditError::Infeasible { var }),
            Err(e) => Err(AuditError::Solver {
                var,
                message: e.to_string(),
            }),
        }
    };
    let lower = solve(OptimizationDirection::Minimize)?.ok_or_else(|| AuditError::Solver {
        var,
        message: "minimum unbounded".to_owned(),
    })?;
    let upper = solve(OptimizationDirection::Maximize)?.unwrap_or(f64::INFINITY);
    Ok(Interval {
        lower: lower.max(0.0),
        upper: upper.max(lower.max(0.0)),
    })
}

/// min and max of x[var] subject to `k` and x ≥ 0 (two LPs).
///
/// # Errors
///
/// [`AuditError`]: a malformed system (index out of range, non-finite number), an
/// inconsistent one ([`AuditError::Inconsistent`], [`AuditError::Infeasible`]), or a solver
/// failure. An unbounded maximum is not an error: `upper` is `f64::INFINITY`.
pub fn feasible_interval(k: &Knowledge, var: usize) -> Result<Interval, AuditError> {
    if var >= k.n_vars {
        return Err(AuditError::OutOfRange { var, n_vars: k.n_vars });
    }
    interval_of(&presolve(k)?, var)
}

/// The attacker's knowledge of one table under a suppression pattern: one variable per
/// cell; every published cell (Protection::Published) is fixed to its value (x_i = v_i);
/// every relation gives x_whole − Σ x_parts = 0.
///
/// A cell without an entry in `protection` (a slice shorter than the table) counts as
/// published: the audit then assumes the attacker knows more, never less.
pub fn table_knowledge(table: &Table, protection: &[Protection]) -> Knowledge {
    let mut equations = Vec::with_capacity(table.cells.len() + table.relations.len());
    for (i, cell) in table.cells.iter().enumerate() {
        if matches!(protection.get(i), None | Some(Protection::Published)) {
            equations.push((vec![(i, 1.0)], cell.value));
        }
    }
    for r in &table.relations {
        let mut terms = vec![(r.whole, 1.0)];
        terms.extend(r.parts.iter().map(|&p| (p, -1.0)));
        equations.push((terms, 0.0));
    }
    Knowledge {
        n_vars: table.cells.len(),
        equations,
    }
}

/// Intervals of every primary cell of `table` under `protection` (cell index, interval).
///
/// # Errors
///
/// [`AuditError`] from [`feasible_interval`]: a relation naming a cell that does not
/// exist, a non-finite value, relations that do not hold in the data, a solver failure.
pub fn audit_table(table: &Table, protection: &[Protection]) -> Result<Vec<(usize, Interval)>, AuditError> {
    let p = presolve(&table_knowledge(table, protection))?;
    protection
        .iter()
        .enumerate()
        .take(table.cells.len())
        .filter(|(_, pr)| matches!(pr, Protection::Primary(_)))
        .map(|(i, _)| interval_of(&p, i).map(|iv| (i, iv)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(n_vars: usize, equations: &[(&[(usize, f64)], f64)]) -> Knowledge {
        Knowledge {
            n_vars,
            equations: equations.iter().map(|(t, r)| (t.to_vec(), *r)).collect(),
        }
    }

    #[test]
    fn sum_with_one_part_fixed_is_exact() {
        let k = k(2, &[(&[(0, 1.0), (1, 1.0)], 10.0), (&[(1, 1.0)], 4.0)]);
        assert_eq!(feasible_interval(&k, 0).unwrap(), Interval { lower: 6.0, upper: 6.0 });
        assert_eq!(feasible_interval(&k, 1).unwrap(), Interval { lower: 4.0, upper: 4.0 });
    }

    #[test]
    fn sum_alone_bounds_each_part_by_zero_and_the_sum() {
        let k = k(2, &[(&[(0, 1.0), (1, 1.0)], 10.0)]);
        let iv = feasible_interval(&k, 0).unwrap();
        assert!(
            (iv.lower - 0.0).abs() < 1e-9 && (iv.upper - 10.0).abs() < 1e-9,
            "{iv:?}"
        );
    }

    #[test]
    fn difference_alone_is_unbounded_above() {
        // x − y = 3: x ∈ [3, ∞), y ∈ [0, ∞).
        let k = k(2, &[(&[(0, 1.0), (1, -1.0)], 3.0)]);
        let x = feasible_interval(&k, 0).unwrap();
        assert!((x.lower - 3.0).abs() < 1e-9 && x.upper == f64::INFINITY, "{x:?}");
        let y = feasible_interval(&k, 1).unwrap();
        assert!(y.lower.abs() < 1e-9 && y.upper == f64::INFINITY, "{y:?}");
        assert_eq!(x.width(), f64::INFINITY);
    }

    #[test]
    fn unconstrained_variable_is_zero_to_infinity() {
        let k = k(3, &[(&[(0, 1.0), (1, 1.0)], 10.0)]);
        assert_eq!(
            feasible_interval(&k, 2).unwrap(),
            Interval {
                lower: 0.0,
                upper: f64::INFINITY
            }
        );
    }

    #[test]
    fn two_level_system_goes_through_the_solver() {
        // t = a + b, a = a1 + a2, t = 10, a1 = 2: a2 ∈ [0, 8], b ∈ [0, 8], a ∈ [2, 10].
        let k = k(
            5,
            &[
                (&[(0, 1.0), (1, -1.0), (2, -1.0)], 0.0),
                (&[(1, 1.0), (3, -1.0), (4, -1.0)], 0.0),
                (&[(0, 1.0)], 10.0),
                (&[(3, 1.0)], 2.0),
            ],
        );
        let a = feasible_interval(&k, 1).unwrap();
        assert!((a.lower - 2.0).abs() < 1e-9 && (a.upper - 10.0).abs() < 1e-9, "{a:?}");
        let b = feasible_interval(&k, 2).unwrap();
        assert!(b.lower.abs() < 1e-9 && (b.upper - 8.0).abs() < 1e-9, "{b:?}");
        let a2 = feasible_interval(&k, 4).unwrap();
        assert!(a2.lower.abs() < 1e-9 && (a2.upper - 8.0).abs() < 1e-9, "{a2:?}");
    }

    #[test]
    fn duplicate_terms_are_merged_not_a_solver_panic() {
        // x + x + y = 10 → 2x + y = 10: x ∈ [0, 5].
        let k = k(2, &[(&[(0, 1.0), (0, 1.0), (1, 1.0)], 10.0)]);
        let x = feasible_interval(&k, 0).unwrap();
        assert!(x.lower.abs() < 1e-9 && (x.upper - 5.0).abs() < 1e-9, "{x:?}");
    }

    #[test]
    fn contradictions_are_errors() {
        let fixed = k(
            2,
            &[(&[(0, 1.0), (1, 1.0)], 10.0), (&[(0, 1.0)], 4.0), (&[(1, 1.0)], 5.0)],
        );
        assert!(matches!(
            feasible_interval(&fixed, 0),
            Err(AuditError::Inconsistent { .. })
        ));
        // x + y = −1 with x, y ≥ 0: only the solver sees it.
        let lp = k(2, &[(&[(0, 1.0), (1, 1.0)], -1.0)]);
        assert_eq!(feasible_interval(&lp, 0), Err(AuditError::Infeasible { var: 0 }));
        let negative = k(1, &[(&[(0, 1.0)], -2.0)]);
        assert!(matches!(
            feasible_interval(&negative, 0),
            Err(AuditError::Inconsistent { .. })
        ));
        let nan = k(1, &[(&[(0, 1.0)], f64::NAN)]);
        assert_eq!(feasible_interval(&nan, 0), Err(AuditError::NotFinite { equation: 0 }));
        assert!(matches!(
            feasible_interval(&nan, 3),
            Err(AuditError::OutOfRange { var: 3, n_vars: 1 })
        ));
        let out = k(1, &[(&[(0, 1.0), (2, 1.0)], 1.0)]);
        assert!(matches!(
            feasible_interval(&out, 0),
            Err(AuditError::OutOfRange { var: 2, .. })
        ));
    }

    #[test]
    fn width_rounds_inward_to_integers() {
        let iv = Interval { lower: 0.2, upper: 4.9 };
        assert_eq!(iv.rounded(), (1.0, 4.0));
        assert_eq!(iv.width(), 3.0);
        assert!(iv.protects(3) && !iv.protects(4));
        // Solver noise around an integer does not cost a unit.
        assert_eq!(
            Interval {
                lower: 2.000_000_1,
                upper: 6.999_999_9
            }
            .width(),
            5.0
        );
        assert_eq!(
            Interval {
                lower: 3.0,
                upper: f64::INFINITY
            }
            .width(),
            f64::INFINITY
        );
        assert_eq!(Interval { lower: 3.0, upper: 3.0 }.width(), 0.0);
        assert!(Interval {
            lower: 0.0,
            upper: f64::INFINITY
        }
        .protects(u32::MAX));
    }
}
