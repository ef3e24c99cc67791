//! Verification cost against the bare HMAC of the same bytes, measured in one run.
//!
//! `cargo bench --bench verify` prints, for the spec's example body (525 bytes), a 16 KiB and
//! a 256 KiB body: µs per call and MB/s for `check` (signature verified, event not built), the
//! same through a reused `Verifier` (HMAC keys scheduled once),
//! `verify` (with the typed event) and `canonicalize`, next to HMAC-SHA1 over
//! url + secret + canonical text alone. Rounds are interleaved so that a noisy neighbour slows
//! every contender alike; the ratios are what to read.

use std::hint::black_box;
use std::time::{Duration, Instant};

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

fn hmac_alone(canonical: &[u8]) -> [u8; 20] {
    let mut mac = Hmac::<Sha1>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(URL.as_bytes());
    mac.update(SECRET.as_bytes());
    mac.update(canonical);
    mac.finalize().into_bytes().into()
}

fn time(iterations: u32, mut f: impl FnMut()) -> Duration {
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
    let bodies = [
        ("spec example", signed(&spec_event)),
        ("16 KiB", signed(&event_of_size(16 << 10))),
        ("256 KiB", signed(&event_of_size(256 << 10))),
    ];
    let options = dms_webhook::VerifyOptions::new(URL, SECRET);
    let verifier = dms_webhook::Verifier::new(options.clone()).unwrap();
    println!(
        "{:<14} {:>8} {:>12} {:>10} {:>8}",
        "body", "bytes", "contender", "µs/call", "MB/s"
    );
    for (name, body) in &bodies {
        let b = body.as_bytes();
        let canonical = dms_webhook::canonicalize(b).unwrap();
        assert!(dms_webhook::verify(b, &options).is_ok());
        let iterations = (20_000_000 / b.len()).clamp(20, 200_000) as u32;
        let rounds = 15;
        let mut results: Vec<(&str, Vec<Duration>)> = vec![
            ("hmac alone", vec![]),
            ("check", vec![]),
            ("Verifier", vec![]),
            ("verify", vec![]),
            ("canonicalize", vec![]),
        ];
        for _ in 0..rounds {
            results[0].1.push(time(iterations, || {
                black_box(hmac_alone(black_box(&canonical)));
            }));
            results[1].1.push(time(iterations, || {
                black_box(dms_webhook::check(black_box(b), &options).unwrap());
            }));
            results[2].1.push(time(iterations, || {
                black_box(verifier.check(black_box(b)).unwrap());
            }));
            results[3].1.push(time(iterations, || {
                black_box(dms_webhook::verify(black_box(b), &options).unwrap());
            }));
            results[4].1.push(time(iterations, || {
                black_box(dms_webhook::canonicalize(black_box(b)).unwrap());
            }));
        }
        let base = median(results[0].1.clone());
        for (contender, times) in results {
            let t = median(times);
            let us = t.as_secs_f64() * 1e6;
            println!(
                "{:<14} {:>8} {:>12} {:>10.2} {:>8.0}   {:.2}x hmac",
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
