//! The full module's calls: everything but verification (which it also has, for `explain`).
//!
//! Results that are objects in JavaScript (`parse`, `explain`) come back as one JSON text for a
//! single `JSON.parse`. An event is its own `messageEvent` text when it can be (it is strict JSON
//! already); an event with integers beyond 2^53 is written from its values with each such
//! integer as a string of its digits, and the places of those strings listed under `"wide"`,
//! for JavaScript to turn into `BigInt`s.

use alloc::string::String;
use alloc::vec::Vec;

use dms_webhook::{Error, ExplainOptions, Explanation, Form, Match, Value, VerifyOptions};

use crate::abi::{self, Lists, Slot};

/// A JSON string literal.
fn push_str(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut run = 0;
    for (i, c) in s.char_indices() {
        let escape = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            c if (c as u32) < 0x20 => "\\u00",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        out.push_str(escape);
        if escape == "\\u00" {
            out.push(char::from(HEX[(c as usize) >> 4]));
            out.push(char::from(HEX[(c as usize) & 15]));
        }
        run = i + c.len_utf8();
    }
    out.push_str(&s[run..]);
    out.push('"');
}

fn push_opt_str(out: &mut String, s: Option<&str>) {
    match s {
        Some(s) => push_str(out, s),
        None => out.push_str("null"),
    }
}

fn push_num(out: &mut String, n: usize) {
    out.push_str(itoa_usize(n).as_str());
}

fn itoa_usize(mut n: usize) -> String {
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
    String::from_utf8_lossy(&digits[i..]).into_owned()
}

/// One step of a path into the event.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn is_wide(v: &Value) -> bool {
    match v {
        Value::Number(n) => {
            n.is_integer() && n.as_i64().is_none_or(|i| i.unsigned_abs() > (1 << 53) - 1)
        }
        _ => false,
    }
}

/// Writes `v` as JSON, wide integers as strings whose paths go into `wide` (a JSON list).
fn push_value<'v>(v: &'v Value, out: &mut String, path: &mut Vec<Step<'v>>, wide: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) if is_wide(v) => {
            push_str(out, n.as_str());
            wide.push(if wide.is_empty() { '[' } else { ',' });
            wide.push('[');
            for (i, step) in path.iter().enumerate() {
                if i > 0 {
                    wide.push(',');
                }
                match step {
                    Step::Key(k) => push_str(wide, k),
                    Step::Index(n) => push_num(wide, *n),
                }
            }
            wide.push(']');
        }
        Value::Number(n) => out.push_str(n.as_str()),
        Value::String(s) => push_str(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                path.push(Step::Index(i));
                push_value(item, out, path, wide);
                path.pop();
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (k, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_str(out, k);
                out.push(':');
                path.push(Step::Key(k));
                push_value(item, out, path, wide);
                path.pop();
            }
            out.push('}');
        }
    }
}

/// Writes an event: its raw text when it has no wide integers, else from its values. Returns
/// the JSON list of wide paths (empty when there are none).
fn push_event(out: &mut String, raw: &str, value: &Value, wide_integers: bool) -> String {
    let mut wide = String::new();
    if wide_integers {
        push_value(value, out, &mut Vec::new(), &mut wide);
        if !wide.is_empty() {
            wide.push(']');
        }
    } else {
        out.push_str(raw);
    }
    wide
}

fn push_error(out: &mut String, e: Option<&Error>) {
    let Some(e) = e else {
        out.push_str("null");
        return;
    };
    out.push_str("{\"code\":");
    push_str(out, e.code().as_str());
    out.push_str(",\"message\":");
    push_str(out, e.message());
    if let Some(offset) = e.offset() {
        out.push_str(",\"offset\":");
        push_num(out, offset);
    }
    out.push('}');
}

fn push_match(out: &mut String, m: Option<&Match>) {
    let Some(m) = m else {
        out.push_str("null");
        return;
    };
    out.push_str("{\"url\":");
    push_str(out, &m.url);
    out.push_str(",\"secretIndex\":");
    push_num(out, m.secret_index);
    out.push_str(",\"form\":");
    push_str(out, m.form.as_str());
    out.push('}');
}

