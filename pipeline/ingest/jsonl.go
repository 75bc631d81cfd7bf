package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"

	"newsmap/pipeline/article"
)

// jsonArticle is one line of a JSON Lines file. "text" is the body; "body" and
// "content" are read when it is absent, "date" when "published" is.
type jsonArticle struct {
	ID        json.RawMessage `json:"id"` // a string or a number
	Title     string          `json:"title"`
	URL       string          `json:"url"`
	Source    string          `json:"source"`
	Published string          `json:"published"`
	Date      string          `json:"date"`
	Language  string          `json:"language"`
	Lang      string          `json:"lang"`
	Text      *string         `json:"text"`
	Body      *string         `json:"body"`
	Content   *string         `json:"content"`
}

// JSONL reads a JSON Lines file, one article object per line:
//
//	{"id": "a1", "title": "…", "url": "…", "source": "…", "published": "2024-03-14", "language": "de", "text": "…"}
//
// name is the file name used in errors. Blank lines are skipped. A line that is not a
// JSON object, lacks a required field (id or url, published, text) or is longer than
// MaxTextBytes yields an *ItemError with its line number, and reading goes on; an error
// reading r yields that error and ends the sequence. Lines are read one at a time, so a
// file of any size streams in constant memory.
func JSONL(r io.Reader, name string) iter.Seq2[*article.Article, error] {
	return articles(jsonlRecords(r, name))
}

func jsonlRecords(r io.Reader, name string) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		br := bufio.NewReaderSize(r, 64<<10)
		var buf []byte
		for line := 1; ; line++ {
			buf = buf[:0]
			tooLong := false
			var err error
			for {
				var chunk []byte
				chunk, err = br.ReadSlice('\n')
				if !tooLong {
					if len(buf)+len(chunk) > MaxTextBytes+4096 {
						tooLong, buf = true, buf[:0]
					} else {
						buf = append(buf, chunk...)
					}
				}
				if !errors.Is(err, bufio.ErrBufferFull) {
					break
				}
			}
			if err != nil && !errors.Is(err, io.EOF) {
				yield(Record{File: name, Line: line}, fmt.Errorf("ingest: %s: %w", name, err))
				return
			}
			eof := err != nil
			switch {
			case tooLong:
				if !yield(Record{File: name, Line: line}, &ItemError{File: name, Line: line, Err: fmt.Errorf("%w: line longer than %d bytes", ErrTooLarge, MaxTextBytes)}) {
					return
				}
			case len(bytes.TrimSpace(buf)) > 0:
				a, err := DecodeJSONLine(buf)
				if err != nil {
					err = &ItemError{File: name, Line: line, Err: err}
				}
				if !yield(Record{Article: a, File: name, Line: line}, err) {
					return
				}
			}
			if eof {
				return
			}
		}
	}
}

// DecodeJSONLine decodes one JSON Lines record into an article (see JSONL).
func DecodeJSONLine(line []byte) (*article.Article, error) {
	var j jsonArticle
	id, ok := decodeSimple(line, &j)
	if !ok {
		j = jsonArticle{}
		if err := json.Unmarshal(line, &j); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrSyntax, err)
		}
		var err error
		if id, err = decodeID(j.ID); err != nil {
			return nil, err
		}
	}
	a := &article.Article{ID: id, Title: j.Title, URL: j.URL, Source: j.Source, Language: j.Language}
	if a.Language == "" {
		a.Language = j.Lang
	}
	for _, t := range []*string{j.Text, j.Body, j.Content} {
		if t != nil {
			a.Body = *t
			break
		}
	}
	published := j.Published
	if published == "" {
		published = j.Date
	}
	if err := finish(a, published); err != nil {
		return nil, err
	}
	return a, nil
}

// decodeID accepts an id given as a JSON string or number.
func decodeID(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", fmt.Errorf("%w: id: %v", ErrSyntax, err)
		}
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return "", fmt.Errorf("%w: id must be a string or a number", ErrSyntax)
	}
	return n.String(), nil
}

// WriteJSONL writes an article as one JSON line in the form JSONL reads.
func WriteJSONL(w io.Writer, a *article.Article) error {
	b, err := json.Marshal(struct {
		ID        string `json:"id"`
		Title     string `json:"title,omitempty"`
		URL       string `json:"url,omitempty"`
		Source    string `json:"source,omitempty"`
		Published string `json:"published"`
		Language  string `json:"language"`
		Text      string `json:"text"`
	}{a.ID, a.Title, a.URL, a.Source, a.PublishedDate(), a.Language, a.Body})
	if err != nil {
		return fmt.Errorf("ingest: encode %s: %w", a.ID, err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
