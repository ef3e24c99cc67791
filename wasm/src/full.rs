//! The full module's calls: everything but verification (which it also has, for `explain`).
//!
//! Results that are objects in JavaScript (`parse`, `explain`) come back as one JSON text for a
//! single `JSON.parse`. An event is its own `messageEvent` text when it can be (it is strict JSON
//! already); an event with integers beyond 2^53 is written from its values with each such
//! integer as a string of its digits, and the places of those strings listed under `"wide"`,
//! for JavaScript to turn into `BigInt`s.

use alloc::string::String;
use alloc::vec::Vec;

use dms_webhook::{Error, ExplainOptions, Explanation, Match, Number, Value, VerifyOptions};

use crate::abi::{self, Lists, Slot};

/// A JSON string literal, written byte by byte (every byte that needs an escape is ASCII, and
/// the text between them is copied whole).
fn push_str(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let b = s.as_bytes();
    out.push(b'"');
    let mut run = 0;
    for (i, &c) in b.iter().enumerate() {
        if c != b'"' && c != b'\\' && c >= 0x20 {
            continue;
        }
        out.extend_from_slice(&b[run..i]);
        if c < 0x20 {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(c >> 4)]);
            out.push(HEX[usize::from(c & 15)]);
        } else {
            out.push(b'\\');
            out.push(c);
        }
        run = i + 1;
    }
    out.extend_from_slice(&b[run..]);
    out.push(b'"');
}

fn push_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => push_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// A whole number in decimal.
fn push_num(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

fn push_opt_num(out: &mut Vec<u8>, n: Option<usize>) {
    match n {
        Some(n) => push_num(out, n),
        None => out.extend_from_slice(b"null"),
    }
}

fn push_bool(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

/// Where a value stands in the event: the key or index that leads to it from its parent.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// A path into the event, kept on the stack while the event is written.
struct Path<'a> {
    up: Option<&'a Path<'a>>,
    step: Step<'a>,
}

/// Writes `path` as a JSON list of keys and indices, outermost first (without the brackets).
fn push_path(wide: &mut Vec<u8>, path: &Path<'_>) {
    if let Some(up) = path.up {
        push_path(wide, up);
        wide.push(b',');
    }
    match path.step {
        Step::Key(k) => push_str(wide, k),
        Step::Index(n) => push_num(wide, n),
    }
}

fn is_wide(n: &Number) -> bool {
    n.is_integer() && n.as_i64().is_none_or(|i| i.unsigned_abs() > (1 << 53) - 1)
}

/// Writes `v` as JSON, wide integers as strings whose paths go into `wide` (a JSON list).
fn push_value(v: &Value, out: &mut Vec<u8>, path: Option<&Path<'_>>, wide: &mut Vec<u8>) {
    match v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => push_bool(out, *b),
        Value::Number(n) if is_wide(n) => {
            push_str(out, n.as_str());
            wide.push(if wide.is_empty() { b'[' } else { b',' });
            wide.push(b'[');
            if let Some(path) = path {
                push_path(wide, path);
            }
            wide.push(b']');
        }
        Value::Number(n) => out.extend_from_slice(n.as_str().as_bytes()),
        Value::String(s) => push_str(out, s),
        Value::Array(items) => {
            let mut sep = b'[';
            for (i, item) in items.iter().enumerate() {
                out.push(sep);
                sep = b',';
                let here = Path {
                    up: path,
                    step: Step::Index(i),
                };
                push_value(item, out, Some(&here), wide);
            }
            if sep == b'[' {
                out.push(sep);
            }
            out.push(b']');
        }
        Value::Object(members) => {
            let mut sep = b'{';
            for (k, item) in members {
                out.push(sep);
                sep = b',';
                push_str(out, k);
                out.push(b':');
                let here = Path {
                    up: path,
                    step: Step::Key(k),
                };
                push_value(item, out, Some(&here), wide);
            }
            if sep == b'{' {
                out.push(sep);
            }
            out.push(b'}');
        }
    }
}

/// Writes an event: its raw text when it has no wide integers, else from its values. Returns
/// the JSON list of wide paths (empty when there are none).
fn push_event(out: &mut Vec<u8>, raw: &[u8], event: &Value) -> Vec<u8> {
    let mut wide = Vec::new();
    if event.has_wide_integers() {
        push_value(event, out, None, &mut wide);
        if !wide.is_empty() {
            wide.push(b']');
        }
    } else {
        out.extend_from_slice(raw);
    }
    wide
}

