//! `explain`: everything a person needs to see why a delivery did or did not verify.

use crate::error::{Error, ErrorCode};
use crate::event::MessageEvent;
use crate::json::{read_body_tree, Body, Utf8};
use crate::prelude::*;
use crate::signature::{decode_signature, keyed, signature_of, Tag, SIGNATURE_TEXT_LEN};
use crate::text::text;
use crate::value::Value;
use crate::verify::{check, check_size, method_of, text_of, Form, Match, Method, VerifyOptions};
use hmac::Mac;

/// What usually goes wrong, named so that callers can act on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HintCode {
    UrlTrailingSlash,
    UrlScheme,
    UrlUserinfo,
    UrlDefaultPort,
    UrlWhitespace,
    SecretWhitespace,
    BodyReserialized,
    SignatureMethodNone,
    SignatureFormat,
}

impl HintCode {
    pub fn as_str(self) -> &'static str {
        match self {
            HintCode::UrlTrailingSlash => "URL_TRAILING_SLASH",
            HintCode::UrlScheme => "URL_SCHEME",
            HintCode::UrlUserinfo => "URL_USERINFO",
            HintCode::UrlDefaultPort => "URL_DEFAULT_PORT",
            HintCode::UrlWhitespace => "URL_WHITESPACE",
            HintCode::SecretWhitespace => "SECRET_WHITESPACE",
            HintCode::BodyReserialized => "BODY_RESERIALIZED",
            HintCode::SignatureMethodNone => "SIGNATURE_METHOD_NONE",
            HintCode::SignatureFormat => "SIGNATURE_FORMAT",
        }
    }
}

/// A suggestion; for a URL or secret variant that would have matched, which one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    pub code: HintCode,
    pub message: String,
    pub url: Option<String>,
    pub secret_index: Option<usize>,
    pub form: Option<Form>,
}

/// The signatures a configured pair would have produced (shown only when asked for).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expected {
    pub url: String,
    pub secret_index: usize,
    pub canonical: String,
    pub raw: String,
}

#[derive(Clone, Debug, Default)]
pub struct ExplainOptions {
    pub verify: Option<VerifyOptions>,
    /// Include the expected signatures: for debugging on your own machine, never for logs or
    /// responses, since anyone holding an expected signature can replay that exact body.
    pub reveal_expected: bool,
}

/// What [`explain`] finds. The event is typed ([`MessageEvent`], the default), or its plain
/// [`Value`] from [`explain_value`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Explanation<E = MessageEvent> {
    /// What `verify` returns for this body and these options (`None`: it accepts).
    pub error: Option<Error>,
    /// Why the body could not be read, if it could not.
    pub parse_error: Option<Error>,
    pub event: Option<E>,
    pub signature_method: Option<String>,
    pub signature_text: Option<String>,
    pub canonical: Option<String>,
    pub raw: Option<String>,
    /// Where `canonical` and `raw` first differ, in UTF-16 code units (a JavaScript string index).
    pub first_difference: Option<usize>,
    pub matched: Option<Match>,
    pub expected: Option<Vec<Expected>>,
    pub hints: Vec<Hint>,
}

impl<E> Explanation<E> {
    pub fn ok(&self) -> bool {
        self.error.is_none()
    }
}

fn first_difference(a: &str, b: &str) -> Option<usize> {
    let mut units = 0;
    let mut bc = b.chars();
    for ca in a.chars() {
        match bc.next() {
            Some(cb) if cb == ca => units += ca.len_utf16(),
            _ => return Some(units),
        }
    }
    if bc.next().is_some() {
        Some(units)
    } else {
        None
    }
}

/// `s[from..to]`, or nothing when that is not a range of `s` on character boundaries (never the
/// case for the ASCII positions used here): no slicing that could panic, so none of the
/// standard library's panic formatting is reached from here.
fn cut(s: &str, from: usize, to: usize) -> &str {
    s.get(from..to).unwrap_or("")
}

