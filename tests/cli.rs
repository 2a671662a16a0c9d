//! Behaviour of the binary as a Unix tool: completions, README examples, exit codes, pipes.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn tlm() -> Command {
    let mut c = Command::cargo_bin("tlm").unwrap();
    c.env_remove("NO_COLOR").env_remove("COLUMNS");
    c
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

#[test]
fn committed_completions_match_the_cli() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = tlm().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("completions/tlm.{shell}"));
        let committed = std::fs::read(&path).unwrap_or_default();
        assert!(
            committed == out.stdout,
            "completions/tlm.{shell} is out of date: run `cargo run -- completions {shell} > completions/tlm.{shell}`"
        );
    }
}

#[test]
fn committed_man_page_matches_the_cli() {
    let out = tlm().arg("man").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(
        text.contains(".TH tlm") && text.contains("summarize"),
        "{text}"
    );
    // Every subcommand's options are on the one page, not in pages nobody installs.
    for (section, flag) in [
        ("TLM SUMMARIZE", r"\-\-top\-errors"),
        ("TLM ERRORS", r"\-\-raw"),
        ("TLM SLOW", r"\-\-over"),
        ("TLM CHECK", r"\-\-max\-p95"),
    ] {
        let at = text
            .find(&format!(".SH \"{section}\""))
            .unwrap_or_else(|| panic!("no section {section}"));
        assert!(text[at..].contains(flag), "{section} lacks {flag}");
    }
    assert!(!text.contains("(1)\n"), "no references to other pages");
    let committed = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/tlm.1"))
        .unwrap_or_default();
    assert!(
        committed == out.stdout,
        "completions/tlm.1 is out of date: run `cargo run -- man > completions/tlm.1`"
    );
}

/// Every `tlm …` or `cargo run --release -- …` line in the README's `sh` blocks runs and
/// succeeds (a line marked `# exits 1` must exit 1).
#[test]
fn readme_examples_run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let bin_dir = assert_cmd::cargo::cargo_bin("tlm")
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut in_sh = false;
    let mut ran = 0;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_sh = line == "```sh";
            continue;
        }
        let cmd = line.trim();
        let args = match (in_sh, cmd.strip_prefix("cargo run --release -- ")) {
            (false, _) => continue,
            (true, Some(rest)) => rest,
            (true, None) => match cmd.strip_prefix("tlm ") {
                Some(rest) => rest,
                None => continue,
            },
        };
        let (args, want) = match args.split_once("# exits ") {
            Some((a, code)) => (a.trim(), code.trim().parse::<i32>().unwrap()),
            None => (args, 0),
        };
        // Pipelines and redirections run in a shell, with the built binary first on PATH.
        let out = std::process::Command::new("bash")
            .args(["-o", "pipefail", "-c", &format!("tlm {args}")])
            .current_dir(root)
            .env("PATH", &path)
            .env("TLM_NOW", "")
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(want),
            "README example: {cmd}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        ran += 1;
    }
    assert!(ran >= 2, "only {ran} README examples found");
}

#[test]
fn usage_errors_exit_2() {
    tlm()
        .args(["summarize", "--format", "yaml", "x"])
        .assert()
        .code(2);
    tlm().args(["frobnicate"]).assert().code(2);
    tlm()
        .args(["summarize", "/nonexistent/telemetry.jsonl"])
        .assert()
        .code(2)
        .stderr("tlm: cannot read '/nonexistent/telemetry.jsonl': no such file or directory\n");
    let f = fixture("eventkit_telemetry.jsonl");
    let f = f.to_str().unwrap();
    for args in [
        &["summarize", "-j", "100000", f][..],
        &["summarize", "-j", "0", f],
        &["errors", "--top", "0", f],
        &["slow", "--top", "0", f],
        &["summarize", "--input-format", "pattern", f],
        &[
            "summarize",
            "--pattern",
            "(?P<msg>.*)",
            "--input-format",
            "json",
            f,
        ],
        &["summarize", "--by", "", f],
        &["summarize", "--time-format", "%Q", f],
        &["summarize", "--since", "2h", "--until", "3h", f],
        &["check", "--max-error-rate", "150%", f],
    ] {
        tlm().args(args).assert().code(2);
    }
    let empty = tempfile::tempdir().unwrap();
    tlm()
        .args(["summarize"])
        .arg(empty.path())
        .assert()
        .code(2)
        .stderr(predicates::str::starts_with("tlm: no files to read in '"));
}

