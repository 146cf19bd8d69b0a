//! Splitting encoded frames into WebSocket messages of bounded size.

/// The most continuation bytes one UTF-8 character has.
const MAX_CONTINUATION: usize = 3;

/// Splits encoded bytes into pieces of at most `max` bytes (`max == 0`: one piece). With
/// `text`, pieces end on UTF-8 character boundaries, so each can travel as a text message.
///
/// Pieces are never empty for non-empty input (empty input gives one empty piece). With
/// `text` and a `max` smaller than a character, that character makes a piece of its own, as
/// long as `max` allows nothing better; bytes that are not UTF-8 are cut at `max`.
///
/// ```
/// use webstomp_wasm::core::encoder::split;
/// assert_eq!(split(b"abcde", 2, false), vec![&b"ab"[..], b"cd", b"e"]);
/// let euro = "a€".as_bytes(); // 'a' then 3 bytes
/// assert_eq!(split(euro, 2, true), vec![&b"a"[..], "€".as_bytes()]);
/// ```
pub fn split(bytes: &[u8], max: usize, text: bool) -> Vec<&[u8]> {
    if max == 0 || bytes.len() <= max {
        return vec![bytes];
    }
    let mut pieces = Vec::with_capacity(bytes.len() / max + 1);
    let mut rest = bytes;
    while !rest.is_empty() {
        let cut = if text {
            text_cut(rest, max)
        } else {
            max.min(rest.len())
        };
        let (piece, tail) = rest.split_at(cut.clamp(1, rest.len()));
        pieces.push(piece);
        rest = tail;
    }
    pieces
}

/// Whether `b` continues a multi-byte UTF-8 character.
fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// Where to end the next text piece of `rest` (non-empty): at most `max` bytes on a character
/// boundary, or the whole first character when it is longer than `max`.
fn text_cut(rest: &[u8], max: usize) -> usize {
    if rest.len() <= max {
        return rest.len();
    }
    let starts_char = |i: usize| rest.get(i).is_some_and(|&b| !is_continuation(b));
    // Back off from `max` to the start of the character it falls in.
    let mut cut = max;
    while cut > 0 && max - cut < MAX_CONTINUATION && !starts_char(cut) {
        cut -= 1;
    }
    if cut > 0 && starts_char(cut) {
        return cut;
    }
    if cut > 0 {
        // More continuation bytes than UTF-8 allows: not text, cut where asked.
        return max;
    }
    // The first character is longer than `max`: take all of it.
    let mut end = 1;
    while end <= MAX_CONTINUATION && end < rest.len() && !starts_char(end) {
        end += 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(pieces: &[&[u8]]) -> Vec<u8> {
        pieces.concat()
    }

    #[test]
    fn zero_or_large_max_gives_one_piece() {
        assert_eq!(split(b"abc", 0, false), vec![&b"abc"[..]]);
        assert_eq!(split(b"abc", 3, true), vec![&b"abc"[..]]);
        assert_eq!(split(b"", 2, true), vec![&b""[..]]);
    }

    #[test]
    fn binary_pieces_are_exactly_max() {
        let bytes: Vec<u8> = (0..=255).collect();
        let pieces = split(&bytes, 100, false);
        assert_eq!(
            pieces.iter().map(|p| p.len()).collect::<Vec<_>>(),
            vec![100, 100, 56]
        );
        assert_eq!(joined(&pieces), bytes);
        // Binary mode cuts inside characters.
        assert_eq!(split("€".as_bytes(), 1, false).len(), 3);
    }

    #[test]
    fn text_pieces_end_on_char_boundaries() {
        let s = "aé€😀b€😀😀xyz";
        for max in 1..=s.len() + 1 {
            let pieces = split(s.as_bytes(), max, true);
            assert_eq!(joined(&pieces), s.as_bytes(), "max {max}");
            for p in &pieces {
                assert!(!p.is_empty());
                assert!(std::str::from_utf8(p).is_ok(), "max {max}: {p:?}");
                // Over `max` only when one character alone is larger.
                assert!(p.len() <= max || std::str::from_utf8(p).unwrap().chars().count() == 1);
            }
        }
    }

    #[test]
    fn text_with_tiny_max_makes_progress_by_whole_chars() {
        let s = "😀€é";
        let pieces = split(s.as_bytes(), 1, true);
        assert_eq!(
            pieces,
            vec!["😀".as_bytes(), "€".as_bytes(), "é".as_bytes()]
        );
        let pieces = split(s.as_bytes(), 3, true);
        assert_eq!(
            pieces,
            vec!["😀".as_bytes(), "€".as_bytes(), "é".as_bytes()]
        );
        let pieces = split(s.as_bytes(), 5, true);
        assert_eq!(pieces, vec!["😀".as_bytes(), "€é".as_bytes()]);
    }

    #[test]
    fn invalid_utf8_in_text_mode_still_terminates() {
        let bytes = [0x80u8; 50];
        let pieces = split(&bytes, 4, true);
        assert_eq!(joined(&pieces), bytes);
        assert!(pieces.iter().all(|p| !p.is_empty() && p.len() <= 4));
        let bytes = [0xF0u8, 0x80, 0x80, 0x80, 0x80, 0x80, 0x41];
        let pieces = split(&bytes, 2, true);
        assert_eq!(joined(&pieces), bytes);
        assert!(pieces.iter().all(|p| !p.is_empty()));
    }
}
