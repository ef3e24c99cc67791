//! The JavaScript boundary: JS values in, core calls, JS values or a `DmsWebhookError` out.
//!
//! Results are written as one JSON text and turned into objects by a single `JSON.parse`
//! (the event is the body's own `messageEvent` text, which is strict JSON already). Only an
//! event with integers beyond 2^53 is built member by member, to give those as `BigInt`.
//! `verify`, the hot path, returns numbers instead and leaves reading the event to `api.js`.

use js_sys::{Array, BigInt, Object, Reflect, Uint8Array, JSON};
use wasm_bindgen::prelude::*;

use crate::{Error, ErrorCode, Explanation, Match, Value, VerifyOptions};

#[wasm_bindgen(raw_module = "./error.js")]
extern "C" {
    #[wasm_bindgen(js_name = DmsWebhookError)]
    type JsDmsWebhookError;

    #[wasm_bindgen(constructor, js_class = "DmsWebhookError")]
    fn new(code: &str, message: &str, offset: JsValue) -> JsDmsWebhookError;
}

fn to_js(e: Error) -> JsValue {
    let offset = e
        .offset()
        .map_or(JsValue::UNDEFINED, |o| JsValue::from(o as f64));
    JsDmsWebhookError::new(e.code().as_str(), e.message(), offset).into()
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidOptions, message)
}

/// Refuses a body that is certainly larger than `max` before copying it into wasm memory,
/// which never shrinks: a `Uint8Array` by its length, a string by its length in UTF-16 units
/// (its UTF-8 form is at least as long).
fn oversized(body: &JsValue, max: usize) -> Option<Error> {
    let (len, at_least) = if let Some(a) = body.dyn_ref::<Uint8Array>() {
        (a.length() as usize, false)
    } else if let Some(s) = body.dyn_ref::<js_sys::JsString>() {
        (s.length() as usize, true)
    } else {
        return None;
    };
    (len > max).then(|| crate::verify::too_large(len, max, at_least))
}

fn bytes_of(body: &JsValue) -> Result<Vec<u8>, JsValue> {
    if let Some(s) = body.as_string() {
        return Ok(s.into_bytes());
    }
    if let Some(a) = body.dyn_ref::<Uint8Array>() {
        return Ok(a.to_vec());
    }
    Err(to_js(invalid("the body must be a string or a Uint8Array")))
}

thread_local! {
    /// Option names as JS strings, made once: building them costs more than reading them.
    static KEYS: std::cell::RefCell<Vec<(&'static str, JsValue)>> = const { std::cell::RefCell::new(Vec::new()) };
    /// The verifier of the last URLs and secrets seen, reused while they stay the same.
    static LAST: std::cell::RefCell<Option<crate::Verifier>> = const { std::cell::RefCell::new(None) };
}

fn get(obj: &JsValue, key: &'static str) -> JsValue {
    KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        let name = match keys.iter().find(|(k, _)| *k == key) {
            Some((_, v)) => v.clone(),
            None => {
                let v = JsValue::from_str(key);
                keys.push((key, v.clone()));
                v
            }
        };
        Reflect::get(obj, &name).unwrap_or(JsValue::UNDEFINED)
    })
}

/// [`crate::check`], with the key schedule of the last URLs and secrets reused.
fn check_cached(b: &[u8], o: &VerifyOptions) -> Result<crate::Checked, Error> {
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        let reusable = last
            .as_ref()
            .is_some_and(|v| v.options().urls == o.urls && v.options().secrets == o.secrets);
        if !reusable {
            *last = Some(crate::Verifier::new(o.clone())?);
        }
        match &*last {
            Some(v) => v.check_with(b, o),
            None => crate::check(b, o),
        }
    })
}

fn strings(obj: &JsValue, key: &'static str) -> Result<Vec<String>, Error> {
    let v = get(obj, key);
    if let Some(s) = v.as_string() {
        return Ok(vec![s]);
    }
    if Array::is_array(&v) {
        return Array::from(&v)
            .iter()
            .map(|item| item.as_string())
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| invalid(format!("options.{key} must hold only strings")));
    }
    Err(invalid(format!(
        "options.{key} must be a string or an array of strings"
    )))
}

