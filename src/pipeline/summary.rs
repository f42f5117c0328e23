//! The summary `yeep run` prints on a terminal when it ends: per period the files read,
//! accepted and rejected, where each output is (absolute paths), which unit to send which
//! sheet of the validation report, and what the exit code means. Never in the logs: the
//! CLI prints it only on a terminal with text logs, and not with `--quiet`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::catalogue::Catalogue;
use crate::model::lang::Lang;
use crate::model::FileStatus;
use crate::pipeline::run::RunOutcome;

/// `path` as the user should type it: absolute and without `.`/`..` (the real path when it
/// exists, so links are resolved too).
pub fn display_path(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| super::lexically_normal(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())))
}

/// What exit code `code` means, for the person at the terminal.
pub fn exit_meaning(code: u8, lang: Lang) -> &'static str {
    match code {
        0 => lang.pick(
            "çıkış kodu 0: bütün girdiler temiz, çıktılar yazıldı.",
            "exit code 0: every input clean, outputs written.",
        ),
        3 => lang.pick(
            "çıkış kodu 3: çıktılar yazıldı, ama bazı değerler ya da dosyalar reddedildi — doğrulama raporunu yukarıdaki birimlere gönderin.",
            "exit code 3: outputs written, but some values or files were rejected — send the validation report to the units above.",
        ),
        1 => lang.pick(
            "çıkış kodu 1: çalışma başarısız; önceki çıktılar yerinde.",
            "exit code 1: the run failed; the previous outputs are untouched.",
        ),
        _ => lang.pick("çıkış kodu: kullanım hatası.", "exit code: usage error."),
    }
}

/// The summary text of a finished run.
pub fn render(cat: &Catalogue, outcome: &RunOutcome, exit_code: u8, lang: Lang) -> String {
    let mut s = String::new();
    let plan = lang.pick(&cat.plan.name, &cat.plan.name_en);
    let _ = writeln!(s, "yeep run — {plan}");
    for p in &outcome.periods {
        let statuses: Vec<String> = p
            .files_by_status
            .iter()
            .map(|(k, n)| format!("{n} {}", FileStatus::from_code(k).map_or(k.as_str(), |s| s.label(lang))))
            .collect();
        let _ = writeln!(
            s,
            "  {}: {} {} ({}); {} {}, {} {}, {} {}, {} {}",
            p.period,
            p.files,
            lang.pick("dosya okundu", "files read"),
            if statuses.is_empty() {
                "-".to_string()
            } else {
                statuses.join(", ")
            },
            p.values_accepted,
            lang.pick("değer kabul", "values accepted"),
            p.values_rejected,
            lang.pick("reddedildi", "rejected"),
            p.errors,
            lang.pick("hata", "errors"),
            p.warnings,
            lang.pick("uyarı", "warnings"),
        );
    }
    let _ = writeln!(s, "{}", lang.pick("Çıktılar:", "Outputs:"));
    for p in &outcome.periods {
        let _ = writeln!(s, "  {}: {}", p.period, display_path(&p.dir).display());
    }
    for path in &outcome.plan_workbooks {
        let _ = writeln!(
            s,
            "  {}: {}",
            lang.pick("plan dönemi", "plan period"),
            display_path(path).display()
        );
    }
    if !outcome.plan_dir.as_os_str().is_empty() {
        let _ = writeln!(
            s,
            "  {}: {}",
            lang.pick("BI akışı", "BI feed"),
            display_path(&outcome.public_dir.join("feed")).display()
        );
        let _ = writeln!(
            s,
            "  {}: {}",
            lang.pick(
                "yayımlanabilir klasör (yalnızca bu)",
                "folder that may be published (only this one)"
            ),
            display_path(&outcome.public_dir).display()
        );
    }
    let notices: Vec<_> = outcome
        .periods
        .iter()
        .filter(|p| !p.units_to_notify.is_empty())
        .collect();
    if !notices.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            lang.pick(
                "Doğrulama raporunu gönderin (birim → rapordaki sayfa):",
                "Send the validation report (unit → its sheet in the report):"
            )
        );
        for p in notices {
            let _ = writeln!(s, "  {}: {}", p.period, display_path(&p.report).display());
            for u in &p.units_to_notify {
                let name = cat
                    .unit(&u.unit_id)
                    .map_or(u.unit_id.as_str(), |x| lang.pick(&x.name, &x.name_en));
                let _ = writeln!(
                    s,
                    "    {name} → {} \"{}\" ({} {}, {} {})",
                    lang.pick("sayfa", "sheet"),
                    u.sheet,
                    u.errors,
                    lang.pick("hata", "errors"),
                    u.warnings,
                    lang.pick("uyarı", "warnings"),
                );
            }
        }
    }
    let _ = writeln!(s, "{}", exit_meaning(exit_code, lang));
    s
}
