package ingest

import (
	"strings"

	"codeberg.org/readeck/go-readability/v2/render"
	"golang.org/x/net/html"
)

// htmlText turns an HTML fragment (a feed item's content:encoded or description) into
// the plain text a reader sees: block elements and <br> become line breaks, markup and
// entities go, runs of blank lines become one. Text without markup is returned trimmed.
func htmlText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return cleanText(s)
	}
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil { // x/net/html recovers from any markup; only a read error fails
		return cleanText(s)
	}
	return cleanText(render.InnerText(doc))
}

// cleanText trims each line's trailing space and the text's leading and trailing blank
// lines, and keeps at most one empty line between paragraphs, so that the stored body
// reads like the Markdown articles (one paragraph per line, a blank line between).
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\u00a0", " ")
	var b strings.Builder
	b.Grow(len(s))
	blank := 0
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.TrimRight(line, " \t\r")
		if strings.TrimSpace(line) == "" {
			blank++
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n")
			if blank > 0 {
				b.WriteString("\n")
			}
		}
		blank = 0
		b.WriteString(strings.TrimLeft(line, " \t"))
	}
	return b.String()
}