/// A link back up a directory tree is walked once: every line is counted once.
#[cfg(unix)]
#[test]
fn a_directory_link_loop_counts_each_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir_all(logs.join("loop")).unwrap();
    std::fs::copy(fixture("eventkit_telemetry.jsonl"), logs.join("a.jsonl")).unwrap();
    std::os::unix::fs::symlink("..", logs.join("loop/up")).unwrap();
    let out = tlm()
        .args(["summarize", "--format", "json"])
        .arg(&logs)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["inputs"]["files"].as_array().unwrap().len(), 1);
    assert_eq!(doc["overall"]["count"], 38);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("loop/up"), "the loop is named: {stderr}");
}

#[test]
fn no_color_and_pipes_have_no_escape_codes() {
    let out = tlm()
        .env("NO_COLOR", "1")
        .arg("summarize")
        .arg(fixture("eventkit_telemetry.jsonl"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!out.stdout.contains(&0x1b), "escape codes in piped output");
}

#[test]
fn closed_stdout_pipe_exits_quietly() {
    use std::process::{Command as Std, Stdio};
    // Large enough that tlm is still writing when the reader has gone.
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.jsonl");
    let line = std::fs::read_to_string(fixture("eventkit_telemetry.jsonl")).unwrap();
    std::fs::write(&big, line.repeat(20)).unwrap();
    let mut child = Std::new(assert_cmd::cargo::cargo_bin("tlm"))
        .args(["completions", "bash"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut child = Std::new(assert_cmd::cargo::cargo_bin("tlm"))
        .args(["summarize", "--format", "json"])
        .arg(&big)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
}

#[test]
fn table_fits_the_given_width() {
    let out = tlm()
        .env("COLUMNS", "60")
        .arg("summarize")
        .arg(fixture("eventkit_telemetry.jsonl"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with('│')).collect();
    assert!(!rows.is_empty());
    for l in rows {
        assert!(l.chars().count() <= 60, "too wide: {l}");
    }
}

/// Every subcommand gives the same output whatever the chunk size: lines cut across chunks,
/// chunks without a line start, and `slow --over` flushing many batches in input order.
#[test]
fn output_does_not_depend_on_chunk_size() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let commands: [&[&str]; 5] = [
        &["summarize", "--format", "json"],
        &["errors", "--format", "json", "--raw"],
        &["slow", "--over", "0ms", "--format", "jsonl"],
        &["slow", "--top", "5", "--format", "json"],
        &[
            "check",
            "--format",
            "json",
            "--max-error-rate",
            "50%",
            "--allow-empty",
        ],
    ];
    for file in &files {
        for cmd in commands {
            let run = |extra: &[&str]| {
                let out = tlm()
                    .args(cmd)
                    .args(extra)
                    .arg(file)
                    .current_dir(root)
                    .output()
                    .unwrap();
                (out.status.code(), out.stdout)
            };
            let whole = run(&[]);
            for size in ["1", "37", "4096"] {
                let chunked = run(&["--chunk-size", size, "-j", "2"]);
                assert!(
                    chunked == whole,
                    "{cmd:?} on {} differs with --chunk-size {size}",
                    file.display()
                );
            }
        }
    }
}

/// A path that is a pipe (`<(zcat …)`) is read once, from its first byte: probing it must not
/// consume it.
#[test]
fn pipes_given_as_paths_are_read_whole() {
    let bin_dir = assert_cmd::cargo::cargo_bin("tlm")
        .parent()
        .unwrap()
        .to_path_buf();
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg("tlm summarize --format json <(cat fixtures/eventkit_telemetry.jsonl) <(gzip -c fixtures/eventkit_telemetry.jsonl)")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PATH", format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // 38 records in the fixture (see summarize_reference.rs), twice.
    assert_eq!(doc["inputs"]["records"], 76);
    assert_eq!(
        doc["inputs"]["compression"].as_object().unwrap().len(),
        1,
        "the gzip pipe is named as such"
    );
}
