//! The floor plan (`src/lib.rs`, `docs/architecture.md`) as a test: every `crate::…`
//! path in `src/` (in `use` lines and inline, tests inside `src/` included) must point to
//! the same floor or one below, and the files inside one floor must not import each other
//! in a circle. There is no list of exceptions.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::common::root;

/// Floors from the ground up. A module may use modules of a lower floor, and its own
/// top-level module; `pipeline` and `demo` share a floor and must not use each other.
const FLOORS: &[&[&str]] = &[
    &["normalise"],
    &["model"],
    &["diagnostics"],
    &["catalogue"],
    &["sources"],
    &["validate"],
    &["metrics"],
    &["sinks"],
    &["pipeline", "demo"],
    &["cli"],
];

fn floor(top: &str) -> Option<usize> {
    FLOORS.iter().position(|f| f.contains(&top))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a file: `src/sources/tuik/mod.rs` → `sources::tuik`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel.iter().map(|c| c.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" && stem != "main" {
        parts.push(stem.to_string());
    }
    parts
}

/// The code of a file without comments and string literals (so doc links and texts that
/// name a module are not imports).
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            while i < b.len() && !b[i..].starts_with(b"*/") {
                i += 1;
            }
            i += 2;
        } else if b[i..].starts_with(b"r#\"") {
            i += 3;
            while i < b.len() && !b[i..].starts_with(b"\"#") {
                i += 1;
            }
            i += 2;
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
        } else if b[i] == b'\'' && i + 2 < b.len() && (b[i + 2] == b'\'' || b[i + 1] == b'\\') {
            // A char literal ('"', '\'', '\n'); lifetimes ('a) have no closing quote there.
            let end = b[i + 1..]
                .iter()
                .position(|c| *c == b'\'')
                .map_or(b.len(), |p| i + 2 + p);
            i = end;
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

/// Every module path a file's code names: `crate::a::b…`, `super::…`, `self::…`, also
/// inside braces (`use crate::{a::x, b::y}`), resolved to the longest known module.
fn imports(code: &str, me: &[String], modules: &BTreeSet<Vec<String>>) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    let words: Vec<char> = code.chars().collect();
    let text: String = words.iter().collect();
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut push = |base: Vec<String>, rest: &str| {
        // `rest` is what follows `crate::` etc.: a path, or a `{…}` group of paths.
        let mut paths = Vec::new();
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut end = 0;
            for (k, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = k;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            for part in group[..end].split(',') {
                paths.push(part.trim().to_string());
            }
        } else {
            paths.push(rest.to_string());
        }
        for p in paths {
            let mut full = base.clone();
            for seg in p.split("::") {
                let seg: String = seg.trim().chars().take_while(|c| ident(*c)).collect();
                if seg.is_empty() {
                    break;
                }
                full.push(seg);
            }
            // The longest prefix that is a module.
            while !full.is_empty() && !modules.contains(&full) {
                full.pop();
            }
            if !full.is_empty() {
                out.insert(full);
            }
        }
    };
    let mut i = 0;
    while let Some(pos) = text[i..].find("::") {
        let at = i + pos;
        let start = text[..at].rfind(|c: char| !ident(c)).map_or(0, |s| s + 1);
        let word = &text[start..at];
        let rest = &text[at + 2..];
        match word {
            "crate" => push(Vec::new(), rest),
            "super" => {
                // `super::super::x` climbs twice.
                let mut base = me.to_vec();
                base.pop();
                let mut r = rest;
                while let Some(more) = r.strip_prefix("super::") {
                    base.pop();
                    r = more;
                }
                push(base, r);
            }
            "self" if start == 0 || !text[..start].ends_with("::") => push(me.to_vec(), rest),
            _ => {}
        }
        i = at + 2;
    }
    out
}

struct Plan {
    /// File module → the modules it names.
    edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
}

fn plan() -> Plan {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut edges = BTreeMap::new();
    for f in &files {
        let me = module_of(&src, f);
        let code = code_only(&std::fs::read_to_string(f).unwrap());
        edges.insert(me.clone(), imports(&code, &me, &modules));
    }
    Plan { edges }
}

