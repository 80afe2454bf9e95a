//! Line index: byte offsets to 1-based lines and columns (characters and UTF-16 units).

use crate::diagnostic::{Position, Span};

#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line containing `byte`.
    pub fn line_of(&self, byte: usize) -> usize {
        match self.starts.binary_search(&byte) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(usize::MAX)
    }

    /// The text of 0-based `line`, without its line terminator.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let start = self.line_start(line).min(text.len());
        let end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// The position of `byte` (clamped to the text and to a character boundary).
    pub fn position(&self, text: &str, byte: usize) -> Position {
        let mut byte = byte.min(text.len());
        while !text.is_char_boundary(byte) {
            byte -= 1;
        }
        let line = self.line_of(byte);
        let prefix = &text[self.starts[line]..byte];
        let (chars, utf16) = prefix.chars().fold((0u32, 0u32), |(c, u), ch| {
            (c + 1, u + ch.len_utf16() as u32)
        });
        Position {
            line: line as u32 + 1,
            column: chars + 1,
            column_utf16: utf16 + 1,
        }
    }

    pub fn span(&self, text: &str, start_byte: usize, end_byte: usize) -> Span {
        let end_byte = end_byte.max(start_byte);
        Span {
            start_byte,
            end_byte,
            start: self.position(text, start_byte),
            end: self.position(text, end_byte),
        }
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter_map(|(i, &b)| (b == b'\n').then_some(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_utf16_units() {
        let text = "ab\nconst é = \"😀\"; x\n";
        let idx = LineIndex::new(text);
        let x = text.rfind('x').unwrap();
        let p = idx.position(text, x);
        assert_eq!(p.line, 2);
        // `const é = "😀"; ` is 15 characters, 16 UTF-16 units, 19 bytes.
        assert_eq!(p.column, 16);
        assert_eq!(p.column_utf16, 17);
        assert_eq!(x - idx.line_start(1), 19);
        assert_eq!(idx.position(text, 0).column, 1);
        assert_eq!(idx.line_text(text, 1), "const é = \"😀\"; x");
    }

    #[test]
    fn offsets_past_the_end_and_inside_characters_are_clamped() {
        let text = "é";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 1).column, 1);
        assert_eq!(idx.position(text, 99).column, 2);
    }
}
