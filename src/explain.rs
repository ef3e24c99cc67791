//! `explain`: everything a person needs to see why a delivery did or did not verify.

use crate::error::{Error, ErrorCode};
use crate::event::MessageEvent;
use crate::json::{read_body_tree, Body};
use crate::prelude::*;
use crate::signature::{decode_signature, keyed, signature_of, Tag, SIGNATURE_TEXT_LEN};
use crate::text::text;
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

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Explanation {
    /// What `verify` returns for this body and these options (`None`: it accepts).
    pub error: Option<Error>,
    /// Why the body could not be read, if it could not.
    pub parse_error: Option<Error>,
    pub event: Option<MessageEvent>,
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

impl Explanation {
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

/// The URL variants people most often get wrong, each with the hint that names it.
fn url_variants(url: &str) -> Vec<(HintCode, String, String)> {
    let mut out = Vec::new();
    let trimmed = url.trim();
    if trimmed != url {
        out.push((
            HintCode::UrlWhitespace,
            String::from(trimmed),
            String::from("without the surrounding whitespace"),
        ));
    }
    let url = trimmed;
    if let Some(stripped) = url.strip_suffix('/') {
        out.push((
            HintCode::UrlTrailingSlash,
            String::from(stripped),
            String::from("without the trailing slash"),
        ));
    } else {
        out.push((
            HintCode::UrlTrailingSlash,
            text!(url, "/"),
            String::from("with a trailing slash"),
        ));
    }
    let (scheme, rest) = match url.split_once("://") {
        Some(parts) => parts,
        None => return out,
    };
    let other = match scheme.to_ascii_lowercase().as_str() {
        "http" => "https",
        "https" => "http",
        _ => "",
    };
    if !other.is_empty() {
        out.push((
            HintCode::UrlScheme,
            text!(other, "://", rest),
            text!("with ", other, ":// instead of ", scheme, "://"),
        ));
    }
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if let Some((_, host)) = authority.rsplit_once('@') {
        out.push((
            HintCode::UrlUserinfo,
            text!(scheme, "://", host, path),
            String::from("without the user:password@ part"),
        ));
    }
    let default = match scheme.to_ascii_lowercase().as_str() {
        "http" => "80",
        "https" => "443",
        _ => "",
    };
    if !default.is_empty() {
        let with_port = text!(":", default);
        if let Some(host) = authority.strip_suffix(&with_port) {
            out.push((
                HintCode::UrlDefaultPort,
                text!(scheme, "://", host, path),
                text!("without the default port ", with_port.as_str()),
            ));
        } else if !authority.ends_with(']')
            && !authority.rsplit('@').next().unwrap_or("").contains(':')
        {
            out.push((
                HintCode::UrlDefaultPort,
                text!(scheme, "://", authority, with_port.as_str(), path),
                text!("with the default port ", with_port.as_str(), " written out"),
            ));
        }
    }
    out
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
    let b = body.as_ref();
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
    let parts = match check_size(b, max).and_then(|()| read_body_tree(b)) {
        Ok((parts, tree)) => {
            let mut canonical = Vec::new();
            tree.write(&mut canonical);
            x.canonical = Some(String::from_utf8_lossy(&canonical).into_owned());
            x.event = Some(MessageEvent::from_value(tree.value()));
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
            hints(b, &parts, v, &mut x);
        }
    }
    x
}

fn expected(x: &Explanation, v: &VerifyOptions) -> Vec<Expected> {
    let canonical = x.canonical.as_deref().unwrap_or("");
    let raw = x.raw.as_deref().unwrap_or("");
    v.pairs()
        .filter_map(|(u, s)| {
            let url = &v.urls[u];
            let secret = v.secrets[s].expose();
            Some(Expected {
                url: url.clone(),
                secret_index: s,
                canonical: signature_of(url, secret, canonical.as_bytes()).ok()?,
                raw: signature_of(url, secret, raw.as_bytes()).ok()?,
            })
        })
        .collect()
}

fn hints(b: &[u8], parts: &Body, v: &VerifyOptions, x: &mut Explanation) {
    if let Ok(Method::Unsigned) = method_of(b, parts) {
        if v.require_signature {
            x.hints.push(Hint {
                code: HintCode::SignatureMethodNone,
                message: String::from("DMS sends signatureMethod None when no password is set for the webhook: set one in the DMS console so that deliveries are signed"),
                url: None,
                secret_index: None,
                form: None,
            });
        }
        return;
    }
    let Some(text) = x.signature_text.clone() else {
        return;
    };
    let Some(tag) = decode_signature(&text) else {
        x.hints.push(Hint {
            code: HintCode::SignatureFormat,
            message: text!(
                "signatureText should be ",
                SIGNATURE_TEXT_LEN,
                " characters of standard base64 (an HMAC-SHA1): it is ",
                text.chars().count(),
                " characters long",
                if text.trim() != text {
                    " and has surrounding whitespace"
                } else {
                    ""
                }
            ),
            url: None,
            secret_index: None,
            form: None,
        });
        return;
    };
    let canonical = x.canonical.clone().unwrap_or_default();
    let raw = x.raw.clone().unwrap_or_default();
    let forms = [
        (Form::Canonical, canonical.as_bytes()),
        (Form::Raw, raw.as_bytes()),
    ];
    let signature_holds = v.pairs().any(|(u, s)| {
        forms
            .iter()
            .any(|&(_, text)| matches(&v.urls[u], v.secrets[s].expose(), text, &tag))
    });
    if signature_holds {
        // Something else failed (the event's age): the URL, secret and body are not to blame.
        return;
    }
    let mut found = false;
    for url in &v.urls {
        for (code, variant, how) in url_variants(url) {
            for (s, secret) in v.secrets.iter().enumerate() {
                for (form, text) in forms {
                    if !found && matches(&variant, secret.expose(), text, &tag) {
                        found = true;
                        x.hints.push(Hint {
                            code,
                            message: text!(
                                "the signature matches the URL \"",
                                variant.as_str(),
                                "\" (",
                                how.as_str(),
                                "): configure the URL exactly as it is written in the DMS console"
                            ),
                            url: Some(variant.clone()),
                            secret_index: Some(s),
                            form: Some(form),
                        });
                    }
                }
            }
        }
    }
    for (s, secret) in v.secrets.iter().enumerate() {
        let trimmed = secret.expose().trim();
        if found || trimmed == secret.expose() || trimmed.is_empty() {
            continue;
        }
        for url in &v.urls {
            for (form, text) in forms {
                if !found && matches(url, trimmed, text, &tag) {
                    found = true;
                    x.hints.push(Hint {
                        code: HintCode::SecretWhitespace,
                        message: text!(
                            "the secret at index ",
                            s,
                            " has leading or trailing whitespace: without it the signature matches"
                        ),
                        url: Some(url.clone()),
                        secret_index: Some(s),
                        form: Some(form),
                    });
                }
            }
        }
    }
    if !found && canonical != raw {
        let at = x.first_difference.unwrap_or(0);
        x.hints.push(Hint {
            code: HintCode::BodyReserialized,
            message: text!(
                "the messageEvent text is not what DMS writes (it first differs from the canonical form at index ",
                at,
                "): the body was probably re-serialised on its way (a JSON body parser, a proxy or a logging tool); hand the verifier the raw request bytes"
            ),
            url: None,
            secret_index: None,
            form: None,
        });
    }
}