fn push_error(out: &mut Vec<u8>, e: Option<&Error>) {
    let Some(e) = e else {
        out.extend_from_slice(b"null");
        return;
    };
    out.extend_from_slice(b"{\"code\":");
    push_str(out, e.code().as_str());
    out.extend_from_slice(b",\"message\":");
    push_str(out, e.message());
    if let Some(offset) = e.offset() {
        out.extend_from_slice(b",\"offset\":");
        push_num(out, offset);
    }
    out.push(b'}');
}

/// `"url":...,"secretIndex":...`, which matches, hints and expected signatures all have.
fn push_url_and_secret(out: &mut Vec<u8>, url: &str, secret_index: usize) {
    out.extend_from_slice(b"\"url\":");
    push_str(out, url);
    out.extend_from_slice(b",\"secretIndex\":");
    push_num(out, secret_index);
}

fn push_match(out: &mut Vec<u8>, m: Option<&Match>) {
    let Some(m) = m else {
        out.extend_from_slice(b"null");
        return;
    };
    out.push(b'{');
    push_url_and_secret(out, &m.url, m.secret_index);
    out.extend_from_slice(b",\"form\":");
    push_str(out, m.form.as_str());
    out.push(b'}');
}

fn finish(mut out: Vec<u8>, wide: Vec<u8>) -> Vec<u8> {
    let wide_integers = !wide.is_empty();
    if wide_integers {
        out.extend_from_slice(b",\"wide\":");
        out.extend_from_slice(&wide);
    }
    out.push(b'}');
    abi::set(Slot::Wide, u32::from(wide_integers));
    out
}

/// The canonical `messageEvent` text (UTF-8 by construction: a lone surrogate is already `?`).
#[no_mangle]
pub extern "C" fn dms_canonicalize(len: usize) -> u32 {
    abi::text_result(dms_webhook::canonicalize(abi::input(len)))
}

/// The URL and secret of a signing call, from its lists.
fn url_and_secret(mut lists: Lists<'_>) -> (String, String) {
    let first = |mut list: Vec<String>| {
        if list.is_empty() {
            String::new()
        } else {
            list.swap_remove(0)
        }
    };
    let url = first(lists.strings());
    let secret = first(lists.strings());
    (url, secret)
}

/// The signatureText (`whole` 0) or the whole body (`whole` 1) for the messageEvent JSON text
/// in the input, after the lists of its one URL and one secret.
#[no_mangle]
pub extern "C" fn dms_sign(len: usize, options_len: usize, whole: u32) -> u32 {
    let (lists, event) = abi::input_with_lists(options_len, len);
    let (url, secret) = url_and_secret(lists);
    let signed = if whole != 0 {
        dms_webhook::sign_body(event, &url, &secret)
    } else {
        dms_webhook::sign(event, &url, &secret)
    };
    abi::text_result(signed.map(String::into_bytes))
}

#[no_mangle]
pub extern "C" fn dms_delivery_key(len: usize) -> u32 {
    abi::text_result(dms_webhook::delivery_key(abi::input(len)).map(String::into_bytes))
}

/// `{"event":...,"signatureMethod":...,"signatureText":...[,"wide":[...]]}`
#[no_mangle]
pub extern "C" fn dms_parse(len: usize) -> u32 {
    let b = abi::input(len);
    let env = match dms_webhook::parse_value(b) {
        Ok(env) => env,
        Err(e) => return abi::fail(e),
    };
    let raw = b.get(env.message_event_text.clone()).unwrap_or(b"null");
    let mut out = Vec::with_capacity(b.len() + 64);
    out.extend_from_slice(b"{\"event\":");
    let wide = push_event(&mut out, raw, &env.event);
    out.extend_from_slice(b",\"signatureMethod\":");
    push_str(&mut out, env.signature_method());
    out.extend_from_slice(b",\"signatureText\":");
    push_opt_str(&mut out, env.signature_text.as_deref());
    abi::text_result(Ok(finish(out, wide)))
}

