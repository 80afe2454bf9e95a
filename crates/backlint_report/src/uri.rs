//! URIs for SARIF: relative artifact URIs and the `file:///…/` URI of the scan root.
//!
//! Percent-encoding follows RFC 3986 per path segment: every byte except the unreserved
//! characters `A-Z a-z 0-9 - . _ ~` is written as `%XX` (upper-case hex), and `/` separates
//! segments. That is stricter than required (sub-delims such as `!` or `&` would be legal),
//! but it is unambiguous and every consumer decodes it the same way.

use std::borrow::Cow;
use std::ffi::OsStr;
use std::io;
use std::path::{Component, Path, Prefix};

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Percent-encodes one path segment (so `/` is encoded too).
pub(crate) fn encode_segment(bytes: &[u8], out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in bytes {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
}

/// The URI reference of a path relative to the scan root: segments percent-encoded and joined
/// with `/`. Empty and `.` segments are dropped, so the result never starts with `/` or `./`.
pub(crate) fn relative_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 8);
    for segment in path.split('/').filter(|s| !s.is_empty() && *s != ".") {
        if !out.is_empty() {
            out.push('/');
        }
        encode_segment(segment.as_bytes(), &mut out);
    }
    out
}

/// A diagnostic path as a path relative to `root`. The engine already gives relative paths
/// with forward slashes; an absolute path under `root` is made relative defensively.
pub(crate) fn relative_to_root<'p>(root: &Path, path: &'p str) -> Cow<'p, str> {
    let p = Path::new(path);
    if p.is_absolute() {
        if let Ok(rest) = p.strip_prefix(root) {
            let rel: Vec<Cow<'_, str>> = rest
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect();
            return Cow::Owned(rel.join("/"));
        }
    }
    Cow::Borrowed(path)
}

#[cfg(unix)]
fn os_bytes(s: &OsStr) -> Cow<'_, [u8]> {
    use std::os::unix::ffi::OsStrExt;
    Cow::Borrowed(s.as_bytes())
}

#[cfg(not(unix))]
fn os_bytes(s: &OsStr) -> Cow<'_, [u8]> {
    match s.to_string_lossy() {
        Cow::Borrowed(b) => Cow::Borrowed(b.as_bytes()),
        Cow::Owned(o) => Cow::Owned(o.into_bytes()),
    }
}

/// The `file:` URI of a directory, absolute, percent-encoded, ending in `/`:
/// `/work/my app` → `file:///work/my%20app/`, `C:\src` → `file:///C:/src/`,
/// `\\server\share\x` → `file://server/share/x/`. A relative `root` is made absolute
/// against the current directory first.
pub(crate) fn directory_uri(root: &Path) -> io::Result<String> {
    let absolute;
    let root = if root.is_absolute() {
        root
    } else {
        absolute = std::path::absolute(root)?;
        &absolute
    };
    let mut authority = String::new();
    let mut path = String::new();
    for component in root.components() {
        match component {
            Component::Prefix(prefix) => match prefix.kind() {
                Prefix::Disk(letter) | Prefix::VerbatimDisk(letter) => {
                    path.push('/');
                    path.push(char::from(letter.to_ascii_uppercase()));
                    path.push(':');
                }
                Prefix::UNC(server, share) | Prefix::VerbatimUNC(server, share) => {
                    encode_segment(&os_bytes(server), &mut authority);
                    path.push('/');
                    encode_segment(&os_bytes(share), &mut path);
                }
                Prefix::Verbatim(s) | Prefix::DeviceNS(s) => {
                    path.push('/');
                    encode_segment(&os_bytes(s), &mut path);
                }
            },
            Component::RootDir | Component::CurDir => {}
            Component::ParentDir => path.push_str("/.."),
            Component::Normal(segment) => {
                path.push('/');
                encode_segment(&os_bytes(segment), &mut path);
            }
        }
    }
    path.push('/');
    Ok(format!("file://{authority}{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_everything_but_unreserved() {
        assert_eq!(relative_uri("a b/c#d/e%f.ts"), "a%20b/c%23d/e%25f.ts");
        assert_eq!(relative_uri("src/é.ts"), "src/%C3%A9.ts");
        assert_eq!(relative_uri("A-z_0.9~/x?y&z=1"), "A-z_0.9~/x%3Fy%26z%3D1");
    }

    #[test]
    fn never_absolute_nor_dot_slash() {
        assert_eq!(relative_uri("./src/a.ts"), "src/a.ts");
        assert_eq!(relative_uri("/src//./a.ts"), "src/a.ts");
    }

    #[cfg(unix)]
    #[test]
    fn directory_uri_is_absolute_and_ends_in_slash() {
        assert_eq!(
            directory_uri(Path::new("/work/my app #1")).unwrap(),
            "file:///work/my%20app%20%231/"
        );
        assert_eq!(directory_uri(Path::new("/")).unwrap(), "file:///");
        assert_eq!(
            directory_uri(Path::new("/work/app/")).unwrap(),
            "file:///work/app/"
        );
        let relative = directory_uri(Path::new("some/dir")).unwrap();
        assert!(relative.starts_with("file:///") && relative.ends_with("/some/dir/"));
    }

    #[cfg(unix)]
    #[test]
    fn absolute_paths_under_root_become_relative() {
        let root = Path::new("/work/app");
        assert_eq!(relative_to_root(root, "/work/app/src/a.ts"), "src/a.ts");
        assert_eq!(relative_to_root(root, "src/a.ts"), "src/a.ts");
    }
}
