//! The HTML the server writes itself: the configured index page and the
//! page shown when no web build is present.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Where the build's `index.html` asks for the server's configuration.
const PLACEHOLDER: &str = "<!--lovedcrm:config-->";

/// Puts `<base href>` and `window.__LOVEDCRM__` into the index page so the app
/// builds its API and router URLs under `base_path`.
pub fn inject_config(index: &str, base_path: &str) -> String {
    let config = serde_json::json!({ "basePath": base_path }).to_string();
    // `</script>` inside a JSON string must not end the script element.
    let config = config.replace('<', "\\u003c");
    let snippet = format!(
        "<base href=\"{}\"><script>window.__LOVEDCRM__={config};</script>",
        escape_attr(base_path)
    );
    if index.contains(PLACEHOLDER) {
        index.replacen(PLACEHOLDER, &snippet, 1)
    } else if let Some(at) = index.find("<head>") {
        let at = at + "<head>".len();
        format!("{}{snippet}{}", &index[..at], &index[at..])
    } else {
        format!("{snippet}{index}")
    }
}

/// The Content-Security-Policy of `page`: scripts only from this origin,
/// plus the page's own inline scripts by their hashes (the theme script, the
/// injected configuration), so an injected `<script>` never runs; no
/// framing, no plugins, no `<base>` or form to elsewhere.
pub fn content_security_policy(page: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let mut hashes = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_start = open_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            let body = &after[body_start..body_start + close];
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &after[body_start + close..];
    }
    format!(
        "default-src 'self'; script-src 'self' {}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; \
         manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'",
        hashes.join(" ")
    )
}

fn escape_attr(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Answer for page paths when the binary was built without the web app.
pub fn no_build() -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        NO_BUILD_PAGE,
    )
        .into_response()
}

const NO_BUILD_PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Loved CRM — web app not built</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #1f2937; }
  code, pre { background: #f3f4f6; border-radius: 6px; padding: .15rem .4rem; }
  pre { padding: .75rem 1rem; }
</style>
</head>
<body>
<h1>Loved CRM is running</h1>
<p>The API answers under <code>/api/v1</code> (documentation at <a href="docs">/docs</a>), but this
binary was built without the web app.</p>
<p>Build the UI, then build the binary again (it embeds <code>web/dist</code>):</p>
<pre>make web
# or
cd web &amp;&amp; npm ci &amp;&amp; npm run build</pre>
<p><code>make run</code> does both when the build is missing. To serve a build from a folder
without rebuilding, set <code>LOVEDCRM_WEB_DIR=web/dist</code>.</p>
</body>
</html>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_goes_where_the_placeholder_is() {
        let page = inject_config("<head><!--lovedcrm:config--><title>x</title>", "/crm/");
        assert!(page.starts_with("<head><base href=\"/crm/\"><script>window.__LOVEDCRM__={\"basePath\":\"/crm/\"};</script><title>"));
    }

    #[test]
    fn without_placeholder_it_opens_the_head() {
        let page = inject_config("<html><head><title>x</title></head>", "/");
        assert!(page.contains("<head><base href=\"/\">"));
    }

    #[test]
    fn inline_scripts_are_allowed_by_their_hash_only() {
        let page = inject_config(
            "<head><!--lovedcrm:config--><script>var t = 1;</script><script type=\"module\" src=\"./a.js\"></script>",
            "/",
        );
        let csp = content_security_policy(&page);
        // echo -n 'var t = 1;' | openssl dgst -sha256 -binary | base64
        assert!(csp.contains("'sha256-"), "{csp}");
        assert_eq!(
            csp.matches("'sha256-").count(),
            2,
            "config and theme: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-eval"));
        assert!(!csp.contains("script-src 'self' 'unsafe-inline'"));
    }

    #[test]
    fn hostile_base_path_cannot_break_out() {
        let page = inject_config("<head>", "/a\"></script><script>x/");
        assert!(!page.contains("</script><script>x"));
    }
}
