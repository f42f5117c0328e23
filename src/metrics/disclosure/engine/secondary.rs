//! Secondary suppression: greedy, LP-guided repair until every primary cell is protected.
//!
//! See the method and its guarantee in the module doc of [`super`].

use std::collections::BTreeMap;

use microlp::{ComparisonOp, OptimizationDirection, Problem, Status, Variable};

use super::audit::{audit_table, interval_of, presolve, table_knowledge, AuditError, Interval};
use super::rules::{primary, Rules};
use super::{Protection, Table};

/// Primary suppression, then secondary suppression until every primary cell passes
/// `audit_table` with protection width ≥ rules.threshold. Deterministic (same input →
/// same output). Returns one Protection per cell.
///
/// When the table cannot be audited (an [`AuditError`] from [`try_protect`]: relations that
/// do not hold in the data, a non-finite published value, a solver failure), every cell is
/// suppressed: the conservative answer. [`audit_table`] on the same table reports the error.
pub fn protect(table: &Table, rules: &Rules) -> Vec<Protection> {
    try_protect(table, rules).unwrap_or_else(|_| suppress_all(table, rules))
}

/// [`protect`], with the audit's error instead of the conservative fallback.
///
/// # Errors
///
/// The first [`AuditError`] met while auditing a pattern.
pub fn try_protect(table: &Table, rules: &Rules) -> Result<Vec<Protection>, AuditError> {
    let n = table.cells.len();
    let mut prot: Vec<Protection> = table
        .cells
        .iter()
        .map(|c| primary(c, rules).map_or(Protection::Published, Protection::Primary))
        .collect();
    // The relations each cell occurs in (indices out of range are left to the audit).
    let mut relations_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (r, rel) in table.relations.iter().enumerate() {
        for &c in std::iter::once(&rel.whole).chain(&rel.parts) {
            if c < n && relations_of[c].last() != Some(&r) {
                relations_of[c].push(r);
            }
        }
    }
    // Each pass suppresses one more cell, so n + 1 passes always reach the end.
    for _ in 0..=n {
        let audit = audit_table(table, &prot)?;
        let Some(p) = audit
            .iter()
            .find(|(_, iv)| !iv.protects(rules.threshold))
            .map(|(i, _)| *i)
        else {
            return Ok(prot);
        };
        let candidates = candidates(table, &prot, &relations_of, p);
        // Best so far: (protects p, p's width, candidate's value, candidate).
        let mut best: Option<(bool, f64, f64, usize)> = None;
        for c in candidates {
            prot[c] = Protection::Secondary;
            let iv: Interval = interval_of(&presolve(&table_knowledge(table, &prot))?, p)?;
            prot[c] = Protection::Published;
            let this = (iv.protects(rules.threshold), iv.width(), table.cells[c].value, c);
            if best.is_none_or(|b| better(this, b)) {
                best = Some(this);
            }
        }
        match best {
            Some((true, _, _, c)) => prot[c] = Protection::Secondary,
            // No single cell protects p: suppress the published cells of a cheapest way for
            // p to move up by the threshold (a rectangle in a two-way table), if found.
            Some((false, _, _, c)) => match repair_set(table, &prot, p, f64::from(rules.threshold)) {
                Some(set) if !set.is_empty() => {
                    for i in set {
                        prot[i] = Protection::Secondary;
                    }
                }
                _ => prot[c] = Protection::Secondary,
            },
            // No published cell is linked to p's suppressed neighbourhood: p's equations
            // are then homogeneous (x_whole − Σ x_parts = 0 over suppressed cells only), so
            // its feasible set is a cone through 0 and its true value > 0: [0, ∞), which
            // protects. Reaching this is a numerical failure: be conservative.
            None => return Ok(suppress_all(table, rules)),
        }
    }
    // Unreachable: after n suppressions nothing is published and the argument above holds.
    Ok(suppress_all(table, rules))
}

/// Whether candidate `a` beats `b`: one that protects p beats one that does not; among
/// those that protect, the smallest value (information loss), then the lowest index; among
/// those that do not, the widest interval for p, then the smallest value, then the lowest
/// index.
fn better(a: (bool, f64, f64, usize), b: (bool, f64, f64, usize)) -> bool {
    let (ap, aw, av, ai) = a;
    let (bp, bw, bv, bi) = b;
    if ap != bp {
        return ap;
    }
    let order = if ap {
        av.total_cmp(&bv).then(ai.cmp(&bi))
    } else {
        bw.total_cmp(&aw).then(av.total_cmp(&bv)).then(ai.cmp(&bi))
    };
    order.is_lt()
}

