//! Print-ready workbooks (issue 15, item 2): every sheet of every workbook yeep writes has
//! A4, an orientation, fit to one page wide, a print area, a header naming plan and period
//! and a footer with the page fields; tables repeat their header row; the internal period
//! workbook renders with LibreOffice to at most 60 pages, no sheet wider than one page.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use calamine::{Data, Reader};
use yeep::catalogue::Catalogue;
use yeep::model::lang::Lang;
use yeep::pipeline::run::{run, RunOptions};
use yeep::pipeline::Pipeline;
use yeep::sinks::print::escape;

use crate::common::shipped_pipeline;

/// One run of the shipped job into a temporary folder: the 2023 period folder.
fn period_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let p = Pipeline::load(&shipped_pipeline()).unwrap();
        let opts = RunOptions {
            period: Some("2023".into()),
            output: Some(dir.clone()),
            lock_wait: std::time::Duration::from_secs(60),
            ..Default::default()
        };
        run(&p, &opts).unwrap();
        dir.join("izmir-2022-2024/2023")
    })
}

fn catalogue() -> Catalogue {
    Pipeline::load(&shipped_pipeline()).unwrap().catalogue().unwrap()
}

/// One sheet's print settings as written.
#[derive(Debug)]
struct Sheet {
    name: String,
    /// `<pageSetup …/>` attributes.
    page_setup: BTreeMap<String, String>,
    fit_to_page: bool,
    /// `oddHeader` and `oddFooter`, XML-unescaped.
    header: String,
    footer: String,
    /// `_xlnm.Print_Area`, `_xlnm.Print_Titles` (XML-unescaped).
    print_area: Option<String>,
    print_titles: Option<String>,
}

fn zip_text(zip: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str) -> String {
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The attributes of the tag that starts at `tag` (`<name a="…" …`).
fn attributes(tag: &str) -> BTreeMap<String, String> {
    let end = tag.find('>').unwrap_or(tag.len());
    let mut out = BTreeMap::new();
    let mut rest = &tag[..end];
    while let Some(eq) = rest.find("=\"") {
        let key = rest[..eq]
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap()
            .to_string();
        let value_start = eq + 2;
        let value_end = value_start + rest[value_start..].find('"').unwrap();
        out.insert(key, unescape(&rest[value_start..value_end]));
        rest = &rest[value_end + 1..];
    }
    out
}

/// Every `<name …>` tag of `xml`, from its `<`.
fn tags<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name} ");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = xml[from..].find(&open) {
        out.push(&xml[from + i..]);
        from += i + open.len();
    }
    out
}

fn element_text(xml: &str, name: &str) -> String {
    let (open, close) = (format!("<{name}>"), format!("</{name}>"));
    match (xml.find(&open), xml.find(&close)) {
        (Some(a), Some(b)) => unescape(&xml[a + open.len()..b]),
        _ => String::new(),
    }
}

/// The print settings of every sheet of an xlsx, in workbook order.
fn print_settings(bytes: &[u8]) -> Vec<Sheet> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let workbook = zip_text(&mut zip, "xl/workbook.xml");
    let rels = zip_text(&mut zip, "xl/_rels/workbook.xml.rels");
    let targets: BTreeMap<String, String> = tags(&rels, "Relationship")
        .iter()
        .map(|t| {
            let a = attributes(t);
            (a["Id"].clone(), a["Target"].clone())
        })
        .collect();
    let mut defined: BTreeMap<(String, String), String> = BTreeMap::new();
    for t in tags(&workbook, "definedName") {
        let a = attributes(t);
        if let Some(id) = a.get("localSheetId") {
            let start = t.find('>').unwrap() + 1;
            let end = t.find("</definedName>").unwrap();
            defined.insert((a["name"].clone(), id.clone()), unescape(&t[start..end]));
        }
    }
    tags(&workbook, "sheet")
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let a = attributes(t);
            let xml = zip_text(&mut zip, &format!("xl/{}", targets[&a["r:id"]]));
            let page_setup = tags(&xml, "pageSetup")
                .first()
                .map(|t| attributes(t))
                .unwrap_or_default();
            let id = i.to_string();
            Sheet {
                name: a["name"].clone(),
                page_setup,
                fit_to_page: xml.contains("<pageSetUpPr fitToPage=\"1\"/>") && xml.contains("<sheetPr"),
                header: element_text(&xml, "oddHeader"),
                footer: element_text(&xml, "oddFooter"),
                print_area: defined.get(&("_xlnm.Print_Area".into(), id.clone())).cloned(),
                print_titles: defined.get(&("_xlnm.Print_Titles".into(), id)).cloned(),
            }
        })
        .collect()
}

