package layers

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"newsmap/pipeline"
)

// Review thresholds: a mention goes to review when its confidence is below
// ReviewConfidence, its name was matched fuzzily, or the runner-up scored within
// ReviewMargin of it.
const (
	ReviewConfidence = 0.6
	ReviewMargin     = 0.1
)

// ReviewItem is one mention for a human to check.
type ReviewItem struct {
	ID           string              `json:"id"`
	ArticleID    string              `json:"article_id"`
	Text         string              `json:"text"`
	Quote        string              `json:"quote"`
	Name         string              `json:"name"`
	PlaceID      string              `json:"place_id"`
	CountryCode  string              `json:"country_code"`
	Confidence   float64             `json:"confidence"`
	Match        string              `json:"match"`
	Reasons      []string            `json:"reasons"`
	Alternatives []ReviewAlternative `json:"alternatives"`
}

// ReviewAlternative is a reading that lost.
type ReviewAlternative struct {
	Name        string  `json:"name"`
	PlaceID     string  `json:"place_id"`
	CountryCode string  `json:"country_code"`
	Score       float64 `json:"score"`
}

// Review lists the doubtful mentions, least confident first.
func Review(docs []*pipeline.Document) []ReviewItem {
	items := []ReviewItem{}
	for _, d := range docs {
		for i := range d.Mentions {
			m := &d.Mentions[i]
			var why []string
			if m.Confidence < ReviewConfidence {
				why = append(why, fmt.Sprintf("confidence %.2f below %.2f", m.Confidence, ReviewConfidence))
			}
			if isFuzzy(m) {
				why = append(why, fmt.Sprintf("spelling differs from the gazetteer name %q", m.Entry.Name))
			}
			if len(m.Alternatives) > 0 && m.Score-m.Alternatives[0].Score < ReviewMargin {
				why = append(why, fmt.Sprintf("close alternative %s (%s)", m.Alternatives[0].Entry.Name, m.Alternatives[0].Entry.CountryCode))
			}
			if len(why) == 0 {
				continue
			}
			it := ReviewItem{
				ID: MentionID(d.Article.ID, m.Start), ArticleID: d.Article.ID, Text: m.Text, Quote: m.Quote,
				Name: m.Entry.Name, PlaceID: m.Entry.ID, CountryCode: m.Entry.CountryCode,
				Confidence: m.Confidence, Match: m.Match.String(), Reasons: why,
				Alternatives: []ReviewAlternative{},
			}
			for _, a := range m.Alternatives {
				it.Alternatives = append(it.Alternatives, ReviewAlternative{a.Entry.Name, a.Entry.ID, a.Entry.CountryCode, round3(a.Score)})
			}
			items = append(items, it)
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].Confidence < items[j].Confidence })
	return items
}

// ReviewMarkdown renders the review list as a Markdown table.
func ReviewMarkdown(items []ReviewItem) string {
	var b strings.Builder
	b.WriteString("# Mentions to review\n\n")
	if len(items) == 0 {
		b.WriteString("Nothing to review: every mention was resolved with confidence.\n")
		return b.String()
	}
	fmt.Fprintf(&b, "%d mentions have low confidence, a misspelt name or a close alternative.\n\n", len(items))
	b.WriteString("| mention | text | resolved to | confidence | why | alternatives |\n|---|---|---|---|---|---|\n")
	for _, it := range items {
		var alts []string
		for _, a := range it.Alternatives {
			alts = append(alts, fmt.Sprintf("%s (%s, %.2f)", a.Name, a.CountryCode, a.Score))
		}
		fmt.Fprintf(&b, "| %s | %s | %s (%s) | %.2f | %s | %s |\n", it.ID, mdEscape(it.Text), mdEscape(it.Name),
			it.CountryCode, it.Confidence, mdEscape(strings.Join(it.Reasons, "; ")), mdEscape(strings.Join(alts, ", ")))
	}
	return b.String()
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }
