//! The BI feed: `observations` and `metrics` as Parquet and CSV for one period, and the
//! cumulative Hive-partitioned copy across periods (`<plan>/feed/<table>/period=<p>/`),
//! so DuckDB, Spark, Trino or Power BI read all years as one table.

use std::fs::File;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use polars_io::prelude::{CsvWriter, ParquetWriter, SerWriter, StatisticsOptions};

use crate::sinks::csv_safe;

/// Errors writing the feed.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cannot write {path}: {source}")]
    Polars { path: PathBuf, source: PolarsError },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> FeedError + '_ {
    move |source| FeedError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn pl(path: &Path) -> impl FnOnce(PolarsError) -> FeedError + '_ {
    move |source| FeedError::Polars {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `df` as Parquet to `path`.
///
/// # Errors
///
/// [`FeedError`] naming the file.
pub fn write_parquet(df: &DataFrame, path: &Path) -> Result<(), FeedError> {
    let file = File::create(path).map_err(io(path))?;
    let mut df = df.clone();
    ParquetWriter::new(file)
        .with_statistics(StatisticsOptions::default())
        .finish(&mut df)
        .map_err(pl(path))?;
    Ok(())
}

/// Writes `df` as CSV (UTF-8, comma, header) to `path`, neutralising text that a
/// spreadsheet would run as a formula (OWASP CSV injection: `=`, `+`, `-`, `@`, tab, CR).
///
/// # Errors
///
/// [`FeedError`] naming the file.
pub fn write_csv(df: &DataFrame, path: &Path) -> Result<(), FeedError> {
    let mut safe = df.clone();
    let names: Vec<PlSmallStr> = df.get_column_names().into_iter().cloned().collect();
    for name in names {
        let col = df.column(&name).map_err(pl(path))?;
        if let Ok(ca) = col.str() {
            let mapped: StringChunked = ca.iter().map(|o| o.map(|s| csv_safe(s).into_owned())).collect();
            safe.with_column(Column::new(name.clone(), mapped.into_series()))
                .map_err(pl(path))?;
        }
    }
    let file = File::create(path).map_err(io(path))?;
    CsvWriter::new(file)
        .include_header(true)
        .finish(&mut safe)
        .map_err(pl(path))?;
    Ok(())
}

/// Writes `feed/observations.{parquet,csv}` and `feed/metrics.{parquet,csv}` under `dir`;
/// returns the files written.
///
/// # Errors
///
/// [`FeedError`] naming the file.
pub fn write_period_feed(dir: &Path, observations: &DataFrame, metrics: &DataFrame) -> Result<Vec<PathBuf>, FeedError> {
    let feed = dir.join("feed");
    std::fs::create_dir_all(&feed).map_err(io(&feed))?;
    let mut out = Vec::new();
    for (name, df) in [("observations", observations), ("metrics", metrics)] {
        let p = feed.join(format!("{name}.parquet"));
        write_parquet(df, &p)?;
        out.push(p);
        let c = feed.join(format!("{name}.csv"));
        write_csv(df, &c)?;
        out.push(c);
    }
    Ok(out)
}

/// The folders of one period's partition of the cumulative feed.
pub fn hive_partition_dirs(public_dir: &Path, period: &str) -> Vec<PathBuf> {
    ["observations", "metrics"]
        .iter()
        .map(|name| public_dir.join("feed").join(name).join(format!("period={period}")))
        .collect()
}

/// Replaces this period's partition of the cumulative feed:
/// `<public_dir>/feed/<table>/period=<period>/part-0.parquet`, written to a temporary file and
/// renamed into place (readers never see half a file). The `period` column is dropped from
/// the partition files, as Hive partitioning carries it in the path.
///
/// # Errors
///
/// [`FeedError`] naming the file.
pub fn write_hive_partition(
    public_dir: &Path,
    period: &str,
    observations: &DataFrame,
    metrics: &DataFrame,
) -> Result<Vec<PathBuf>, FeedError> {
    let mut out = Vec::new();
    for (part_dir, df) in hive_partition_dirs(public_dir, period)
        .into_iter()
        .zip([observations, metrics])
    {
        std::fs::create_dir_all(&part_dir).map_err(io(&part_dir))?;
        let df = df.drop("period").map_err(pl(&part_dir))?;
        let dest = part_dir.join("part-0.parquet");
        let mut failed = None;
        super::atomic::write_with(&dest, |tmp| {
            write_parquet(&df, tmp).map_err(|e| {
                let msg = e.to_string();
                failed = Some(e);
                std::io::Error::other(msg)
            })
        })
        .map_err(|e| failed.take().unwrap_or_else(|| io(&dest)(e)))?;
        out.push(dest);
    }
    Ok(out)
}
