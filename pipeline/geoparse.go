// Package pipeline runs the geoparsing stages over an article: sentences, temporal
// expressions, place recognition, resolution, and the dating of each mention.
package pipeline

import (
	"sort"
	"strings"

	"newsmap/geo/schema"
	"newsmap/pipeline/article"
	"newsmap/pipeline/lang"
	"newsmap/pipeline/recognize"
	"newsmap/pipeline/resolve"
	"newsmap/pipeline/timex"
)

// Gazetteer is what the pipeline needs of the gazetteer.
type Gazetteer = recognize.Gazetteer

// Document is an article with what the pipeline found in it.
type Document struct {
	Article   *article.Article
	Text      *article.Text
	Sentences []article.Span
	Timexes   []timex.Expression
	Mentions  []Mention

	Language    *lang.Language
	clauseMarks []int  // code-point offsets of , ; : – —
	dating      []int  // indexes in Timexes of the expressions that date a clause (not Attributive)
	published   string // Article.PublishedDate(), formatted once
	since       map[string]bool
}

// Mention is a resolved place mention with its quote and event date.
type Mention struct {
	resolve.Mention
	Quote      string // the sentence that holds the mention
	QuoteStart int    // offset of the mention inside Quote, in code points
	Date       string // event date: ISO value at day, week, month or year precision
	DateEnd    string // end of a state that lasts until publication ("seit 2022"), else ""
	Precision  timex.Granularity
	Timex      string // the expression the date came from; "" for the publication date
	TimexValue string // the expression's full value (with the hour when it had one)
}

// Geoparse runs every stage over one article in the language its Language code names.
// It fails only when no language of that code is registered (lang.ErrUnknown; article.Parse
// rejects such articles already): an article with no places gives a document with no
// mentions.
func Geoparse(g Gazetteer, a *article.Article) (*Document, error) {
	return NewParser(g).Geoparse(a)
}

// A Parser geoparses one article after another with one gazetteer, keeping what it
// works out about words between articles (recognize.Recognizer): a build gives each of
// its goroutines one. It is not safe for concurrent use.
type Parser struct {
	rec *recognize.Recognizer
}

// NewParser returns a Parser that reads with g.
func NewParser(g Gazetteer) *Parser { return &Parser{rec: recognize.New(g)} }

// Geoparse is the package's Geoparse with the parser's gazetteer and memory.
func (p *Parser) Geoparse(a *article.Article) (*Document, error) {
	l, err := lang.Lookup(a.Language)
	if err != nil {
		return nil, err
	}
	text := article.NewText(a.Body)
	d := &Document{Article: a, Text: text, Sentences: text.Sentences(), Language: l, clauseMarks: markClauses(a.Body),
		published: a.PublishedDate(), since: lang.WordSet(l.Since)}
	d.Timexes = timex.Tag(a.Body, a.Published, l)
	for i, x := range d.Timexes {
		if !x.Attributive {
			d.dating = append(d.dating, i)
		}
	}
	spans := withoutTimexes(p.rec.Recognize(text, d.Sentences, l), d.Timexes)
	resolved := resolve.Resolve(spans)
	d.Mentions = make([]Mention, 0, len(resolved))
	for _, m := range resolved {
		sent := d.Sentences[m.Sentence]
		pm := Mention{
			Mention:    m,
			Quote:      text.Slice(sent.Start, sent.End),
			QuoteStart: m.Start - sent.Start,
		}
		d.date(&pm, sent)
		d.Mentions = append(d.Mentions, pm)
	}
	return d, nil
}

// withoutTimexes drops the spans inside temporal expressions: "Thursday" in "on
// Thursday" is a day, not Thursday Island; "March" in "in March" a month, not the river.
func withoutTimexes(spans []recognize.Span, xs []timex.Expression) []recognize.Span {
	out := spans[:0]
	j := 0
	for _, s := range spans {
		for j < len(xs) && xs[j].End <= s.Start {
			j++
		}
		if j < len(xs) && xs[j].Start < s.End {
			continue
		}
		out = append(out, s)
	}
	return out
}

