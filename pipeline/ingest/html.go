package ingest

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"path"
	"strings"

	"golang.org/x/net/html"

	readability "codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"

	"newsmap/pipeline/article"
)

// MaxPageBytes is the largest HTML page HTML reads.
const MaxPageBytes = 16 << 20

// HTML reads a saved or fetched news page: its main text by the readability algorithm
// (codeberg.org/readeck/go-readability, a maintained port of Mozilla's Readability.js)
// and its metadata from the page: the title, the publication date from JSON-LD
// (NewsArticle datePublished) or <meta property="article:published_time">, the language
// from <html lang>. pageURL (may be "") is the page's address; it gives the id (see
// URLID) unless the page names its canonical URL (<link rel="canonical">, og:url); a
// page with neither is identified by its file name. A page without a
// publication date or main text is an *ItemError.
func HTML(r io.Reader, name, pageURL string) (*article.Article, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxPageBytes+1))
	if err != nil {
		return nil, fmt.Errorf("ingest: %s: %w", name, err)
	}
	if len(data) > MaxPageBytes {
		return nil, &ItemError{File: name, Err: fmt.Errorf("%w: page larger than %d bytes", ErrTooLarge, MaxPageBytes)}
	}
	a, err := parseHTML(data, name, pageURL)
	if err != nil {
		return nil, &ItemError{File: name, Err: err}
	}
	return a, nil
}

func parseHTML(data []byte, name, pageURL string) (*article.Article, error) {
	var u *url.URL
	if pageURL != "" {
		var err error
		if u, err = url.Parse(pageURL); err != nil {
			return nil, fmt.Errorf("%w: page URL: %v", ErrSyntax, err)
		}
	}
	p := readability.NewParser()
	page, err := p.Parse(bytes.NewReader(data), u)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSyntax, err)
	}
	if page.Node == nil {
		return nil, fmt.Errorf("%w: no main text found", ErrEmpty)
	}
	a := &article.Article{
		Title:    pageTitle(page.Title(), page.SiteName()),
		Source:   strings.TrimSpace(page.SiteName()),
		URL:      canonicalURL(data, pageURL),
		Language: page.Language(),
		Body:     cleanText(render.InnerText(page.Node)),
	}
	if a.URL == "" { // a saved page that names no address: its file name
		a.ID = strings.TrimSuffix(path.Base(name), path.Ext(name))
	}
	if t, err := page.PublishedTime(); err == nil {
		a.Published = dayOf(t)
	} else if t, err := page.ModifiedTime(); err == nil {
		a.Published = dayOf(t)
	}
	if err := finish(a, ""); err != nil {
		return nil, err
	}
	return a, nil
}

// canonicalURL returns the page's own address: <link rel="canonical" href>, else
// <meta property="og:url" content>, else fallback.
func canonicalURL(data []byte, fallback string) string {
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return fallback
		case html.StartTagToken, html.SelfClosingTagToken:
			tag, hasAttr := z.TagName()
			if string(tag) == "body" {
				return fallback
			}
			if !hasAttr || (string(tag) != "link" && string(tag) != "meta") {
				continue
			}
			attrs := map[string]string{}
			for {
				k, v, more := z.TagAttr()
				attrs[string(k)] = string(v)
				if !more {
					break
				}
			}
			href := strings.TrimSpace(attrs["href"])
			if string(tag) == "link" && strings.EqualFold(attrs["rel"], "canonical") && isHTTPURL(href) {
				return href
			}
			content := strings.TrimSpace(attrs["content"])
			if string(tag) == "meta" && attrs["property"] == "og:url" && isHTTPURL(content) {
				return content
			}
		}
	}
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// pageTitle drops the site name that pages append to their <title> ("Angriffe auf
// Odessa | Example Zeitung").
func pageTitle(title, site string) string {
	title = strings.TrimSpace(title)
	if site = strings.TrimSpace(site); site == "" {
		return title
	}
	for _, sep := range []string{" | ", " - ", " – ", " — ", " · "} {
		if t, ok := strings.CutSuffix(title, sep+site); ok && t != "" {
			return strings.TrimSpace(t)
		}
	}
	return title
}
