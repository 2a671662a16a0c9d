//! Sources: which inputs a run reads (paths, directories, stdin) and how each is opened
//! (plain files by offset, so they split into parallel chunks; gzip, zstd and pipes as streams).

use anyhow::{bail, Result};
use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Read};
use std::path::{Path, PathBuf};

/// One input of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Path(PathBuf),
    Stdin,
}

impl Input {
    /// The name used in reports and messages.
    pub fn display(&self) -> String {
        match self {
            Input::Path(p) => p.display().to_string(),
            Input::Stdin => "<stdin>".to_string(),
        }
    }
}

/// Expands the command line's paths: `-` is stdin, directories are walked (files in sorted
/// order), and no path at all reads stdin when it is not a terminal.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<Input>> {
    if paths.is_empty() {
        if io::stdin().is_terminal() {
            bail!("no input: give one or more files or directories, or pipe data to stdin");
        }
        return Ok(vec![Input::Stdin]);
    }
    let mut inputs = Vec::new();
    let mut walked = WalkedDirs::default();
    for p in paths {
        if p.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let meta = std::fs::metadata(p).map_err(|e| cannot_read(p.display(), &e))?;
        if meta.is_dir() {
            walk(
                p,
                &meta,
                "a directory read already",
                &mut inputs,
                &mut walked,
            )?;
        } else {
            inputs.push(Input::Path(p.clone()));
        }
    }
    if inputs.is_empty() {
        let dirs: Vec<String> = paths.iter().map(|p| format!("'{}'", p.display())).collect();
        bail!("no files to read in {}", dirs.join(", "));
    }
    Ok(inputs)
}

/// The directories walked so far, by device and inode: a link back up the tree (or to a
/// directory walked already) is not walked again, so no file is read twice through it.
#[derive(Default)]
struct WalkedDirs(std::collections::HashSet<(u64, u64)>);

impl WalkedDirs {
    /// Notes a directory; false when it was walked before.
    fn first_visit(&mut self, meta: &std::fs::Metadata) -> bool {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            self.0.insert((meta.dev(), meta.ino()))
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            true
        }
    }
}

/// The one-sentence error for an input that cannot be read.
pub fn cannot_read(name: impl std::fmt::Display, e: &io::Error) -> anyhow::Error {
    anyhow::anyhow!("cannot read '{name}': {}", describe_io(e))
}

/// An I/O error as a short lower-case phrase ("no such file or directory").
pub fn describe_io(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            // Drop the " (os error N)" suffix: it helps nobody reading a one-line message.
            s.split(" (os error").next().unwrap_or(&s).to_string()
        }
    }
}

/// Adds the files below `dir` (whose metadata is `meta`), unless it was walked already: then
/// says so on stderr (`seen` tells how it was reached again).
fn walk(
    dir: &Path,
    meta: &std::fs::Metadata,
    seen: &str,
    out: &mut Vec<Input>,
    walked: &mut WalkedDirs,
) -> Result<()> {
    if !walked.first_visit(meta) {
        eprintln!("tlm: skipping '{}': {seen}", dir.display());
        return Ok(());
    }
    let rd = std::fs::read_dir(dir).map_err(|e| {
        anyhow::anyhow!(
            "cannot read directory '{}': {}",
            dir.display(),
            describe_io(&e)
        )
    })?;
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => {
                walk(&p, &m, "a link to a directory read already", out, walked)?;
            }
            Ok(m) if m.is_file() => out.push(Input::Path(p)),
            // Sockets and fifos inside a directory are not log files.
            Ok(_) => {}
            // A dangling link (or an entry that vanished) is left out, but not silently: the
            // run goes on with the rest of the directory, as `grep -r` does.
            Err(e) => eprintln!("tlm: skipping '{}': {}", p.display(), describe_io(&e)),
        }
    }
    Ok(())
}

/// Compression, recognised by magic bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    pub fn detect(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    pub fn name(self) -> Option<&'static str> {
        match self {
            Compression::None => None,
            Compression::Gzip => Some("gzip"),
            Compression::Zstd => Some("zstd"),
        }
    }
}

/// What an input is, found without consuming any of it (a pipe is not read here, so nothing
/// is lost when it is opened for real).
pub enum Probed {
    /// A regular, uncompressed file: read by offset in parallel chunks.
    Plain { file: File, len: u64 },
    /// Anything read front to back: stdin, pipes, devices, compressed files.
    Stream,
}