// date gives a mention the event date of its sentence (a dateline's is the publication
// date): the nearest temporal expression in
// the sentence that dates the clause (not one that modifies a noun, such as "das Abkommen
// vom 9. November"), else the publication date. Hours are kept in TimexValue; the date
// itself is at most day-precise, since the hour of a sentence times a detail, not the place.
//
// It costs a binary search, not a scan of the article's expressions: the expressions are
// sorted and do not overlap, so the nearest ones are the last that ends at or before the
// mention and the first that ends after its start; if neither is in the clause, no
// other is, and the nearer of the two in the sentence is taken.
func (d *Document) date(m *Mention, sent article.Span) {
	if m.Span.Dateline {
		// "NIAMEY — Les militaires … la semaine dernière": the place the report was
		// filed from, on the day it appeared; the sentence's dates are the story's
		m.Date, m.Precision = d.published, timex.Day
		return
	}
	clause := d.clause(m.Span.Start, sent)
	k := sort.Search(len(d.dating), func(j int) bool { return d.Timexes[d.dating[j]].End > m.Start })
	best, bestDist := -1, 0
	for _, j := range [2]int{k - 1, k} {
		if j < 0 || j >= len(d.dating) {
			continue
		}
		i := d.dating[j]
		x := d.Timexes[i]
		if x.End <= sent.Start || x.Start >= sent.End {
			continue
		}
		dist := x.Start - m.End
		if x.End <= m.Start {
			dist = m.Start - x.End
		}
		if dist < 0 {
			dist = 0
		}
		if x.End <= clause.Start || x.Start >= clause.End {
			dist += sent.End - sent.Start // another clause: only when the clause has none
		}
		if best < 0 || dist < bestDist {
			best, bestDist = i, dist
		}
	}
	if best < 0 {
		m.Date, m.Precision = d.published, timex.Day
		return
	}
	x := d.Timexes[best]
	m.Timex, m.TimexValue = x.Text, x.Value
	m.Date, m.Precision = x.Value, x.Granularity
	switch x.Granularity {
	case timex.Hour:
		m.Date, m.Precision = x.Value[:10], timex.Day
	case timex.Week, timex.Month, timex.Year:
		// A span that holds the publication day ("diesen Monat", "zwei Monate nach dem
		// 9. November" in a January article) is narrowed to that day: news reports
		// what happened up to the day it appears. The expression's value stays in
		// TimexValue.
		if iv, err := schema.ParseValue(x.Value); err == nil && iv.Contains(d.Article.Published) {
			m.Date, m.Precision = d.published, timex.Day
		}
	}
	// "seit dem 24. Februar 2022", "since March": the state lasts until the article.
	if first, _, ok := strings.Cut(x.Text, " "); ok && d.since[strings.ToLower(first)] {
		if iv, err := schema.ParseValue(m.Date); err == nil && iv.End.Before(d.Article.Published) {
			m.DateEnd = d.published
		}
	}
}

// clause returns the part of the sentence around offset pos between clause marks
// (comma, semicolon, colon, dash).
func (d *Document) clause(pos int, sent article.Span) article.Span {
	c := sent
	i := sort.SearchInts(d.clauseMarks, pos) // first mark at or after pos
	if i < len(d.clauseMarks) && d.clauseMarks[i] < sent.End {
		c.End = d.clauseMarks[i]
	}
	if i > 0 && d.clauseMarks[i-1] >= sent.Start {
		c.Start = d.clauseMarks[i-1] + 1
	}
	return c
}

// markClauses lists the code-point offsets of the clause marks of the text.
func markClauses(s string) []int {
	var marks []int
	cp := 0
	for _, r := range s {
		switch r {
		case ',', ';', ':', '–', '—':
			marks = append(marks, cp)
		}
		cp++
	}
	return marks
}
