//! Disclosure control on sensitive indicators (violence against women): small counts are
//! suppressed (primary suppression), then more cells are suppressed so that no suppressed
//! cell can be recovered from the row's women + men = total, or from the districts adding
//! up to the city-wide row (secondary suppression). See `docs/metrics.md`.
//!
//! The unit of suppression is a metrics row (one indicator × period × district): when any
//! of its women / men / total is suppressed, all three are, which closes the row relation.
//! The column relation (districts sum to the city-wide row) is closed by making sure that
//! a published city-wide row never has exactly one suppressed district under it.

pub mod engine;

use std::collections::{BTreeMap, HashSet};

use polars::prelude::*;

use crate::catalogue::Catalogue;
use crate::model::Observation;

/// Whether a value needs primary suppression: a count above zero and below the threshold.
pub fn is_small(v: Option<f64>, threshold: u32) -> bool {
    v.is_some_and(|v| v > 0.0 && v < f64::from(threshold))
}

/// One row as disclosure control sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub district: String,
    pub women: Option<f64>,
    pub men: Option<f64>,
    pub total: Option<f64>,
}

impl Cell {
    /// The row's size: its total, or the sum of what it has.
    fn size(&self) -> f64 {
        self.total
            .unwrap_or(self.women.unwrap_or(0.0) + self.men.unwrap_or(0.0))
    }
}

/// Suppression flags for the rows of one indicator × period (districts and the
/// city-wide row, the one whose district is `city_wide`), in the order given.
pub fn suppress_group(rows: &[Cell], city_wide: &str, threshold: u32) -> Vec<bool> {
    let mut s: Vec<bool> = rows
        .iter()
        .map(|r| [r.women, r.men, r.total].iter().any(|v| is_small(*v, threshold)))
        .collect();
    let cw = rows.iter().position(|r| r.district == city_wide);
    loop {
        let mut changed = false;
        let cw_published = cw.is_none_or(|i| !s[i]);
        if cw_published {
            let districts: Vec<usize> = (0..rows.len()).filter(|i| Some(*i) != cw).collect();
            let suppressed = districts.iter().filter(|i| s[**i]).count();
            if suppressed == 1 {
                // Suppress the smallest published district with a value; if there is none,
                // the city-wide row itself.
                let candidate = districts
                    .iter()
                    .filter(|i| !s[**i] && rows[**i].size() > 0.0)
                    .min_by(|a, b| rows[**a].size().total_cmp(&rows[**b].size()).then(a.cmp(b)));
                match (candidate, cw) {
                    (Some(i), _) => s[*i] = true,
                    (None, Some(c)) => s[c] = true,
                    (None, None) => {}
                }
                changed = true;
            }
        }
        if !changed {
            return s;
        }
    }
}

/// The `suppressed` column for a metrics frame (rows of non-sensitive indicators are never
/// suppressed).
///
/// # Errors
///
/// [`PolarsError`] when a column is missing.
pub fn suppress(cat: &Catalogue, metrics: &DataFrame, threshold: u32) -> PolarsResult<Vec<bool>> {
    let sensitive: HashSet<&str> = cat
        .indicators
        .iter()
        .filter(|i| i.sensitive)
        .map(|i| i.id.as_str())
        .chain(cat.context.iter().filter(|c| c.sensitive).map(|c| c.id.as_str()))
        .collect();
    let ind = metrics.column("indicator_id")?.str()?;
    let per = metrics.column("period")?.str()?;
    let dist = metrics.column("district")?.str()?;
    let (w, m, t) = (
        metrics.column("women")?.f64()?,
        metrics.column("men")?.f64()?,
        metrics.column("total")?.f64()?,
    );
    let mut groups: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for r in 0..metrics.height() {
        let i = ind.get(r).unwrap_or("");
        if sensitive.contains(i) {
            groups.entry((i, per.get(r).unwrap_or(""))).or_default().push(r);
        }
    }
    let mut out = vec![false; metrics.height()];
    for rows in groups.values() {
        let cells: Vec<Cell> = rows
            .iter()
            .map(|&r| Cell {
                district: dist.get(r).unwrap_or("").to_string(),
                women: w.get(r),
                men: m.get(r),
                total: t.get(r),
            })
            .collect();
        for (k, flag) in suppress_group(&cells, cat.city_wide(), threshold)
            .into_iter()
            .enumerate()
        {
            out[rows[k]] = flag;
        }
    }
    Ok(out)
}

/// Observations as published: the values of sensitive indicators are withheld (the
/// disclosure-controlled aggregates are in `metrics`).
pub fn public_observations(cat: &Catalogue, obs: &[Observation]) -> (DataFrame, HashSet<String>) {
    let sensitive: HashSet<String> = cat
        .indicators
        .iter()
        .filter(|i| i.sensitive)
        .map(|i| i.id.clone())
        .chain(cat.context.iter().filter(|c| c.sensitive).map(|c| c.id.clone()))
        .collect();
    let df = super::frame::to_dataframe(obs).expect("observations frame");
    let mask: Vec<bool> = obs.iter().map(|o| sensitive.contains(&o.indicator_id)).collect();
    let values: Vec<Option<f64>> = obs
        .iter()
        .zip(&mask)
        .map(|(o, s)| if *s { None } else { Some(o.value) })
        .collect();
    let mut df = df;
    df.with_column(Column::new("value".into(), values))
        .expect("same length");
    (df, sensitive)
}

#[cfg(test)]
mod tests {
    use super::*;

    const IZMIR_GENELI: &str = "İzmir Geneli";

    fn cell(d: &str, w: f64, m: f64) -> Cell {
        Cell {
            district: d.into(),
            women: Some(w),
            men: Some(m),
            total: Some(w + m),
        }
    }

    #[test]
    fn one_small_district_pulls_in_the_next_smallest() {
        let rows = vec![
            cell(IZMIR_GENELI, 60.0, 0.0),
            cell("Buca", 3.0, 0.0),
            cell("Konak", 40.0, 0.0),
            cell("Bornova", 17.0, 0.0),
        ];
        assert_eq!(suppress_group(&rows, IZMIR_GENELI, 5), vec![false, true, false, true]);
    }

    #[test]
    fn two_small_districts_need_nothing_more() {
        let rows = vec![
            cell(IZMIR_GENELI, 50.0, 0.0),
            cell("Buca", 3.0, 0.0),
            cell("Konak", 2.0, 0.0),
            cell("Bornova", 45.0, 0.0),
        ];
        assert_eq!(suppress_group(&rows, IZMIR_GENELI, 5), vec![false, true, true, false]);
    }

    #[test]
    fn a_lone_district_takes_the_city_row_with_it() {
        let rows = vec![cell(IZMIR_GENELI, 3.0, 9.0), cell("Buca", 3.0, 9.0)];
        assert_eq!(suppress_group(&rows, IZMIR_GENELI, 5), vec![true, true]);
    }

    #[test]
    fn zero_is_not_small_and_men_count_too() {
        assert!(!is_small(Some(0.0), 5));
        assert!(is_small(Some(4.0), 5));
        assert!(!is_small(Some(5.0), 5));
        let rows = vec![
            cell(IZMIR_GENELI, 100.0, 20.0),
            cell("Buca", 50.0, 2.0),
            cell("Konak", 50.0, 18.0),
        ];
        assert_eq!(suppress_group(&rows, IZMIR_GENELI, 5), vec![false, true, true]);
    }
}