/// The published cells to suppress so that p can move up by `t`: a perturbation y of the
/// true values with y_p = t, every relation still holding (Σ over a relation of ±y = 0) and
/// x + y ≥ 0, of least cost Σ (value + 1)·|y_i| over published cells (suppressed cells move
/// for free). Once its published support is suppressed, x + y is a solution the attacker
/// cannot rule out, so p's upper bound is at least v_p + t and its width at least t.
/// `None` when there is no such move or the solver fails (the caller falls back to one cell).
fn repair_set(table: &Table, prot: &[Protection], p: usize, t: f64) -> Option<Vec<usize>> {
    let n = table.cells.len();
    let mut lp = Problem::new(OptimizationDirection::Minimize);
    // Per cell: the terms of y_i.
    let mut y: Vec<Vec<(Variable, f64)>> = Vec::with_capacity(n);
    for (i, cell) in table.cells.iter().enumerate() {
        let x = cell.value;
        if !x.is_finite() || x < 0.0 {
            return None;
        }
        if prot[i] == Protection::Published {
            let mut terms = vec![(lp.add_var(x + 1.0, (0.0, f64::INFINITY)), 1.0)];
            if x > 0.0 {
                terms.push((lp.add_var(x + 1.0, (0.0, x)), -1.0));
            }
            y.push(terms);
        } else {
            y.push(vec![(lp.add_var(0.0, (-x, f64::INFINITY)), 1.0)]);
        }
    }
    for rel in &table.relations {
        let mut coeff: BTreeMap<usize, f64> = BTreeMap::new();
        *coeff.entry(rel.whole).or_default() += 1.0;
        for &part in &rel.parts {
            *coeff.entry(part).or_default() -= 1.0;
        }
        let mut expr = Vec::new();
        for (&cell, &c) in &coeff {
            if c != 0.0 {
                expr.extend(y.get(cell)?.iter().map(|&(v, s)| (v, s * c)));
            }
        }
        if !expr.is_empty() {
            lp.add_constraint(expr.as_slice(), ComparisonOp::Eq, 0.0);
        }
    }
    lp.add_constraint(y.get(p)?.as_slice(), ComparisonOp::Eq, t);
    let sol = lp.solve().ok().filter(|s| s.status() == Status::Optimal)?;
    let moved = |i: usize| y[i].iter().map(|&(v, _)| sol.var_value(v).abs()).sum::<f64>() > 1e-7;
    Some(
        (0..n)
            .filter(|&i| prot[i] == Protection::Published && moved(i))
            .collect(),
    )
}

/// Published cells (finite value ≥ 0, zeros included) in a relation with a cell of p's
/// suppressed neighbourhood: the cells reachable from p through relations, stepping only on
/// suppressed cells. Suppressing any other cell leaves p's interval unchanged. In index order.
fn candidates(table: &Table, prot: &[Protection], relations_of: &[Vec<usize>], p: usize) -> Vec<usize> {
    let n = table.cells.len();
    let mut in_hood = vec![false; n];
    let mut seen_rel = vec![false; table.relations.len()];
    let mut is_candidate = vec![false; n];
    in_hood[p] = true;
    let mut stack = vec![p];
    while let Some(c) = stack.pop() {
        for &r in &relations_of[c] {
            if std::mem::replace(&mut seen_rel[r], true) {
                continue;
            }
            let rel = &table.relations[r];
            for &d in std::iter::once(&rel.whole).chain(&rel.parts) {
                if d >= n || in_hood[d] {
                    continue;
                }
                if prot[d] == Protection::Published {
                    let v = table.cells[d].value;
                    is_candidate[d] = v.is_finite() && v >= 0.0;
                } else {
                    in_hood[d] = true;
                    stack.push(d);
                }
            }
        }
    }
    (0..n).filter(|&i| is_candidate[i]).collect()
}

/// Every cell suppressed: primary cells keep their rule, the others are secondary.
fn suppress_all(table: &Table, rules: &Rules) -> Vec<Protection> {
    table
        .cells
        .iter()
        .map(|c| primary(c, rules).map_or(Protection::Secondary, Protection::Primary))
        .collect()
}