/// The URL variants people most often get wrong, each with the hint code that names it and how
/// it differs, handed in turn to `hint_for` until it gives a hint. Read byte by byte: every
/// separator looked for is ASCII.
fn url_variant_hint(
    url: &str,
    hint_for: &mut dyn FnMut(HintCode, String, String) -> Option<Hint>,
) -> Option<Hint> {
    macro_rules! variant {
        ($code:expr, $url:expr, $how:expr) => {
            if let Some(hint) = hint_for($code, $url, $how) {
                return Some(hint);
            }
        };
    }
    let trimmed = url.trim();
    if trimmed != url {
        variant!(
            HintCode::UrlWhitespace,
            String::from(trimmed),
            String::from("without the surrounding whitespace")
        );
    }
    let url = trimmed;
    match url.strip_suffix('/') {
        Some(stripped) => variant!(
            HintCode::UrlTrailingSlash,
            String::from(stripped),
            String::from("without the trailing slash")
        ),
        None => variant!(
            HintCode::UrlTrailingSlash,
            text!(url, "/"),
            String::from("with a trailing slash")
        ),
    }
    let u = url.as_bytes();
    let mut sep = 0;
    while u.get(sep..sep + 3)? != b"://" {
        sep += 1;
    }
    let scheme = cut(url, 0, sep);
    let rest = cut(url, sep + 3, url.len());
    let http = scheme.eq_ignore_ascii_case("http");
    let https = scheme.eq_ignore_ascii_case("https");
    if http || https {
        let other = if http { "https" } else { "http" };
        variant!(
            HintCode::UrlScheme,
            text!(other, "://", rest),
            text!("with ", other, ":// instead of ", scheme, "://")
        );
    }
    let r = rest.as_bytes();
    let mut split = 0;
    while split < r.len() && !matches!(r[split], b'/' | b'?' | b'#') {
        split += 1;
    }
    let (authority, path) = (cut(rest, 0, split), cut(rest, split, rest.len()));
    // The host is what follows the last '@' (all of the authority when there is none).
    let a = authority.as_bytes();
    let mut host_at = a.len();
    while host_at > 0 && a[host_at - 1] != b'@' {
        host_at -= 1;
    }
    let host = cut(authority, host_at, authority.len());
    if host_at > 0 {
        variant!(
            HintCode::UrlUserinfo,
            text!(scheme, "://", host, path),
            String::from("without the user:password@ part")
        );
    }
    if http || https {
        let with_port = if http { ":80" } else { ":443" };
        if let Some(host) = authority.strip_suffix(with_port) {
            variant!(
                HintCode::UrlDefaultPort,
                text!(scheme, "://", host, path),
                text!("without the default port ", with_port)
            );
        } else if !authority.ends_with(']') && !host.as_bytes().contains(&b':') {
            variant!(
                HintCode::UrlDefaultPort,
                text!(scheme, "://", authority, with_port, path),
                text!("with the default port ", with_port, " written out")
            );
        }
    }
    None
}

fn matches(url: &str, secret: &str, text: &[u8], tag: &Tag) -> bool {
    match keyed(url, secret) {
        Ok(mut mac) => {
            mac.update(text);
            tag.first_of([mac.finalize().into_bytes()]).is_some()
        }
        Err(_) => false,
    }
}

/// Explains a delivery. Never fails: problems are reported inside the [`Explanation`].
pub fn explain(body: impl AsRef<[u8]>, options: &ExplainOptions) -> Explanation {
    explain_with(body.as_ref(), options, MessageEvent::from_value)
}

/// [`explain`] with the event as its plain [`Value`], without the typed fields: for callers that
/// hand the event on as JSON (the npm package's WebAssembly module does).
pub fn explain_value(body: impl AsRef<[u8]>, options: &ExplainOptions) -> Explanation<Value> {
    explain_with(body.as_ref(), options, |v| v)
}

fn explain_with<E: Default>(
    b: &[u8],
    options: &ExplainOptions,
    event: fn(Value) -> E,
) -> Explanation<E> {
    let mut x = Explanation::default();
    match &options.verify {
        Some(v) => match check(b, v) {
            Ok(checked) => x.matched = checked.matched,
            Err(e) => x.error = Some(e),
        },
        None => {
            x.error = Some(Error::new(
                ErrorCode::InvalidOptions,
                "no URL and secret were given",
            ))
        }
    }
    let max = options
        .verify
        .as_ref()
        .map_or(crate::verify::DEFAULT_MAX_BODY_BYTES, |v| v.max_body_bytes);
    let parts = match check_size(b, max).and_then(|()| read_body_tree(b, Utf8::Check)) {
        Ok((parts, tree)) => {
            let mut canonical = Vec::new();
            tree.write(&mut canonical);
            x.canonical = Some(String::from_utf8_lossy(&canonical).into_owned());
            x.event = Some(event(tree.value()));
            parts
        }
        Err(e) => {
            x.parse_error = Some(e);
            return x;
        }
    };
    x.signature_method = text_of(b, parts.signature_method);
    x.signature_text = text_of(b, parts.signature_text);
    let raw = &b[parts.message_event.0..parts.message_event.1];
    x.raw = Some(String::from_utf8_lossy(raw).into_owned());
    if let (Some(c), Some(r)) = (&x.canonical, &x.raw) {
        x.first_difference = first_difference(c, r);
    }
    if let Some(v) = &options.verify {
        if options.reveal_expected {
            x.expected = Some(expected(&x, v));
        }
        if x.error.is_some() {
            if let Some(hint) = hint_for(b, &parts, v, &x) {
                x.hints.push(hint);
            }
        }
    }
    x
}

