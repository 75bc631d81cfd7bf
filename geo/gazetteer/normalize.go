package gazetteer

import (
	"unicode"
	"unicode/utf8"
)

// fold maps lower-case letters with diacritics (and a few special letters) to
// their ASCII base. Letters not listed are kept as they are after lowering.
var fold = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ð': "d",
	'þ': "th", 'ł': "l", 'ı': "i", 'ə': "a", 'ǝ': "a", 'ŀ': "l", 'ħ': "h",
	'ŧ': "t", 'ŋ': "n", 'ĸ': "k", 'ſ': "s", 'ɨ': "i", 'ʻ': "", 'ʿ': "", 'ʾ': "",
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ă': "a", 'ą': "a", 'ǎ': "a", 'ạ': "a", 'ả': "a", 'ấ': "a", 'ầ': "a", 'ẩ': "a", 'ẫ': "a", 'ậ': "a", 'ắ': "a", 'ằ': "a", 'ẳ': "a", 'ẵ': "a", 'ặ': "a", 'ǻ': "a",
	'ç': "c", 'ć': "c", 'ĉ': "c", 'ċ': "c", 'č': "c",
	'ď': "d", 'ḍ': "d", 'ḏ': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ĕ': "e", 'ė': "e", 'ę': "e", 'ě': "e", 'ẹ': "e", 'ẻ': "e", 'ẽ': "e", 'ế': "e", 'ề': "e", 'ể': "e", 'ễ': "e", 'ệ': "e",
	'ĝ': "g", 'ğ': "g", 'ġ': "g", 'ģ': "g", 'ǧ': "g", 'ḡ': "g",
	'ĥ': "h", 'ḥ': "h", 'ḫ': "h", 'ẖ': "h", 'ḩ': "h",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ĩ': "i", 'ī': "i", 'ĭ': "i", 'į': "i", 'ǐ': "i", 'ị': "i", 'ỉ': "i",
	'ĵ': "j", 'ǰ': "j",
	'ķ': "k", 'ǩ': "k", 'ḳ': "k",
	'ĺ': "l", 'ļ': "l", 'ľ': "l", 'ḷ': "l",
	'ñ': "n", 'ń': "n", 'ņ': "n", 'ň': "n", 'ṅ': "n", 'ṇ': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ō': "o", 'ŏ': "o", 'ő': "o", 'ơ': "o", 'ǒ': "o", 'ọ': "o", 'ỏ': "o", 'ố': "o", 'ồ': "o", 'ổ': "o", 'ỗ': "o", 'ộ': "o", 'ớ': "o", 'ờ': "o", 'ở': "o", 'ỡ': "o", 'ợ': "o", 'ǫ': "o",
	'ŕ': "r", 'ŗ': "r", 'ř': "r", 'ṛ': "r",
	'ś': "s", 'ŝ': "s", 'ş': "s", 'š': "s", 'ș': "s", 'ṣ': "s",
	'ţ': "t", 'ť': "t", 'ț': "t", 'ṭ': "t",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ũ': "u", 'ū': "u", 'ŭ': "u", 'ů': "u", 'ű': "u", 'ų': "u", 'ư': "u", 'ǔ': "u", 'ǖ': "u", 'ǘ': "u", 'ǚ': "u", 'ǜ': "u", 'ụ': "u", 'ủ': "u", 'ứ': "u", 'ừ': "u", 'ử': "u", 'ữ': "u", 'ự': "u",
	'ŵ': "w", 'ẃ': "w", 'ẁ': "w", 'ẅ': "w",
	'ý': "y", 'ÿ': "y", 'ŷ': "y", 'ỳ': "y", 'ỹ': "y", 'ỵ': "y", 'ỷ': "y",
	'ź': "z", 'ż': "z", 'ž': "z", 'ẓ': "z", 'ẕ': "z",
}

// Normalize returns the key form of a name: lower case, ß→ss, diacritics folded
// (ä→a, ü→u, é→e, ı→i, ə→a …), hyphens, apostrophes and other punctuation turned
// into spaces, runs of spaces collapsed and trimmed.
func Normalize(s string) string {
	// Fast path: already a key (lower-case ASCII letters/digits, single spaces).
	if isKey(s) {
		return s
	}
	var buf [64]byte
	return string(appendNormalize(buf[:0], s))
}

// NormalizesTo reports whether Normalize(s) == key, without allocating for names of up
// to 64 bytes: resolution compares each candidate's name with the words written.
func NormalizesTo(s, key string) bool {
	if isKey(s) {
		return s == key
	}
	var buf [64]byte
	return string(appendNormalize(buf[:0], s)) == key
}

// appendNormalize appends the key form of s to b.
func appendNormalize(b []byte, s string) []byte {
	start := len(b)
	space := true // suppress leading spaces
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			c := byte(r)
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') {
				b = append(b, c)
				space = false
				continue
			}
			if c == '.' {
				// "St. Gallen" → "st gallen"; "U.S.A." → "usa" is not attempted.
				if !space {
					b = append(b, ' ')
					space = true
				}
				continue
			}
			if !space {
				b = append(b, ' ')
				space = true
			}
		case unicode.Is(unicode.Mn, r):
			// combining marks: drop
		default:
			lr := unicode.ToLower(r)
			if f, ok := fold[lr]; ok {
				if f != "" {
					b = append(b, f...)
					space = false
				}
				continue
			}
			if unicode.IsLetter(lr) || unicode.IsDigit(lr) {
				b = utf8.AppendRune(b, lr)
				space = false
				continue
			}
			if !space {
				b = append(b, ' ')
				space = true
			}
		}
	}
	for len(b) > start && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}

func isKey(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prevSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			prevSpace = false
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		default:
			return false
		}
	}
	return true
}