fn finish(mut out: String, wide: String) -> Vec<u8> {
    let wide_integers = !wide.is_empty();
    if wide_integers {
        out.push_str(",\"wide\":");
        out.push_str(&wide);
    }
    out.push('}');
    abi::set(Slot::Wide, u32::from(wide_integers));
    out.into_bytes()
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
    let env = match dms_webhook::parse(b) {
        Ok(env) => env,
        Err(e) => return abi::fail(e),
    };
    let raw = core::str::from_utf8(&b[env.message_event_text.clone()]).unwrap_or("null");
    let mut out = String::with_capacity(b.len() + 64);
    out.push_str("{\"event\":");
    let wide = push_event(
        &mut out,
        raw,
        env.event.value(),
        env.event.has_wide_integers(),
    );
    out.push_str(",\"signatureMethod\":");
    push_str(&mut out, env.signature_method());
    out.push_str(",\"signatureText\":");
    push_opt_str(&mut out, env.signature_text.as_deref());
    abi::text_result(Ok(finish(out, wide)))
}

fn explanation_json(x: &Explanation) -> Vec<u8> {
    let mut out = String::with_capacity(1024);
    out.push_str("{\"ok\":");
    out.push_str(if x.ok() { "true" } else { "false" });
    out.push_str(",\"error\":");
    push_error(&mut out, x.error.as_ref());
    out.push_str(",\"parsed\":");
    out.push_str(if x.parse_error.is_none() {
        "true"
    } else {
        "false"
    });
    out.push_str(",\"parseError\":");
    push_error(&mut out, x.parse_error.as_ref());
    out.push_str(",\"event\":");
    let wide = match (&x.event, &x.raw) {
        (Some(event), Some(raw)) => {
            push_event(&mut out, raw, event.value(), event.has_wide_integers())
        }
        _ => {
            out.push_str("null");
            String::new()
        }
    };
    out.push_str(",\"signatureMethod\":");
    push_opt_str(&mut out, x.signature_method.as_deref());
    out.push_str(",\"signatureText\":");
    push_opt_str(&mut out, x.signature_text.as_deref());
    out.push_str(",\"canonical\":");
    push_opt_str(&mut out, x.canonical.as_deref());
    out.push_str(",\"raw\":");
    push_opt_str(&mut out, x.raw.as_deref());
    out.push_str(",\"canonicalEqualsRaw\":");
    out.push_str(match (&x.canonical, &x.raw) {
        (Some(c), Some(r)) if c == r => "true",
        (Some(_), Some(_)) => "false",
        _ => "null",
    });
    out.push_str(",\"firstDifference\":");
    match x.first_difference {
        Some(d) => push_num(&mut out, d),
        None => out.push_str("null"),
    }
    out.push_str(",\"matched\":");
    push_match(&mut out, x.matched.as_ref());
    out.push_str(",\"expected\":");
    match &x.expected {
        None => out.push_str("null"),
        Some(list) => {
            out.push('[');
            for (i, e) in list.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str("{\"url\":");
                push_str(&mut out, &e.url);
                out.push_str(",\"secretIndex\":");
                push_num(&mut out, e.secret_index);
                out.push_str(",\"canonical\":");
                push_str(&mut out, &e.canonical);
                out.push_str(",\"raw\":");
                push_str(&mut out, &e.raw);
                out.push('}');
            }
            out.push(']');
        }
    }
    out.push_str(",\"hints\":[");
    for (i, h) in x.hints.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"code\":");
        push_str(&mut out, h.code.as_str());
        out.push_str(",\"message\":");
        push_str(&mut out, &h.message);
        if let Some(url) = &h.url {
            out.push_str(",\"url\":");
            push_str(&mut out, url);
        }
        if let Some(s) = h.secret_index {
            out.push_str(",\"secretIndex\":");
            push_num(&mut out, s);
        }
        if let Some(f) = h.form {
            out.push_str(",\"form\":");
            push_str(
                &mut out,
                match f {
                    Form::Canonical => "canonical",
                    Form::Raw => "raw",
                },
            );
        }
        out.push('}');
    }
    out.push(']');
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
        let mut o = VerifyOptions::new("", "");
        o.urls = lists.strings();
        o.secrets = lists.strings().into_iter().map(Into::into).collect();
        o.require_signature = policy.require_signature;
        o.max_age_ms = policy.max_age_ms;
        o.now_ms = policy.now_ms;
        o.max_body_bytes = policy.max_body_bytes;
        o
    });
    let x = dms_webhook::explain(
        body,
        &ExplainOptions {
            verify,
            reveal_expected: reveal != 0,
        },
    );
    abi::text_result(Ok(explanation_json(&x)))
}
