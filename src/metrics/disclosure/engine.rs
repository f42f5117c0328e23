//! A generic statistical-disclosure-control engine for linked count tables (ESS Handbook on
//! Statistical Disclosure Control, Hundepool et al.; τ-ARGUS terms). Pure: plain data in,
//! plain data out, no polars, nothing else of the crate.
//!
//! # The model
//!
//! A [`Table`] is a list of [`Cell`]s (a value and the contributions of the units that make
//! it) and additive [`Relation`]s between them (women + men = total; districts → city-wide).
//! [`protect`] returns one [`Protection`] per cell.
//!
//! # Primary suppression ([`rules`])
//!
//! A cell is sensitive on its own ([`primary`]) when it breaks the threshold rule
//! (0 < value < threshold), the frequency rule (2 ≤ positive contributors <
//! `min_contributors`) or the dominance rule ([`Dominance::Residual`]: the largest
//! contributor, subtracting itself, learns a small non-zero rest; or the p%-rule). Zero
//! is never sensitive.
//!
//! # The attacker ([`audit`])
//!
//! An attacker sees the published cells and knows the relations. What that tells about a
//! suppressed cell is its feasible interval: min and max of its unknown over every
//! non-negative solution of "published cells = their values, every relation holds" — two
//! linear programs ([`feasible_interval`], solved exactly by `microlp` after a presolve that
//! substitutes the known values). Counts are integers, so the attacker rounds the interval
//! inward ([`Interval::width`]). A primary cell is *protected* when that width is at least
//! the threshold ([`Interval::protects`]): the attacker cannot narrow it down to fewer than
//! `threshold` + 1 candidate counts. The LP interval contains every integer solution; for
//! two-dimensional tables with margins (rows and columns summing up, as here) its bounds are
//! attained by integer solutions, so the rounded LP interval is exactly what an attacker who
//! solves integer programs learns. (For tables of three or more dimensions an integer
//! attacker could narrow it further: the guarantee is then against the LP attacker.)
//!
//! # Secondary suppression ([`secondary`])
//!
//! Greedy with LP-guided repair, in the spirit of τ-ARGUS's hypercube and modular methods
//! but exact for the table's own relations:
//!
//! 1. Mark the primary cells.
//! 2. Audit the pattern ([`audit_table`]). If every primary cell is protected, stop. Else
//!    take the unprotected primary cell p with the lowest index. The candidates are the
//!    published cells (zeros included) in a relation with p or with a suppressed cell linked
//!    to p through relations over suppressed cells — no other cell can change p's interval.
//!    For each candidate, p's interval with it also suppressed is computed. If some
//!    candidate protects p on its own, suppress the one with the smallest value (the
//!    information lost), ties to the lowest index.
//! 3. Else (LP-guided repair) solve one more LP: the cheapest move y of the true values
//!    with y_p = +threshold that keeps every relation and every count ≥ 0, costing
//!    (value + 1)·|y_i| for each published cell it moves (suppressed cells move for free).
//!    Suppress the published cells it moves: x + y is then a solution the attacker cannot
//!    rule out, so p's width becomes ≥ threshold. In a two-way table that move is a
//!    rectangle (p, a cell of its row, a cell of its column, the opposite corner) — exactly
//!    what single-cell greedy steps cannot find, since no one of those cells widens p alone.
//!    If that LP has no solution, suppress the candidate that widens p's interval most
//!    (ties: smallest value, then lowest index).
//! 4. Repeat from 2.
//!
//! # Guarantees
//!
//! * Termination: each pass suppresses at least one more cell, so at most one pass per cell.
//! * Protection: when [`protect`] returns, [`audit_table`] on its result gives every
//!   primary cell a width ≥ `rules.threshold`, against an attacker who knows every
//!   relation of the table and that counts are non-negative integers. This holds because
//!   the loop only stops on a passing audit, or with nothing left to suppress near p —
//!   then p's equations are homogeneous and its interval is [0, ∞).
//! * Conservative failure: if the table cannot be audited (relations that do not hold in
//!   the data, a non-finite value, a solver failure), [`protect`] suppresses every cell;
//!   [`try_protect`] and [`audit_table`] report the [`AuditError`].
//! * Determinism: no hashing, no randomness, candidates in index order.
//!
//! Not guaranteed: a minimal pattern (the greedy is not optimal), protection of secondary
//! cells themselves (they are not sensitive), protection across tables that share cells
//! without a relation given here, or against an attacker with knowledge beyond the
//! relations (e.g. a unit's own contribution: that is what the dominance rule is for).

pub mod audit;
pub mod rules;
pub mod secondary;

pub use audit::{audit_table, feasible_interval, table_knowledge, AuditError, Interval, Knowledge};
pub use rules::{is_small, primary, Dominance, PrimaryRule, Rules};
pub use secondary::{protect, try_protect};

/// One cell of a table: its true value and the contributions of the units that make it
/// (one number per contributing unit; units with no value are not listed; zeros may be).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The cell's true value (a count).
    pub value: f64,
    /// One contribution per contributing unit.
    pub contributions: Vec<f64>,
}

/// `value` of `whole` equals the sum of `parts` (e.g. women + men = total; districts →
/// city-wide). The integrator only passes relations that hold in the true data.
#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    /// The index of the cell that is the sum.
    pub whole: usize,
    /// The indices of the cells it is the sum of.
    pub parts: Vec<usize>,
}

/// A linked table: cells (indexed 0..n) and the additive relations between them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// The cells, indexed by position.
    pub cells: Vec<Cell>,
    /// The additive relations between cells.
    pub relations: Vec<Relation>,
}

/// What happens to one cell in the public edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Protection {
    /// Published as is.
    Published,
    /// Suppressed: sensitive on its own, by this rule.
    Primary(PrimaryRule),
    /// Suppressed to protect a primary cell.
    Secondary,
}

#[cfg(test)]
mod tests;