fn number(obj: &JsValue, key: &'static str) -> Result<Option<f64>, Error> {
    let v = get(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if n.is_finite() => Ok(Some(n)),
        _ => Err(invalid(format!("options.{key} must be a finite number"))),
    }
}

fn non_negative(obj: &JsValue, key: &'static str) -> Result<Option<f64>, Error> {
    match number(obj, key)? {
        Some(n) if n < 0.0 => Err(invalid(format!("options.{key} must not be negative"))),
        n => Ok(n),
    }
}

fn verify_options(options: &JsValue) -> Result<VerifyOptions, Error> {
    if !options.is_object() {
        return Err(invalid(
            "options must be an object with url and secret (see VerifyOptions)",
        ));
    }
    let urls = strings(options, "url")?;
    let secrets = strings(options, "secret")?;
    let mut o = VerifyOptions::new("", "");
    o.urls = urls;
    o.secrets = secrets.into_iter().map(Into::into).collect();
    match get(options, "requireSignature") {
        v if v.is_undefined() || v.is_null() => {}
        v => {
            o.require_signature = v
                .as_bool()
                .ok_or_else(|| invalid("options.requireSignature must be a boolean"))?
        }
    }
    o.max_age_ms = non_negative(options, "maxAgeMs")?.map(|n| n as u64);
    o.now_ms = Some(number(options, "now")?.unwrap_or_else(js_sys::Date::now) as i64);
    if let Some(n) = non_negative(options, "maxBodyBytes")? {
        if n.fract() != 0.0 {
            return Err(invalid(
                "options.maxBodyBytes must be a whole number of bytes",
            ));
        }
        o.max_body_bytes = n as usize;
    }
    Ok(o)
}

fn sign_options(options: &JsValue) -> Result<(String, String), JsValue> {
    if !options.is_object() {
        return Err(to_js(invalid(
            "options must be an object with url and secret",
        )));
    }
    let field = |key: &'static str| {
        get(options, key)
            .as_string()
            .ok_or_else(|| to_js(invalid(format!("options.{key} must be a string"))))
    };
    Ok((field("url")?, field("secret")?))
}

fn event_json(message_event: &JsValue) -> Result<Vec<u8>, JsValue> {
    if let Some(s) = message_event.as_string() {
        return Ok(s.into_bytes());
    }
    if message_event.is_object() {
        let text = JSON::stringify(message_event).map_err(|_| {
            to_js(Error::new(
                ErrorCode::InvalidMessageEvent,
                "the messageEvent object cannot be written as JSON (a BigInt or a cycle?)",
            ))
        })?;
        return Ok(String::from(text).into_bytes());
    }
    Err(to_js(Error::new(
        ErrorCode::InvalidMessageEvent,
        "messageEvent must be JSON text or an object",
    )))
}

/// A JSON string literal.
fn push_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn push_opt_str(out: &mut String, s: Option<&str>) {
    match s {
        Some(s) => push_str(out, s),
        None => out.push_str("null"),
    }
}

fn push_match(out: &mut String, m: Option<&Match>) {
    let Some(m) = m else {
        out.push_str("null");
        return;
    };
    out.push_str("{\"url\":");
    push_str(out, &m.url);
    out.push_str(&format!(
        ",\"secretIndex\":{},\"form\":\"{}\"}}",
        m.secret_index,
        m.form.as_str()
    ));
}

fn push_error(out: &mut String, e: Option<&Error>) {
    let Some(e) = e else {
        out.push_str("null");
        return;
    };
    out.push_str(&format!("{{\"code\":\"{}\",\"message\":", e.code()));
    push_str(out, e.message());
    if let Some(offset) = e.offset() {
        out.push_str(&format!(",\"offset\":{offset}"));
    }
    out.push('}');
}

fn parsed(text: &str) -> Result<JsValue, JsValue> {
    JSON::parse(text).map_err(|_| to_js(Error::new(ErrorCode::MalformedJson, "internal result")))
}

/// Sets `key` as an own, enumerable data property (also for a key named `__proto__`).
fn define(obj: &Object, key: &str, value: JsValue) {
    let desc = Object::new();
    let _ = Reflect::set(&desc, &"value".into(), &value);
    let _ = Reflect::set(&desc, &"writable".into(), &JsValue::TRUE);
    let _ = Reflect::set(&desc, &"enumerable".into(), &JsValue::TRUE);
    let _ = Reflect::set(&desc, &"configurable".into(), &JsValue::TRUE);
    Object::define_property(obj, &key.into(), &desc);
}