/// What one workbook's sheets must print like.
struct Expect<'a> {
    plan: &'a str,
    period: &'a str,
    lang: Lang,
    /// Sheets printed portrait (the others landscape).
    portrait: &'a [&'a str],
    /// Sheets on one page (the others one page wide, as tall as needed).
    one_page: &'a [&'a str],
    /// Sheets without a repeated header row.
    no_titles: &'a [&'a str],
}

fn check(what: &str, bytes: &[u8], e: &Expect) -> Vec<Sheet> {
    let sheets = print_settings(bytes);
    assert!(!sheets.is_empty(), "{what}");
    for s in &sheets {
        let at = format!("{what}, sheet {}", s.name);
        let p = &s.page_setup;
        assert_eq!(p.get("paperSize").map(String::as_str), Some("9"), "{at}: A4");
        let orientation = if e.portrait.contains(&s.name.as_str()) {
            "portrait"
        } else {
            "landscape"
        };
        assert_eq!(p.get("orientation").map(String::as_str), Some(orientation), "{at}");
        assert!(s.fit_to_page, "{at}: <sheetPr><pageSetUpPr fitToPage=\"1\"/>");
        // fitToWidth and fitToHeight default to 1 in the format (ECMA-376 §18.3.1.64), and
        // rust_xlsxwriter writes them only when they differ.
        assert_eq!(
            p.get("fitToWidth").map_or("1", String::as_str),
            "1",
            "{at}: one page wide"
        );
        let tall = if e.one_page.contains(&s.name.as_str()) {
            "1"
        } else {
            "0"
        };
        assert_eq!(
            p.get("fitToHeight").map_or("1", String::as_str),
            tall,
            "{at}: pages tall"
        );
        assert!(p.get("scale").is_none(), "{at}: no fixed scale");
        let area = s.print_area.as_deref().unwrap_or_else(|| panic!("{at}: no print area"));
        assert!(area.contains("!$A$1:$"), "{at}: print area {area}");
        match &s.print_titles {
            Some(t) => {
                assert!(!e.no_titles.contains(&s.name.as_str()), "{at}: titles {t}");
                assert!(t.contains("!$"), "{at}: titles {t}");
            }
            None => assert!(e.no_titles.contains(&s.name.as_str()), "{at}: no repeated header row"),
        }
        assert!(s.header.contains(&escape(e.plan)), "{at}: plan in {:?}", s.header);
        assert!(s.header.contains(e.period), "{at}: period in {:?}", s.header);
        let page = e.lang.pick("Sayfa &P / &N", "Page &P of &N");
        assert!(s.footer.contains(page), "{at}: page fields in {:?}", s.footer);
        assert!(s.footer.contains("&A"), "{at}: sheet name in {:?}", s.footer);
    }
    sheets
}

#[test]
fn every_sheet_of_the_period_workbooks_and_the_report_prints_one_page_wide() {
    let cat = catalogue();
    let plan_dir = period_dir().parent().unwrap();
    let read = |name: &str| std::fs::read(crate::common::period_file(plan_dir, "2023", name)).unwrap();
    let themes: Vec<&str> = cat.themes.iter().map(|t| t.short_name.as_str()).collect();
    let e = Expect {
        plan: &cat.plan.name,
        period: "2023",
        lang: Lang::Tr,
        portrait: &["Veri", "Metrikler"],
        one_page: &["Özet"],
        no_titles: &["Özet"],
    };
    let internal = check("izleme-2023.xlsx", &read("izleme-2023.xlsx"), &e);
    let public = check("izleme-2023-kamu.xlsx", &read("izleme-2023-kamu.xlsx"), &e);
    let names = |s: &[Sheet]| s.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
    for t in &themes {
        assert!(names(&internal).contains(&t.to_string()), "{t}");
    }
    assert!(names(&internal).contains(&"Doğrulama".to_string()));
    assert!(names(&internal).contains(&"Katalog".to_string()));
    assert_eq!(internal.len(), public.len() + 1, "the public edition has no Doğrulama");
    for s in &internal {
        assert!(s.header.contains("iç kullanım"), "{}: {}", s.name, s.header);
    }
    for s in &public {
        assert!(s.header.contains("kamuya açık"), "{}: {}", s.name, s.header);
    }
    let report = check(
        "dogrulama-2023.xlsx",
        &read("dogrulama-2023.xlsx"),
        &Expect {
            portrait: &[],
            one_page: &[],
            no_titles: &[],
            ..e
        },
    );
    assert!(report.len() > 2, "summary and unit sheets");
}

