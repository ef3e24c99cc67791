//! Verification cost against the bare HMAC of the same bytes, measured in one run.
//!
//! `cargo bench --bench verify` prints, for the spec's example body (525 bytes), a 16 KiB and a
//! 256 KiB body, and two bodies off the easy path (the example re-serialised with spaces and
//! signed over that text, verified over its raw form after the canonical form failed; and the
//! example with a duplicate key, read through the tree of the body): µs per call and MB/s of
//! - `check` (the verdict alone), and the same through a reused `Verifier` (HMAC keys scheduled
//!   once);
//! - `verify` + `.event` (the verdict and the typed event: what a receiver pays in all), alone
//!   and through the reused `Verifier`;
//! - `canonicalize`;
//!
//! next to HMAC-SHA1 over url + secret + the signed text alone (the canonical form, or the raw
//! `messageEvent` for the re-serialised body). Every contender is warmed up first; then rounds
//! interleave the contenders, each round starting one contender later, so that a noisy
//! neighbour or a cache warmed by the previous contender favours none; the medians' ratios are
//! what to read.

use std::hint::black_box;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

const URL: &str = "https://hooks.example.com/dms/webhook";
const SECRET: &str = "rotate-me-2026";

const SPEC_EXAMPLE: &str = r#"{"messageEvent":{"submitterName":"xxx","submitterUid":"167382665015xxxx","category":"工單","event":"執行成功","eventTime":1625630049930,"message":"【DMS數據管理】Webhook test, code: 144619 ","module":"數據變更","receivers":[{"name":"xxx1","uid":"167382665015xxxx"},{"name":"xxx2","uid":"167382665016xxxx"}],"targetUsers":[{"name":"xxx1","uid":"167382665015xxxx"},{"name":"xxx2","uid":"167382665016xxxx"}],"taskName":"Webhook test"},"signatureMethod":"HMAC_SHA1","signatureText":"4mOdwflN1Cg5NdM2XPuipuCYYWk="}"#;

/// A realistic large notification: a long localised message and many receivers.
fn event_of_size(target: usize) -> String {
    let mut receivers = String::new();
    let mut i = 0;
    let line = "工单 #2026-11-24 变更执行成功：UPDATE orders SET status = 'shipped' WHERE id IN (…); 影响行数 1284。\n";
    let mut message = String::new();
    while message.len() < target / 2 {
        message.push_str(line);
    }
    let message = serde_json::to_string(&message).unwrap();
    // The receivers are written twice (receivers and targetUsers).
    while 2 * receivers.len() + message.len() < target - 400 {
        if i > 0 {
            receivers.push(',');
        }
        receivers.push_str(&format!(
            r#"{{"name":"数据库管理员{i}","uid":"1673826650{i:06}"}}"#
        ));
        i += 1;
    }
    format!(
        r#"{{"submitterName":"张三","submitterUid":"167382665015xxxx","category":"工单","event":"执行成功","eventTime":1625630049930,"message":{message},"module":"数据变更","receivers":[{receivers}],"targetUsers":[{receivers}],"taskId":"9876543","taskName":"nightly schema change"}}"#
    )
}

fn signed(event: &str) -> String {
    dms_webhook::sign_body(event, URL, SECRET).unwrap()
}

/// The event re-serialised with a space after every `:` and `,` outside strings, signed over
/// that text: its canonical form does not match, its raw form does.
fn reserialised(event: &str) -> (String, String) {
    let mut spaced = String::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in event.chars() {
        spaced.push(c);
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c == ':' || c == ',' {
            spaced.push(' ');
        }
    }
    let text = STANDARD.encode(hmac_alone(spaced.as_bytes()));
    (
        format!(
            r#"{{"messageEvent":{spaced},"signatureMethod":"HMAC_SHA1","signatureText":"{text}"}}"#
        ),
        spaced,
    )
}

