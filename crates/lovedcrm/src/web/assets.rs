//! One web build in memory: each file with its precompressed variants.

use std::collections::HashMap;
use std::path::Path;

use axum::body::Bytes;
use axum::http::{HeaderMap, header};
use rust_embed::Embed;

/// The `web/dist` folder at build time; empty when the UI was not built.
#[derive(Embed)]
#[folder = "../../web/dist/"]
#[allow_missing = true]
struct Embedded;

/// A file of the build and the `.br`/`.gz` siblings the build made for it.
pub struct Asset {
    pub raw: Bytes,
    pub br: Option<Bytes>,
    pub gz: Option<Bytes>,
}

#[derive(Default)]
pub struct AssetSet {
    files: HashMap<String, Asset>,
}

impl AssetSet {
    /// The build embedded in the binary (read from disk in debug builds).
    pub fn embedded() -> Self {
        let mut raw = HashMap::new();
        for name in Embedded::iter() {
            if let Some(file) = Embedded::get(&name) {
                raw.insert(name.to_string(), Bytes::from(file.data.into_owned()));
            }
        }
        Self::pair(raw)
    }

    /// Every file under `dir`, e.g. a `web/dist` from `npm run build`.
    pub fn from_dir(dir: &Path) -> std::io::Result<Self> {
        let mut raw = HashMap::new();
        let mut pending = vec![dir.to_path_buf()];
        while let Some(folder) = pending.pop() {
            for entry in std::fs::read_dir(&folder)? {
                let path = entry?.path();
                if path.is_dir() {
                    pending.push(path);
                } else if let Ok(rel) = path.strip_prefix(dir) {
                    let name = rel.to_string_lossy().replace('\\', "/");
                    raw.insert(name, Bytes::from(std::fs::read(&path)?));
                }
            }
        }
        Ok(Self::pair(raw))
    }

    /// Attaches `x.br`/`x.gz` to `x`; they are not served under their own names.
    fn pair(mut raw: HashMap<String, Bytes>) -> Self {
        let names: Vec<String> = raw
            .keys()
            .filter(|n| !n.ends_with(".br") && !n.ends_with(".gz"))
            .cloned()
            .collect();
        let mut files = HashMap::with_capacity(names.len());
        for name in names {
            let Some(body) = raw.remove(&name) else {
                continue;
            };
            let br = raw.remove(&format!("{name}.br"));
            let gz = raw.remove(&format!("{name}.gz"));
            files.insert(name, Asset { raw: body, br, gz });
        }
        Self { files }
    }

    pub fn get(&self, path: &str) -> Option<&Asset> {
        self.files.get(path)
    }
}

/// The body chosen for a request.
pub enum Encoding<'a> {
    Brotli(&'a Bytes),
    Gzip(&'a Bytes),
    Identity,
}

impl<'a> Encoding<'a> {
    /// Brotli if accepted and present, then gzip, else the raw file.
    pub fn negotiate(headers: &HeaderMap, file: &'a Asset) -> Self {
        let accepted = headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|item| {
                let mut parts = item.split(';');
                let coding = parts.next()?.trim().to_ascii_lowercase();
                let refused = parts.any(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.trim().parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                (!refused).then_some(coding)
            })
            .collect::<Vec<_>>();
        let accepts = |c: &str| accepted.iter().any(|a| a == c || a == "*");
        match (&file.br, &file.gz) {
            (Some(br), _) if accepts("br") => Self::Brotli(br),
            (_, Some(gz)) if accepts("gzip") => Self::Gzip(gz),
            _ => Self::Identity,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Self::Brotli(_) => "br",
            Self::Gzip(_) => "gzip",
            Self::Identity => "identity",
        }
    }
}

pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit('.').next().unwrap_or_default();
    match ext.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}