#[test]
fn templates_of_every_kind_of_unit_print_one_page_wide() {
    let cat = catalogue();
    let mut kinds = Vec::new();
    for u in cat.reporting_units() {
        if kinds.contains(&u.kind) {
            continue;
        }
        kinds.push(u.kind);
        for lang in [Lang::Tr, Lang::En] {
            let (bytes, _) = yeep::sinks::template::build(&cat, &u.id, "2023", lang, None).unwrap();
            use yeep::model::form::{data_sheet, help_sheet, info_sheet, LIST_SHEET};
            let (info, data, help) = (info_sheet(lang), data_sheet(lang), help_sheet(lang));
            let sheets = check(
                &format!("template of {} ({lang:?})", u.id),
                &bytes,
                &Expect {
                    plan: lang.pick(&cat.plan.name, &cat.plan.name_en),
                    period: "2023",
                    lang,
                    portrait: &[info, LIST_SHEET],
                    one_page: &[info],
                    no_titles: &[info, help, LIST_SHEET],
                },
            );
            assert!(sheets.iter().any(|s| s.name == data && s.print_titles.is_some()));
        }
    }
    assert!(kinds.len() >= 3, "{kinds:?}");
}

#[test]
fn the_catalogue_export_prints_one_page_wide() {
    let cat = catalogue();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("katalog.xlsx");
    yeep::sinks::catalogue::write_xlsx(&cat, Lang::Tr, &path).unwrap();
    let sheets = check(
        "katalog.xlsx",
        &std::fs::read(&path).unwrap(),
        &Expect {
            plan: &cat.plan.name,
            period: "2022–2024",
            lang: Lang::Tr,
            portrait: &["İlçeler"],
            one_page: &[],
            no_titles: &[],
        },
    );
    assert_eq!(sheets.len(), 5);
    for s in &sheets {
        assert!(s.header.contains("kamuya açık"), "{}", s.header);
    }
}

/// Row heights fit wrapped text: on every theme sheet, a row whose goal, activity or
/// indicator text needs several lines in its 70-character column is at least that tall
/// (an independent, lenient count: 1.25 characters per width unit, 14 points a line).
#[test]
fn theme_rows_are_tall_enough_for_their_wrapped_text() {
    let cat = catalogue();
    let bytes = std::fs::read(period_dir().join("izleme-2023.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let mut wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let mut tall_rows = 0;
    for (i, t) in cat.themes.iter().enumerate() {
        // The theme sheets follow Özet (sheet1).
        let xml = zip_text(&mut zip, &format!("xl/worksheets/sheet{}.xml", i + 2));
        let heights: BTreeMap<u32, f64> = tags(&xml, "row")
            .iter()
            .filter_map(|t| {
                let a = attributes(t);
                Some((a["r"].parse::<u32>().ok()? - 1, a.get("ht")?.parse().ok()?))
            })
            .collect();
        let range = wb.worksheet_range(&t.short_name).unwrap();
        for r in 1..range.height() as u32 {
            let Some(Data::String(text)) = range.get_value((r, 1)) else {
                continue;
            };
            let lines = (text.chars().count() as f64 / (70.0 * 1.25)).ceil();
            if lines > 1.0 {
                tall_rows += 1;
                let ht = heights.get(&r).copied().unwrap_or(15.0);
                assert!(
                    ht >= lines * 14.0,
                    "{} row {}: {ht} pt for {lines} lines of {text:?}",
                    t.short_name,
                    r + 1
                );
            }
        }
    }
    assert!(tall_rows > 10, "{tall_rows} rows of wrapped text checked");
}

/// `/Type /Page` objects of a PDF (not `/Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while let Some(k) = pdf[i..].windows(5).position(|w| w == b"/Type") {
        let mut j = i + k + 5;
        while pdf.get(j).is_some_and(|b| b.is_ascii_whitespace()) {
            j += 1;
        }
        if pdf[j..].starts_with(b"/Page") && pdf.get(j + 5) != Some(&b's') {
            n += 1;
        }
        i = j;
    }
    n
}