#[test]
fn imports_follow_the_floor_plan() {
    let plan = plan();
    assert!(plan.edges.len() > 40, "only {} files found", plan.edges.len());
    let mut wrong = Vec::new();
    for (from, tos) in &plan.edges {
        let Some(top) = from.first() else { continue }; // lib.rs, main.rs
        let mine = floor(top).unwrap_or_else(|| panic!("src/{top} is on no floor of FLOORS"));
        for to in tos {
            let other = &to[0];
            if other == top {
                continue;
            }
            let theirs = floor(other).unwrap_or_else(|| panic!("{other} is on no floor"));
            if theirs >= mine {
                wrong.push(format!("{} uses {}", from.join("::"), to.join("::")));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the floor plan:\n{}",
        wrong.join("\n")
    );
}

/// Within one top-level module, the files (other than the module's own `mod.rs`, which
/// declares and re-exports its children) must not import each other in a circle.
#[test]
fn no_circles_inside_a_floor() {
    let plan = plan();
    let mut circles = Vec::new();
    for start in plan.edges.keys().filter(|m| m.len() >= 2) {
        // Depth-first search for a path back to `start` through siblings of the same top.
        let top = &start[0];
        let within = |m: &Vec<String>| m.len() >= 2 && &m[0] == top;
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((m, path)) = stack.pop() {
            for next in plan
                .edges
                .get(&m)
                .into_iter()
                .flatten()
                .filter(|n| within(n) && *n != &m)
            {
                // A child naming its parent module (`super::Type` defined in mod.rs) is not
                // a circle between files; the parent is never a node here.
                if next.len() < m.len() && m.starts_with(next) {
                    continue;
                }
                if next == start {
                    let names: Vec<String> = path.iter().map(|p| p.join("::")).collect();
                    circles.push(format!("{} → {}", names.join(" → "), start.join("::")));
                } else if seen.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
    circles.sort();
    circles.dedup();
    assert!(circles.is_empty(), "circles between files:\n{}", circles.join("\n"));
}

/// The crates with a room of their own: calamine only reads in `sources`, rust_xlsxwriter
/// only writes in `sinks` (and `demo`, which writes synthetic input tables), polars only
/// computes in `metrics`, `sinks` and `pipeline`; files are opened only by the catalogue
/// loader, the sinks, the pipeline, the demo and the CLI (the sources read bytes).
#[test]
fn crates_stay_in_their_rooms() {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let rooms: &[(&str, &[&str])] = &[
        ("calamine::", &["sources"]),
        ("rust_xlsxwriter::", &["sinks", "demo"]),
        ("polars::", &["metrics", "sinks", "pipeline"]),
        ("std::fs", &["catalogue", "sinks", "pipeline", "demo", "cli"]),
    ];
    let mut wrong = Vec::new();
    let mut seen = BTreeMap::new();
    for f in &files {
        let module = module_of(&src, f);
        let Some(top) = module.first() else { continue };
        let code = code_only(&std::fs::read_to_string(f).unwrap());
        for (path, allowed) in rooms {
            if code.contains(path) {
                *seen.entry(*path).or_insert(0) += 1;
                if !allowed.contains(&top.as_str()) {
                    wrong.push(format!("src/{} uses {path}", module.join("/")));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "crates outside their rooms:\n{}", wrong.join("\n"));
    for (path, _) in rooms {
        assert!(
            seen.get(path).copied().unwrap_or(0) > 0,
            "{path} found nowhere: the check reads nothing"
        );
    }
}

/// The guard guards: it finds an upward import and a circle when they are planted.
#[test]
fn the_import_check_sees_what_it_must() {
    let modules: BTreeSet<Vec<String>> = [
        vec!["sources"],
        vec!["pipeline"],
        vec!["pipeline", "cache"],
        vec!["validate"],
    ]
    .into_iter()
    .map(|v| v.into_iter().map(String::from).collect())
    .collect();
    let me: Vec<String> = vec!["sources".into()];
    let code = code_only(
        "use crate::pipeline::cache::Cache;\n// crate::validate in a comment\nlet s = \"crate::validate\";\nuse crate::{pipeline, sources::x};\nfn f() { super::validate::g() }",
    );
    let found = imports(&code, &me, &modules);
    let names: Vec<String> = found.iter().map(|m| m.join("::")).collect();
    assert_eq!(names, ["pipeline", "pipeline::cache", "sources", "validate"]);
}
