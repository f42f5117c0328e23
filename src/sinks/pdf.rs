//! PDFs of the workbooks, on request (`yeep run --pdf`), through LibreOffice headless: the
//! commission prints and attaches PDFs. yeep does not lay out pages itself; the
//! workbooks' print settings decide how LibreOffice paginates.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The longest one conversion may take.
pub const TIMEOUT: Duration = Duration::from_secs(300);

/// What to install when LibreOffice is missing.
pub const INSTALL_HINT: &str = "install LibreOffice: `apt-get install libreoffice-calc-nogui` \
(Debian, Ubuntu), `dnf install libreoffice-calc` (Fedora, RHEL), or from libreoffice.org; \
yeep looks for `soffice` or `libreoffice` on PATH";

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("PDF output needs LibreOffice, which is not installed here: {INSTALL_HINT}")]
    NotInstalled,
    #[error("LibreOffice could not convert {file}: {message}")]
    Failed { file: PathBuf, message: String },
    #[error("writing {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// LibreOffice's command on `PATH` (`soffice`, else `libreoffice`).
pub fn find_libreoffice() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["soffice", "libreoffice"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// Converts the workbook `xlsx` into the PDF `out`, with LibreOffice at `soffice`. The
/// conversion runs in a scratch folder beside `out` (its own LibreOffice profile, so
/// parallel conversions and a user's open LibreOffice do not interfere), and the PDF is
/// moved into place only when complete.
///
/// # Errors
///
/// [`PdfError::Failed`] when LibreOffice fails or writes nothing, [`PdfError::Io`] for the
/// scratch folder or the move.
pub fn convert(soffice: &Path, xlsx: &Path, out: &Path) -> Result<(), PdfError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| PdfError::Io { path, source }
    };
    let dir = out.parent().unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let scratch = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(scratch.join("profile")).map_err(io(&scratch))?;
    let result = (|| {
        let scratch = std::fs::canonicalize(&scratch).map_err(io(&scratch))?;
        let profile = format!("-env:UserInstallation={}", file_url(&scratch.join("profile")));
        let mut child = Command::new(soffice)
            .arg(profile)
            .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
            .arg(&scratch)
            .arg(xlsx)
            .env("HOME", &scratch)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| PdfError::Failed {
                file: xlsx.to_path_buf(),
                message: e.to_string(),
            })?;
        let failed = |message: String| PdfError::Failed {
            file: xlsx.to_path_buf(),
            message,
        };
        // LibreOffice can wait forever (a dialog, a broken profile): never longer than this.
        let started = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if started.elapsed() < TIMEOUT => std::thread::sleep(Duration::from_millis(100)),
                Ok(None) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(failed(format!("no answer after {} s; stopped", TIMEOUT.as_secs())));
                }
                Err(e) => return Err(failed(e.to_string())),
            }
        };
        let mut stderr = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
        }
        let stem = xlsx
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let made = scratch.join(format!("{stem}.pdf"));
        if !status.success() || !made.is_file() {
            return Err(failed(format!("{status}; {}", stderr.trim())));
        }
        std::fs::rename(&made, out).map_err(io(out))
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

/// A `file://` URL of an absolute path, with the characters a URL cannot hold
/// percent-encoded (LibreOffice's `-env:UserInstallation` takes a URL).
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_urls_are_absolute_and_encoded() {
        assert_eq!(
            super::file_url("/srv/yeep/a b/İz".as_ref()),
            "file:///srv/yeep/a%20b/%C4%B0z"
        );
    }
}