fn column_index(letters: &str) -> u32 {
    letters.bytes().fold(0, |n, b| n * 26 + u32::from(b - b'A' + 1)) - 1
}

/// The internal 2023 workbook rendered by LibreOffice: at most 60 pages (559 before print
/// settings), and no sheet wider than one page. The footer names the sheet of every page
/// (`&A`), so pages are attributed to sheets; a sheet cut into strips of columns would have
/// pages without its first or without its last column. Every page of a sheet with a
/// repeated header row shows both the first and the last header of the print area (its
/// header row is printed on every page), and the one-page Özet is one page.
#[test]
fn the_internal_workbook_prints_to_at_most_60_pages_none_wider_than_one_page() {
    let Some(soffice) = crate::common::tool(&["soffice", "libreoffice"]) else {
        return;
    };
    let Some(pdftotext) = crate::common::tool(&["pdftotext"]) else {
        return;
    };
    let xlsx = period_dir().join("izleme-2023.xlsx");
    let tmp = tempfile::tempdir().unwrap();
    let profile = format!("-env:UserInstallation=file://{}/lo-profile", tmp.path().display());
    let status = std::process::Command::new(&soffice)
        .arg(&profile)
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(tmp.path())
        .arg(&xlsx)
        .env("HOME", tmp.path())
        .status()
        .unwrap();
    assert!(status.success());
    let pdf_path = tmp.path().join("izleme-2023.pdf");
    let pdf = std::fs::read(&pdf_path).unwrap();
    let pages = pdf_pages(&pdf);
    assert!((2..=60).contains(&pages), "{pages} pages");

    let out = std::process::Command::new(&pdftotext)
        .args(["-enc", "UTF-8"])
        .arg(&pdf_path)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    // pdftotext ends every page with a form feed.
    let page_texts: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert_eq!(page_texts.len(), pages, "pdftotext and the page objects agree");

    let sheets = print_settings(&std::fs::read(&xlsx).unwrap());
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let footer = "İzleme çalışma kitabı — ";
    let sheet_of = |page: &str| -> String {
        let line = page
            .lines()
            .find(|l| l.contains(footer))
            .unwrap_or_else(|| panic!("no footer on a page: {page:.300}"));
        let name = &line[line.find(footer).unwrap() + footer.len()..];
        name.split("Sayfa ").next().unwrap().trim().to_string()
    };
    let mut wb = calamine::open_workbook_auto(&xlsx).unwrap();
    let mut seen = Vec::new();
    for s in &sheets {
        let on: Vec<&&str> = page_texts.iter().filter(|p| sheet_of(p) == s.name).collect();
        assert!(!on.is_empty(), "{} printed", s.name);
        seen.push((s.name.clone(), on.len()));
        let Some(titles) = &s.print_titles else {
            assert_eq!(on.len(), 1, "{} on one page", s.name);
            continue;
        };
        // `Sheet!$N:$N` and `Sheet!$A$1:$M$45`.
        let row: u32 = titles.rsplit('$').next().unwrap().parse::<u32>().unwrap() - 1;
        let area = s.print_area.as_deref().unwrap();
        let last = area.rsplit(':').next().unwrap();
        let last_col = column_index(last.split('$').nth(1).unwrap());
        let range = wb.worksheet_range(&s.name).unwrap();
        let headers: Vec<String> = (0..=last_col)
            .filter_map(|c| match range.get_value((row, c)) {
                Some(Data::String(h)) if !h.trim().is_empty() => Some(h.clone()),
                _ => None,
            })
            .collect();
        let (first, last) = (squash(&headers[0]), squash(headers.last().unwrap()));
        for (k, p) in on.iter().enumerate() {
            let p = squash(p);
            assert!(
                p.contains(&first) && p.contains(&last),
                "{} page {} of {}: the header row's first ({first}) and last ({last}) columns",
                s.name,
                k + 1,
                on.len()
            );
        }
    }
    let total: usize = seen.iter().map(|(_, n)| n).sum();
    assert_eq!(total, pages, "every page belongs to a sheet: {seen:?}");
    eprintln!("{pages} pages: {seen:?}");
}

