//! Build script: records the source commit the binary is built from, for `yeep --version`
//! (`YEEP_COMMIT`, `YEEP_COMMIT_DATE`). Outside a git checkout (a source tarball) set
//! `YEEP_COMMIT` yourself, or the version says `unknown`.
//!
//! It also records the build's identity, `YEEP_BUILD_ID`: the SHA-256 of every file under
//! `src/`, of `build.rs`, `Cargo.toml` and `Cargo.lock` (the exact dependency versions), of
//! the compiler's version and of the profile, target and features. The re-run cache and the
//! up-to-date records are keyed on it, so a binary rebuilt from other sources never trusts
//! what an older one computed — a commit hash would not do: an uncommitted fix has none.

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// Every file under `dir`, sorted (the order of `read_dir` is the file system's).
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The hex SHA-256 identity of this build (see the module comment).
fn build_id() -> String {
    let mut files = Vec::new();
    files_under(Path::new("src"), &mut files);
    files.sort();
    files.extend(["build.rs", "Cargo.toml", "Cargo.lock"].map(PathBuf::from));
    let mut h = Sha256::new();
    for f in &files {
        h.update(f.to_string_lossy().as_bytes());
        h.update([0]);
        match std::fs::read(f) {
            Ok(bytes) => {
                h.update((bytes.len() as u64).to_le_bytes());
                h.update(&bytes);
            }
            Err(e) => h.update(e.to_string().as_bytes()),
        }
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    if let Ok(out) = Command::new(rustc).arg("-vV").output() {
        h.update(&out.stdout);
    }
    let mut env: Vec<(String, String)> = std::env::vars()
        .filter(|(k, _)| k == "PROFILE" || k == "TARGET" || k == "OPT_LEVEL" || k.starts_with("CARGO_FEATURE_"))
        .collect();
    env.sort();
    for (k, v) in env {
        h.update(format!("{k}={v}\0").as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn main() {
    println!("cargo:rerun-if-env-changed=YEEP_COMMIT");
    println!("cargo:rerun-if-env-changed=YEEP_COMMIT_DATE");
    // A new commit or checkout changes HEAD or the ref it names; an edit changes src/.
    if let Some(dir) = git(&["rev-parse", "--git-dir"]) {
        let dir = Path::new(&dir);
        for f in ["HEAD", "index", "packed-refs"] {
            println!("cargo:rerun-if-changed={}", dir.join(f).display());
        }
        if let Some(head_ref) = git(&["symbolic-ref", "-q", "HEAD"]) {
            if let Some(common) = git(&["rev-parse", "--git-common-dir"]) {
                println!("cargo:rerun-if-changed={}", Path::new(&common).join(head_ref).display());
            }
        }
    }
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.toml");
    println!("cargo:rerun-if-changed=Cargo.lock");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rustc-env=YEEP_BUILD_ID={}", build_id());

    let commit = std::env::var("YEEP_COMMIT").ok().filter(|s| !s.is_empty()).or_else(|| {
        let hash = git(&["rev-parse", "--short=12", "HEAD"])?;
        // Uncommitted changes to tracked files are marked: such a build is not the commit.
        let dirty = git(&["status", "--porcelain", "--untracked-files=no"]).is_some();
        Some(if dirty { format!("{hash}+changes") } else { hash })
    });
    let date = std::env::var("YEEP_COMMIT_DATE")
        .ok()
        .filter(|s| !s.is_empty())
        .or_else(|| git(&["log", "-1", "--format=%cs"]));
    println!(
        "cargo:rustc-env=YEEP_COMMIT={}",
        commit.unwrap_or_else(|| "unknown".into())
    );
    println!(
        "cargo:rustc-env=YEEP_COMMIT_DATE={}",
        date.unwrap_or_else(|| "unknown".into())
    );
}
