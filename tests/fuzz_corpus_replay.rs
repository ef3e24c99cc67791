//! Replays the committed fuzz corpus (fuzz/corpus/<target>/*, seeded from the fastjson vectors
//! plus the inputs fuzzing found interesting) and the regressions (fuzz/regressions/<target>/*,
//! inputs of bugs found and fixed) through the very functions the cargo-fuzz targets call, so a
//! regression is caught by plain `cargo test` on stable Rust, without libFuzzer or nightly.
//!
//! Both folders are part of the repository: a missing one fails here rather than replaying
//! nothing, and so does a folder under regressions/ that names no target (its inputs would
//! never be read).
#![cfg(feature = "full")]

use std::fs;
use std::path::{Path, PathBuf};

#[path = "../fuzz/fuzz_targets/common.rs"]
mod common;

const TARGETS: [&str; 3] = ["verify", "canonicalize", "parse"];

fn fuzz_dir(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join(dir)
}

/// The files of `fuzz/<dir>/<target>/`, sorted; none when that folder does not exist.
fn files_of(dir: &str, target: &str) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(fuzz_dir(dir).join(target)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a readable folder entry"))
        .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
        .map(|e| e.path())
        .collect();
    files.sort();
    files
}

fn inputs(target: &str) -> Vec<PathBuf> {
    let mut files = files_of("corpus", target);
    files.extend(files_of("regressions", target));
    files
}

#[test]
fn corpus_and_regressions_are_there_and_read() {
    for dir in ["corpus", "regressions"] {
        let path = fuzz_dir(dir);
        assert!(
            path.is_dir(),
            "{} is missing: it is part of the repository",
            path.display()
        );
        for entry in fs::read_dir(&path).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            let known = TARGETS.contains(&name.as_str()) && entry.path().is_dir();
            assert!(
                known,
                "fuzz/{dir}/{name} is not a target's folder ({TARGETS:?}): its inputs would never be replayed"
            );
        }
    }
    let regressions: usize = TARGETS
        .iter()
        .map(|t| files_of("regressions", t).len())
        .sum();
    assert!(regressions > 0, "fuzz/regressions/ holds no input");
}

fn replay(target: &str, run: fn(&[u8])) {
    let files = inputs(target);
    assert!(
        files.len() >= 100,
        "fuzz/corpus/{target} holds only {} inputs; run fuzz/seed.sh",
        files.len()
    );
    for path in &files {
        let data = fs::read(path).unwrap();
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{target} panicked on {}", path.display());
    }
}

#[test]
fn verify_corpus_replays_without_panic() {
    replay("verify", common::fuzz_verify);
}

#[test]
fn canonicalize_corpus_replays_without_panic() {
    replay("canonicalize", common::fuzz_canonicalize);
}

#[test]
fn parse_corpus_replays_without_panic() {
    replay("parse", common::fuzz_parse);
}

/// A few inputs a fuzzer reaches first, checked even if the corpus were emptied.
#[test]
fn small_edge_inputs() {
    for data in [
        &b""[..],
        b"\0",
        b"{",
        b"{\"messageEvent\":{}}",
        b"\xef\xbb\xbf{\"messageEvent\":{\"a\":\"\\ud800\"}}",
        b"{\"messageEvent\":{\"n\":1e2147483647}}",
        b"{\"messageEvent\":{\"n\":10e2147483647}}",
        b"{\"messageEvent\":{\"a\":1,\"a\":null}}",
    ] {
        common::fuzz_verify(data);
        common::fuzz_canonicalize(data);
        common::fuzz_parse(data);
    }
}