fn yeep_run(out: &Path, extra: &[&str], path_env: Option<&Path>) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_yeep"));
    cmd.arg("run")
        .arg(shipped_pipeline())
        .args(["-q", "--period", "2023", "--output"])
        .arg(out)
        .args(extra);
    if let Some(p) = path_env {
        cmd.env("PATH", p);
    }
    cmd.output().unwrap()
}

/// `yeep run --pdf` writes the Özet and the theme sheets of both editions as PDFs into
/// the period folder, listed in its manifest; a folder written without PDFs is not "up to
/// date" for a run that asks for them.
#[test]
fn run_pdf_prints_the_summary_and_theme_sheets_of_both_editions() {
    if crate::common::tool(&["soffice", "libreoffice"]).is_none() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let plain = yeep_run(out.path(), &[], None);
    assert_eq!(
        plain.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&plain.stderr)
    );
    let dir = out.path().join("izmir-2022-2024/2023");
    assert!(!dir.join("izleme-2023.pdf").exists());
    let with_pdf = yeep_run(out.path(), &["--pdf"], None);
    assert_eq!(
        with_pdf.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&with_pdf.stderr)
    );
    let themes = catalogue().themes.len();
    let manifest = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    for name in ["izleme-2023.pdf", "izleme-2023-kamu.pdf"] {
        let path = crate::common::period_file(dir.parent().unwrap(), "2023", name);
        let pdf = std::fs::read(&path).unwrap();
        assert!(pdf.starts_with(b"%PDF"), "{name}");
        let pages = pdf_pages(&pdf);
        // The Özet on one page, each theme on at least one; nothing else is in it.
        assert!(pages > themes && pages <= 1 + 3 * themes, "{name}: {pages} pages");
        // Listed relative to the manifest: the public PDF is in `../kamu/2023/`.
        let listed = match name.contains("-kamu") {
            true => format!("../kamu/2023/{name}"),
            false => name.to_string(),
        };
        assert!(
            manifest.contains(&format!("\"file\": \"{listed}\"")),
            "{listed} not in the manifest"
        );
    }
    let leftovers: Vec<String> = std::fs::read_dir(out.path().join("izmir-2022-2024"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Without LibreOffice, `yeep run --pdf` says what to install and writes nothing.
#[test]
fn run_pdf_without_libreoffice_says_what_to_install() {
    let empty = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = yeep_run(out.path(), &["--pdf"], Some(empty.path()));
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("LibreOffice") && err.contains("apt-get install libreoffice-calc-nogui"),
        "{err}"
    );
    assert!(!out.path().join("izmir-2022-2024").exists(), "nothing written");
}

/// The plan-period workbook (both editions) prints like the period workbooks: every sheet
/// A4, one page wide, with the plan, the periods shown and the edition on every page.
#[test]
fn every_sheet_of_the_plan_workbook_prints_one_page_wide() {
    let cat = catalogue();
    let plan_dir = period_dir().parent().unwrap();
    let e = Expect {
        plan: &cat.plan.name,
        period: "2022–2023",
        lang: Lang::Tr,
        portrait: &["Metrikler"],
        one_page: &[],
        no_titles: &["Temalar"],
    };
    for (name, edition) in [
        ("izleme-izmir-2022-2024.xlsx", "iç kullanım"),
        ("izleme-izmir-2022-2024-kamu.xlsx", "kamuya açık"),
    ] {
        let sheets = check(
            name,
            &std::fs::read(crate::common::plan_file(plan_dir, name)).unwrap(),
            &e,
        );
        assert_eq!(sheets.len(), 5, "{name}");
        for s in &sheets {
            assert!(s.header.contains(edition), "{name} {}: {}", s.name, s.header);
        }
    }
}