/// A value with integers beyond 2^53 as `BigInt`.
fn value_to_js(v: &Value) -> JsValue {
    match v {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => {
            if n.is_integer() && n.as_i64().is_none_or(|i| i.unsigned_abs() > (1 << 53) - 1) {
                BigInt::new(&JsValue::from_str(n.as_str()))
                    .map(JsValue::from)
                    .unwrap_or_else(|_| JsValue::from_f64(js_sys::Number::parse_float(n.as_str())))
            } else {
                JsValue::from_f64(js_sys::Number::parse_float(n.as_str()))
            }
        }
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(value_to_js).collect::<Array>().into(),
        Value::Object(members) => {
            let obj = Object::new();
            for (k, v) in members {
                define(&obj, k, value_to_js(v));
            }
            obj.into()
        }
    }
}

/// UTF-16 length of UTF-8 text: JavaScript string indices.
fn utf16_len(b: &[u8]) -> usize {
    b.iter()
        .map(|&c| match c {
            0x80..=0xBF => 0,
            0xF0..=0xFF => 2,
            _ => 1,
        })
        .sum()
}

/// Verifies and returns the outcome packed as numbers, for `api.js` to shape:
/// `[method (1: HMAC_SHA1, 0: None), form (-1: unsigned, 0: canonical, 1: raw), urlIndex,
/// secretIndex, eventStart, eventEnd, wide]`. The event span is in string indices when the body
/// was a string and in bytes when it was a `Uint8Array`, so that the event is read from the
/// caller's own body (and only when asked for); `wide` says it holds integers beyond 2^53.
#[wasm_bindgen]
pub fn verify(body: JsValue, options: JsValue) -> Result<Vec<f64>, JsValue> {
    let is_text = body.is_string();
    let o = verify_options(&options).map_err(to_js)?;
    if let Some(e) = oversized(&body, o.max_body_bytes) {
        return Err(to_js(e));
    }
    let b = bytes_of(&body)?;
    let checked = check_cached(&b[..], &o).map_err(to_js)?;
    let span = checked.message_event.clone();
    let (start, end) = if is_text {
        let start = utf16_len(&b[..span.start]);
        (start, start + utf16_len(&b[span]))
    } else {
        (span.start, span.end)
    };
    let (form, url, secret) = match &checked.matched {
        Some(m) => (
            match m.form {
                crate::Form::Canonical => 0.0,
                crate::Form::Raw => 1.0,
            },
            m.url_index as f64,
            m.secret_index as f64,
        ),
        None => (-1.0, -1.0, -1.0),
    };
    Ok(vec![
        match checked.signature_method {
            crate::SignatureMethod::HmacSha1 => 1.0,
            crate::SignatureMethod::None => 0.0,
        },
        form,
        url,
        secret,
        start as f64,
        end as f64,
        if checked.wide_integers { 1.0 } else { 0.0 },
    ])
}

#[wasm_bindgen]
pub fn sign(message_event: JsValue, options: JsValue) -> Result<String, JsValue> {
    let json = event_json(&message_event)?;
    let (url, secret) = sign_options(&options)?;
    crate::sign(&json[..], &url, &secret).map_err(to_js)
}

#[wasm_bindgen(js_name = signBody)]
pub fn sign_body(message_event: JsValue, options: JsValue) -> Result<String, JsValue> {
    let json = event_json(&message_event)?;
    let (url, secret) = sign_options(&options)?;
    crate::sign_body(&json[..], &url, &secret).map_err(to_js)
}

#[wasm_bindgen]
pub fn parse(body: JsValue) -> Result<JsValue, JsValue> {
    let b = bytes_of(&body)?;
    let env = crate::parse(&b[..]).map_err(to_js)?;
    let wide = env.event.has_wide_integers();
    let mut out = String::with_capacity(b.len() + 64);
    out.push_str("{\"event\":");
    match std::str::from_utf8(&b[env.message_event_text.clone()]) {
        Ok(raw) if !wide => out.push_str(raw),
        _ => out.push_str("null"),
    }
    out.push_str(",\"signatureMethod\":");
    push_str(&mut out, env.signature_method());
    out.push_str(",\"signatureText\":");
    push_opt_str(&mut out, env.signature_text.as_deref());
    out.push('}');
    let result = parsed(&out)?;
    if wide {
        let _ = Reflect::set(&result, &"event".into(), &value_to_js(env.event.value()));
    }
    Ok(result)
}