fn expected<E>(x: &Explanation<E>, v: &VerifyOptions) -> Vec<Expected> {
    let canonical = x.canonical.as_deref().unwrap_or("").as_bytes();
    let raw = x.raw.as_deref().unwrap_or("").as_bytes();
    let mut out = Vec::new();
    // In `VerifyOptions::pairs` order: every secret for the first URL, then for the next.
    for url in &v.urls {
        for (s, secret) in v.secrets.iter().enumerate() {
            let secret = secret.expose();
            if let (Ok(canonical), Ok(raw)) = (
                signature_of(url, secret, canonical),
                signature_of(url, secret, raw),
            ) {
                out.push(Expected {
                    url: url.clone(),
                    secret_index: s,
                    canonical,
                    raw,
                });
            }
        }
    }
    out
}

/// A hint with only its code and message.
fn hint(code: HintCode, message: String) -> Hint {
    Hint {
        code,
        message,
        url: None,
        secret_index: None,
        form: None,
    }
}

/// The one hint for a refused body, if anything usual explains it: the first that applies of an
/// unsigned body, a malformed signature, a URL variant or a secret with whitespace that would
/// have matched, a re-serialised body.
fn hint_for<E>(b: &[u8], parts: &Body, v: &VerifyOptions, x: &Explanation<E>) -> Option<Hint> {
    if let Ok(Method::Unsigned) = method_of(b, parts) {
        return v.require_signature.then(|| {
            hint(
                HintCode::SignatureMethodNone,
                String::from("DMS sends signatureMethod None when no password is set for the webhook: set one in the DMS console so that deliveries are signed"),
            )
        });
    }
    let text = x.signature_text.as_deref()?;
    let Some(tag) = decode_signature(text) else {
        // Characters, not bytes: every byte but UTF-8 continuation bytes starts one.
        let chars = text.bytes().filter(|&c| c & 0xC0 != 0x80).count();
        return Some(hint(
            HintCode::SignatureFormat,
            text!(
                "signatureText should be ",
                SIGNATURE_TEXT_LEN,
                " characters of standard base64 (an HMAC-SHA1): it is ",
                chars,
                " characters long",
                if text.trim() != text {
                    " and has surrounding whitespace"
                } else {
                    ""
                }
            ),
        ));
    };
    let canonical = x.canonical.as_deref().unwrap_or("");
    let raw = x.raw.as_deref().unwrap_or("");
    // The form a URL and secret sign this body in, canonical first.
    let form_of = |url: &str, secret: &str| {
        [(Form::Canonical, canonical), (Form::Raw, raw)]
            .into_iter()
            .find(|(_, text)| matches(url, secret, text.as_bytes(), &tag))
            .map(|(form, _)| form)
    };
    for url in &v.urls {
        for secret in &v.secrets {
            if form_of(url, secret.expose()).is_some() {
                // Something else failed (the event's age): the URL, secret and body are not to
                // blame.
                return None;
            }
        }
    }
    let matched = |code, message, url: &str, s, form| Hint {
        code,
        message,
        url: Some(String::from(url)),
        secret_index: Some(s),
        form: Some(form),
    };
    let mut variant_hint = |code, variant: String, how: String| {
        for (s, secret) in v.secrets.iter().enumerate() {
            if let Some(form) = form_of(&variant, secret.expose()) {
                let message = text!(
                    "the signature matches the URL \"",
                    variant,
                    "\" (",
                    how,
                    "): configure the URL exactly as it is written in the DMS console"
                );
                return Some(matched(code, message, &variant, s, form));
            }
        }
        None
    };
    for url in &v.urls {
        if let Some(hint) = url_variant_hint(url, &mut variant_hint) {
            return Some(hint);
        }
    }
    for (s, secret) in v.secrets.iter().enumerate() {
        let trimmed = secret.expose().trim();
        if trimmed == secret.expose() || trimmed.is_empty() {
            continue;
        }
        for url in &v.urls {
            if let Some(form) = form_of(url, trimmed) {
                let message = text!(
                    "the secret at index ",
                    s,
                    " has leading or trailing whitespace: without it the signature matches"
                );
                return Some(matched(HintCode::SecretWhitespace, message, url, s, form));
            }
        }
    }
    (canonical != raw).then(|| {
        hint(
            HintCode::BodyReserialized,
            text!(
                "the messageEvent text is not what DMS writes (it first differs from the canonical form at index ",
                x.first_difference.unwrap_or(0),
                "): the body was probably re-serialised on its way (a JSON body parser, a proxy or a logging tool); hand the verifier the raw request bytes"
            ),
        )
    })
}
