//! Replays the committed fuzz corpus (fuzz/corpus/<target>/*, seeded from the fastjson vectors
//! plus the inputs fuzzing found interesting) and the minimised crash regressions
//! (fuzz/regressions/<target>/*) through the very functions the cargo-fuzz targets call, so a
//! regression is caught by plain `cargo test` on stable Rust, without libFuzzer or nightly.
#![cfg(feature = "full")]

use std::fs;
use std::path::{Path, PathBuf};

#[path = "../fuzz/fuzz_targets/common.rs"]
mod common;

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.file_type().map(|t| t.is_file()).unwrap_or(false) {
                files.push(entry.path());
            }
        }
    }
    files.sort();
    files
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