#[wasm_bindgen]
pub fn canonicalize(body: JsValue) -> Result<String, JsValue> {
    let b = bytes_of(&body)?;
    let canonical = crate::canonicalize(&b[..]).map_err(to_js)?;
    Ok(String::from_utf8_lossy(&canonical).into_owned())
}

#[wasm_bindgen(js_name = deliveryKey)]
pub fn delivery_key(body: JsValue) -> Result<String, JsValue> {
    let b = bytes_of(&body)?;
    crate::delivery_key(&b[..]).map_err(to_js)
}

fn explanation_json(x: &Explanation) -> String {
    let mut out = String::with_capacity(1024);
    out.push_str(&format!("{{\"ok\":{},\"error\":", x.ok()));
    push_error(&mut out, x.error.as_ref());
    out.push_str(&format!(
        ",\"parsed\":{},\"parseError\":",
        x.parse_error.is_none()
    ));
    push_error(&mut out, x.parse_error.as_ref());
    out.push_str(",\"event\":null,\"signatureMethod\":");
    push_opt_str(&mut out, x.signature_method.as_deref());
    out.push_str(",\"signatureText\":");
    push_opt_str(&mut out, x.signature_text.as_deref());
    out.push_str(",\"canonical\":");
    push_opt_str(&mut out, x.canonical.as_deref());
    out.push_str(",\"raw\":");
    push_opt_str(&mut out, x.raw.as_deref());
    out.push_str(",\"canonicalEqualsRaw\":");
    match (&x.canonical, &x.raw) {
        (Some(c), Some(r)) => out.push_str(if c == r { "true" } else { "false" }),
        _ => out.push_str("null"),
    }
    out.push_str(",\"firstDifference\":");
    match x.first_difference {
        Some(d) => out.push_str(&d.to_string()),
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
                out.push_str(&format!(
                    ",\"secretIndex\":{},\"canonical\":",
                    e.secret_index
                ));
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
        out.push_str(&format!("{{\"code\":\"{}\",\"message\":", h.code.as_str()));
        push_str(&mut out, &h.message);
        if let Some(url) = &h.url {
            out.push_str(",\"url\":");
            push_str(&mut out, url);
        }
        if let Some(s) = h.secret_index {
            out.push_str(&format!(",\"secretIndex\":{s}"));
        }
        if let Some(f) = h.form {
            out.push_str(&format!(",\"form\":\"{}\"", f.as_str()));
        }
        out.push('}');
    }
    out.push_str("]}");
    out
}

#[wasm_bindgen]
pub fn explain(body: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let max = verify_options(&options).map_or(crate::DEFAULT_MAX_BODY_BYTES, |o| o.max_body_bytes);
    let too_large = oversized(&body, max);
    let b = match (&too_large, bytes_of(&body)) {
        (None, Ok(b)) => b,
        _ => Vec::new(),
    };
    let reveal = options.is_object() && get(&options, "revealExpected").as_bool() == Some(true);
    let (verify, options_error) = match verify_options(&options) {
        Ok(o) => (Some(o), None),
        Err(e) => (None, Some(e)),
    };
    let mut x = crate::explain(
        &b[..],
        &crate::ExplainOptions {
            verify,
            reveal_expected: reveal,
        },
    );
    if options_error.is_some() {
        x.error = options_error;
    }
    if let Some(e) = too_large {
        x.error = Some(e.clone());
        x.parse_error = Some(e);
    }
    let result = parsed(&explanation_json(&x))?;
    if let Some(event) = &x.event {
        let js = if event.has_wide_integers() {
            value_to_js(event.value())
        } else {
            match x.raw.as_deref().map(JSON::parse) {
                Some(Ok(v)) => v,
                _ => value_to_js(event.value()),
            }
        };
        let _ = Reflect::set(&result, &"event".into(), &js);
    }
    Ok(result)
}
