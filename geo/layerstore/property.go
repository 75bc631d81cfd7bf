package layerstore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// errScan is what the property scanner returns for bytes that are not the encoding it
// expects (never for what encodeFeature writes).
var errScan = errors.New("layerstore: malformed feature encoding")

// propertiesMember opens the properties object in a feature's encoding: encodeFeature
// writes type, id, geometry, then properties, and neither the id (a JSON string, whose
// quotes would be escaped) nor a geometry can hold this sequence.
var propertiesMember = []byte(`,"properties":{`)

// property returns the value of property key in a feature's encoding, decoded as
// encoding/json decodes into any (nil when absent), without decoding the feature: a
// property filter over a large layer then costs a scan of each candidate's bytes.
func property(enc []byte, key string) (any, error) {
	raw, err := propertyJSON(enc, key)
	if err != nil || raw == nil {
		return nil, err
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("%w: %v", errScan, err)
	}
	return v, nil
}

// propertyJSON returns the encoded value of the top-level property key in enc, a
// feature's encoding, or nil when the feature has no such property.
func propertyJSON(enc []byte, key string) ([]byte, error) {
	at := bytes.Index(enc, propertiesMember)
	if at < 0 {
		return nil, errScan
	}
	i := at + len(propertiesMember)
	for {
		i = skipSpace(enc, i)
		if i >= len(enc) {
			return nil, errScan
		}
		if enc[i] == '}' {
			return nil, nil
		}
		if enc[i] == ',' {
			i++
			continue
		}
		end, err := skipValue(enc, i) // the member's name
		if err != nil || enc[i] != '"' {
			return nil, errScan
		}
		name := enc[i:end]
		i = skipSpace(enc, end)
		if i >= len(enc) || enc[i] != ':' {
			return nil, errScan
		}
		i = skipSpace(enc, i+1)
		vend, err := skipValue(enc, i)
		if err != nil {
			return nil, err
		}
		if nameIs(name, key) {
			return enc[i:vend], nil
		}
		i = vend
	}
}

// nameIs reports whether the JSON string name (quotes included) decodes to key.
func nameIs(name []byte, key string) bool {
	if bytes.IndexByte(name, '\\') < 0 {
		return len(name) == len(key)+2 && string(name[1:len(name)-1]) == key
	}
	var s string
	return json.Unmarshal(name, &s) == nil && s == key
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the end of the JSON value that starts at b[i].
func skipValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errScan
	}
	switch b[i] {
	case '"':
		for j := i + 1; j < len(b); j++ {
			switch b[j] {
			case '\\':
				j++
			case '"':
				return j + 1, nil
			}
		}
		return 0, errScan
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, err := skipValue(b, j)
				if err != nil {
					return 0, err
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, errScan
	default: // number, true, false, null
		j := i
		for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\n' && b[j] != '\t' && b[j] != '\r' {
			j++
		}
		if j == i {
			return 0, errScan
		}
		return j, nil
	}
}