fn explanation_json(x: &Explanation<Value>) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024);
    out.extend_from_slice(b"{\"ok\":");
    push_bool(&mut out, x.ok());
    out.extend_from_slice(b",\"error\":");
    push_error(&mut out, x.error.as_ref());
    out.extend_from_slice(b",\"parsed\":");
    push_bool(&mut out, x.parse_error.is_none());
    out.extend_from_slice(b",\"parseError\":");
    push_error(&mut out, x.parse_error.as_ref());
    out.extend_from_slice(b",\"event\":");
    let wide = match (&x.event, &x.raw) {
        (Some(event), Some(raw)) => push_event(&mut out, raw.as_bytes(), event),
        _ => {
            out.extend_from_slice(b"null");
            Vec::new()
        }
    };
    out.extend_from_slice(b",\"signatureMethod\":");
    push_opt_str(&mut out, x.signature_method.as_deref());
    out.extend_from_slice(b",\"signatureText\":");
    push_opt_str(&mut out, x.signature_text.as_deref());
    out.extend_from_slice(b",\"canonical\":");
    push_opt_str(&mut out, x.canonical.as_deref());
    out.extend_from_slice(b",\"raw\":");
    push_opt_str(&mut out, x.raw.as_deref());
    out.extend_from_slice(b",\"canonicalEqualsRaw\":");
    match (&x.canonical, &x.raw) {
        (Some(c), Some(r)) => push_bool(&mut out, c == r),
        _ => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"firstDifference\":");
    push_opt_num(&mut out, x.first_difference);
    out.extend_from_slice(b",\"matched\":");
    push_match(&mut out, x.matched.as_ref());
    out.extend_from_slice(b",\"expected\":");
    match &x.expected {
        None => out.extend_from_slice(b"null"),
        Some(list) => {
            let mut sep = b'[';
            for e in list {
                out.push(sep);
                sep = b',';
                out.push(b'{');
                push_url_and_secret(&mut out, &e.url, e.secret_index);
                out.extend_from_slice(b",\"canonical\":");
                push_str(&mut out, &e.canonical);
                out.extend_from_slice(b",\"raw\":");
                push_str(&mut out, &e.raw);
                out.push(b'}');
            }
            if sep == b'[' {
                out.push(sep);
            }
            out.push(b']');
        }
    }
    out.extend_from_slice(b",\"hints\":");
    let mut sep = b'[';
    for h in &x.hints {
        out.push(sep);
        sep = b',';
        out.extend_from_slice(b"{\"code\":");
        push_str(&mut out, h.code.as_str());
        out.extend_from_slice(b",\"message\":");
        push_str(&mut out, &h.message);
        if let Some(url) = &h.url {
            out.extend_from_slice(b",\"url\":");
            push_str(&mut out, url);
        }
        if let Some(s) = h.secret_index {
            out.extend_from_slice(b",\"secretIndex\":");
            push_num(&mut out, s);
        }
        if let Some(f) = h.form {
            out.extend_from_slice(b",\"form\":");
            push_str(&mut out, f.as_str());
        }
        out.push(b'}');
    }
    if sep == b'[' {
        out.push(sep);
    }
    out.push(b']');
    finish(out, wide)
}

/// The explanation of the input under the URLs and secrets in front of it (when `has_options`
/// is 1) and the policy in the arguments; `reveal` includes the expected
/// signatures. Never fails: problems are inside the explanation.
#[no_mangle]
pub extern "C" fn dms_explain(
    len: usize,
    options_len: usize,
    has_options: u32,
    reveal: u32,
    require_signature: u32,
    max_body_bytes: f64,
    now_ms: f64,
    max_age_ms: f64,
) -> u32 {
    let (mut lists, body) = abi::input_with_lists(options_len, len);
    let verify = (has_options != 0).then(|| {
        let policy = abi::policy(require_signature, max_body_bytes, now_ms, max_age_ms);
        VerifyOptions {
            urls: lists.strings(),
            secrets: lists.strings().into_iter().map(Into::into).collect(),
            require_signature: policy.require_signature,
            max_age_ms: policy.max_age_ms,
            now_ms: policy.now_ms,
            max_body_bytes: policy.max_body_bytes,
        }
    });
    let options = ExplainOptions {
        verify,
        reveal_expected: reveal != 0,
    };
    let x = dms_webhook::explain_value(body, &options);
    let status = abi::text_result(Ok(explanation_json(&x)));
    // Everything a call allocates is freed at once when the next call resets the arena: no
    // drop code for them.
    core::mem::forget((options, x));
    status
}