/// The event with a duplicate key in front of `category` (fastjson keeps the last value).
fn duplicated(event: &str) -> String {
    let at = event.find(r#""category":"#).unwrap();
    let with = format!(r#"{}"category":"草稿",{}"#, &event[..at], &event[at..]);
    let signature = dms_webhook::sign(&with, URL, SECRET).unwrap();
    format!(
        r#"{{"messageEvent":{with},"signatureMethod":"HMAC_SHA1","signatureText":"{signature}"}}"#
    )
}

fn hmac_alone(text: &[u8]) -> [u8; 20] {
    let mut mac = Hmac::<Sha1>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(URL.as_bytes());
    mac.update(SECRET.as_bytes());
    mac.update(text);
    mac.finalize().into_bytes().into()
}

/// One call of what is measured.
type Contender<'a> = Box<dyn FnMut() + 'a>;

fn time(iterations: u32, f: &mut dyn FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..iterations {
        f();
    }
    start.elapsed() / iterations
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let spec_event = {
        let start = SPEC_EXAMPLE.find(":{").unwrap() + 1;
        let end = SPEC_EXAMPLE.find(r#","signatureMethod""#).unwrap();
        SPEC_EXAMPLE[start..end].to_string()
    };
    let (raw_body, raw_text) = reserialised(&spec_event);
    // (name, body, the text its signature is over)
    let bodies: Vec<(&str, String, Vec<u8>)> = vec![
        ("spec example", signed(&spec_event), vec![]),
        ("16 KiB", signed(&event_of_size(16 << 10)), vec![]),
        ("256 KiB", signed(&event_of_size(256 << 10)), vec![]),
        ("raw form", raw_body, raw_text.into_bytes()),
        ("duplicate key", duplicated(&spec_event), vec![]),
    ];
    let options = dms_webhook::VerifyOptions::new(URL, SECRET);
    let verifier = dms_webhook::Verifier::new(options.clone()).unwrap();
    println!(
        "{:<14} {:>8} {:>18} {:>10} {:>8}",
        "body", "bytes", "contender", "µs/call", "MB/s"
    );
    for (name, body, signed_text) in &bodies {
        let b = body.as_bytes();
        let canonical = dms_webhook::canonicalize(b).unwrap();
        let text = if signed_text.is_empty() {
            &canonical
        } else {
            signed_text
        };
        let verified = dms_webhook::verify(b, &options).unwrap();
        let form = verified.matched.as_ref().map(|m| m.form);
        let want = if signed_text.is_empty() {
            dms_webhook::Form::Canonical
        } else {
            dms_webhook::Form::Raw
        };
        assert_eq!(form, Some(want), "{name}");
        let iterations = (20_000_000 / b.len()).clamp(20, 200_000) as u32;
        let rounds = 15;
        let mut contenders: Vec<(&str, Contender)> = vec![
            (
                "hmac alone",
                Box::new(|| {
                    black_box(hmac_alone(black_box(text)));
                }),
            ),
            (
                "check",
                Box::new(|| {
                    black_box(dms_webhook::check(black_box(b), &options).unwrap());
                }),
            ),
            (
                "Verifier::check",
                Box::new(|| {
                    black_box(verifier.check(black_box(b)).unwrap());
                }),
            ),
            (
                "verify + .event",
                Box::new(|| {
                    let v = dms_webhook::verify(black_box(b), &options).unwrap();
                    black_box(v.event.category.as_deref());
                    black_box(v);
                }),
            ),
            (
                "Verifier::verify",
                Box::new(|| {
                    let v = verifier.verify(black_box(b)).unwrap();
                    black_box(v.event.category.as_deref());
                    black_box(v);
                }),
            ),
            (
                "canonicalize",
                Box::new(|| {
                    black_box(dms_webhook::canonicalize(black_box(b)).unwrap());
                }),
            ),
        ];
        // Warm-up: caches, branch predictors and the allocator, for every contender.
        for (_, f) in contenders.iter_mut() {
            time(iterations.div_ceil(2), f.as_mut());
        }
        let n = contenders.len();
        let mut times: Vec<Vec<Duration>> = vec![Vec::new(); n];
        for round in 0..rounds {
            for k in 0..n {
                let c = (k + round) % n;
                times[c].push(time(iterations, contenders[c].1.as_mut()));
            }
        }
        let base = median(times[0].clone());
        for ((contender, _), t) in contenders.iter().zip(times) {
            let t = median(t);
            let us = t.as_secs_f64() * 1e6;
            println!(
                "{:<14} {:>8} {:>18} {:>10.2} {:>8.0}   {:.2}x hmac",
                name,
                b.len(),
                contender,
                us,
                b.len() as f64 / us,
                t.as_secs_f64() / base.as_secs_f64()
            );
        }
    }
}
