//! Browser globals.

/// The Web Storage objects: readable by any script on the page.
pub const WEB_STORAGE: &[&str] = &["localStorage", "sessionStorage"];

/// Names of the global object through which globals are also reachable.
pub const GLOBAL_OBJECTS: &[&str] = &["window", "globalThis", "self"];

/// Whether a qualified name (from `Index::qualified_name`) is a Web Storage object:
/// `localStorage`, `window.sessionStorage`, `globalThis["localStorage"]`…
/// Local variables that shadow the global have no qualified name, so they never match.
pub fn web_storage(qualified: &[String]) -> Option<&'static str> {
    let last = match qualified {
        [only] => only,
        [global, last] if GLOBAL_OBJECTS.contains(&global.as_str()) => last,
        _ => return None,
    };
    WEB_STORAGE.iter().copied().find(|s| s == last)
}