/// Finds whether `input` is a plain file (sniffing compression by offset, which reads nothing
/// from a stream).
pub fn probe(input: &Input) -> Result<Probed> {
    let Input::Path(p) = input else {
        return Ok(Probed::Stream);
    };
    let file = File::open(p).map_err(|e| cannot_read(p.display(), &e))?;
    let meta = file.metadata().map_err(|e| cannot_read(p.display(), &e))?;
    if !meta.is_file() {
        return Ok(Probed::Stream);
    }
    let mut head = [0u8; 4];
    let n = read_head(&file, &mut head).map_err(|e| cannot_read(p.display(), &e))?;
    Ok(match Compression::detect(&head[..n]) {
        Compression::None => Probed::Plain {
            file,
            len: meta.len(),
        },
        _ => Probed::Stream,
    })
}

/// Opens an input to read front to back, decompressing it when its first bytes say so.
pub fn open_stream(input: &Input) -> Result<(Box<dyn Read + Send>, Compression)> {
    match input {
        Input::Stdin => {
            let reader = BufReader::with_capacity(1 << 20, io::stdin());
            stream(Box::new(reader), "<stdin>")
        }
        Input::Path(p) => {
            let file = File::open(p).map_err(|e| cannot_read(p.display(), &e))?;
            let reader = BufReader::with_capacity(1 << 20, file);
            stream(Box::new(reader), &p.display().to_string())
        }
    }
}

/// Reads the first bytes of a regular file by offset.
#[cfg(unix)]
fn read_head(file: &File, head: &mut [u8]) -> io::Result<usize> {
    use std::os::unix::fs::FileExt;
    let mut n = 0;
    while n < head.len() {
        match file.read_at(&mut head[n..], n as u64)? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

#[cfg(not(unix))]
fn read_head(file: &File, head: &mut [u8]) -> io::Result<usize> {
    let _ = (file, head);
    Ok(0)
}

fn stream(
    mut reader: Box<dyn BufRead + Send>,
    name: &str,
) -> Result<(Box<dyn Read + Send>, Compression)> {
    let head = reader.fill_buf().map_err(|e| cannot_read(name, &e))?;
    let compression = Compression::detect(head);
    let reader: Box<dyn Read + Send> = match compression {
        Compression::None => reader,
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(reader)),
        Compression::Zstd => Box::new(
            zstd::stream::read::Decoder::with_buffer(reader)
                .map_err(|e| anyhow::anyhow!("cannot read '{name}': {e}"))?,
        ),
    };
    Ok((reader, compression))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes() {
        assert_eq!(Compression::detect(&[0x1f, 0x8b, 8, 0]), Compression::Gzip);
        assert_eq!(
            Compression::detect(&[0x28, 0xb5, 0x2f, 0xfd]),
            Compression::Zstd
        );
        assert_eq!(Compression::detect(b"{\"a\""), Compression::None);
        assert_eq!(Compression::detect(b""), Compression::None);
    }

    #[test]
    fn directories_walk_sorted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for f in ["b.jsonl", "a.jsonl", "sub/c.jsonl"] {
            std::fs::write(dir.path().join(f), "{}\n").unwrap();
        }
        let got = discover(&[dir.path().to_path_buf()]).unwrap();
        let names: Vec<String> = got
            .iter()
            .map(|i| match i {
                Input::Path(p) => p.strip_prefix(dir.path()).unwrap().display().to_string(),
                Input::Stdin => "-".into(),
            })
            .collect();
        assert_eq!(names, ["a.jsonl", "b.jsonl", "sub/c.jsonl"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_loop_is_walked_once() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("logs/loop")).unwrap();
        std::fs::write(d.join("logs/a.jsonl"), "{}\n").unwrap();
        std::os::unix::fs::symlink("..", d.join("logs/loop/up")).unwrap();
        std::os::unix::fs::symlink(d.join("logs"), d.join("again")).unwrap();
        let got = discover(&[d.join("logs"), d.join("again")]).unwrap();
        assert_eq!(got.len(), 1, "{got:?}");
    }

    #[test]
    fn a_directory_without_files_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("empty")).unwrap();
        let err = discover(&[dir.path().join("empty")]).unwrap_err();
        assert!(
            err.to_string().starts_with("no files to read in '"),
            "{err}"
        );
        std::fs::write(dir.path().join("a.jsonl"), "{}\n").unwrap();
        let got = discover(&[dir.path().join("empty"), dir.path().join("a.jsonl")]).unwrap();
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn missing_path_is_one_sentence() {
        let err = discover(&[PathBuf::from("/nonexistent/x.jsonl")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot read '/nonexistent/x.jsonl': no such file or directory"
        );
    }
}
