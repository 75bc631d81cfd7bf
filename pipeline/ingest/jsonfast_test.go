package ingest

import (
	"encoding/json"
	"reflect"
	"testing"
)

// slowDecode is what json.Unmarshal makes of a line: the record and its decoded id.
func slowDecode(line []byte) (jsonArticle, string, error) {
	var j jsonArticle
	if err := json.Unmarshal(line, &j); err != nil {
		return j, "", err
	}
	id, err := decodeID(j.ID)
	j.ID = nil
	return j, id, err
}

// checkSimple: when decodeSimple takes a line, it decodes it as json.Unmarshal does.
func checkSimple(t *testing.T, line []byte) bool {
	t.Helper()
	var j jsonArticle
	id, ok := decodeSimple(line, &j)
	if !ok {
		return false
	}
	want, wantID, err := slowDecode(line)
	if err != nil {
		t.Fatalf("decodeSimple took %q, which json.Unmarshal rejects: %v", line, err)
	}
	if id != wantID || !reflect.DeepEqual(j, want) {
		t.Fatalf("%q:\ndecodeSimple %q %+v\njson         %q %+v", line, id, j, wantID, want)
	}
	return true
}

func TestDecodeSimple(t *testing.T) {
	for _, c := range []struct {
		line string
		fast bool // decoded without json.Unmarshal
	}{
		{`{"id":"a1","title":"T","url":"https://x.org/?a=1&b=2","source":"S","published":"2024-03-14","language":"de","text":"Äh, Eriwan."}`, true},
		{" \t{ \"id\" : \"a\" , \"date\":\"2024\",\"lang\":\"en\",\"body\":\"b\" }\r\n", true},
		{`{"content":"c","text":"t","body":""}`, true},
		{`{}`, true},
		{`{"text":"\"\\\/\b\f\n\r\t\u00e4\u20AC\ud83d\ude00 \ud800 \udc00x \ud800\u0041 <&>"}`, true},
		{`{"text":"\u0000 nul"}`, true},
		{"{\"text\":\"\xe2\x80\xa8 \xf0\x9f\x98\x80\"}", true},
		// the slow way: json.Unmarshal's rules
		{`{"id":1,"text":"t"}`, false},
		{`{"ID":"a"}`, false},
		{`{"id":"a","id":"b"}`, false},
		{`{"text":null}`, false},
		{`{"other":"x"}`, false},
		{`{"other":{"a":[1,2]}}`, false},
		{`{"text":"a` + "\x01" + `"}`, false},
		{"{\"text\":\"\xff\"}", false},
		{"{\"te\\u0078t\":\"a\"}", false},
		{`{"text":"a"} x`, false},
		{`{"text":"a",}`, false},
		{`{"text":"\x"}`, false},
		{`{"text":"\u12"}`, false},
		{`{"text":"a"`, false},
		{`[]`, false},
		{``, false},
	} {
		if got := checkSimple(t, []byte(c.line)); got != c.fast {
			t.Errorf("%q: decoded without json.Unmarshal: %v, want %v", c.line, got, c.fast)
		}
	}
}

func FuzzDecodeSimple(f *testing.F) {
	f.Add([]byte(`{"id":"a1","title":"T","published":"2024-03-14","language":"de","text":"Äh \u00e4\ud83d\ude00 \n"}`))
	f.Add([]byte(`{"id":1,"text":"t"}`))
	f.Add([]byte("{\"text\":\"\xff\"}"))
	f.Fuzz(func(t *testing.T, line []byte) {
		checkSimple(t, line)
	})
}

// BenchmarkDecodeJSONLine: one record of the usual form, decoded without reflection
// ("line") and as json.Unmarshal decodes it ("json").
func BenchmarkDecodeJSONLine(b *testing.B) {
	line := []byte(`{"id":"a1","title":"Tausende fliehen","source":"Zeitung","url":"https://example.org/a1","published":"2024-03-14","language":"de","text":"` + germanText + `"}` + "\n")
	b.Run("line", func(b *testing.B) {
		b.SetBytes(int64(len(line)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := DecodeJSONLine(line); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json", func(b *testing.B) {
		b.SetBytes(int64(len(line)))
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := slowDecode(line); err != nil {
				b.Fatal(err)
			}
		}
	})
}
