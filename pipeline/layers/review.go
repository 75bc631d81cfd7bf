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

// Why a mention is doubtful (ReviewItem.Why).
const (
	WhyLowConfidence    = "low_confidence"
	WhyMisspelt         = "misspelt"
	WhyCloseAlternative = "close_alternative"
)

// ReviewItem is one doubtful mention.
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
	Why          []string            `json:"why"`     // WhyLowConfidence, WhyMisspelt, WhyCloseAlternative
	Reasons      []string            `json:"reasons"` // the same, said for a person
	Alternatives []ReviewAlternative `json:"alternatives"`
}

// ReviewAlternative is a reading that lost.
type ReviewAlternative struct {
	Name        string  `json:"name"`
	PlaceID     string  `json:"place_id"`
	CountryCode string  `json:"country_code"`
	Score       float64 `json:"score"`
}

// reviewItems lists the doubtful mentions of a document.
func reviewItems(d *pipeline.Document) []ReviewItem {
	var items []ReviewItem
	for i := range d.Mentions {
		m := &d.Mentions[i]
		var why, reasons []string
		if m.Confidence < ReviewConfidence {
			why = append(why, WhyLowConfidence)
			reasons = append(reasons, fmt.Sprintf("confidence %.2f below %.2f", m.Confidence, ReviewConfidence))
		}
		if isFuzzy(m) {
			why = append(why, WhyMisspelt)
			reasons = append(reasons, fmt.Sprintf("spelling differs from the gazetteer name %q", m.Entry.Name))
		}
		if len(m.Alternatives) > 0 && m.Score-m.Alternatives[0].Score < ReviewMargin {
			why = append(why, WhyCloseAlternative)
			reasons = append(reasons, fmt.Sprintf("close alternative %s (%s)", m.Alternatives[0].Entry.Name, m.Alternatives[0].Entry.CountryCode))
		}
		if len(why) == 0 {
			continue
		}
		it := ReviewItem{
			ID: MentionID(d.Article.ID, m.Start), ArticleID: d.Article.ID, Text: m.Text, Quote: m.Quote,
			Name: m.Entry.Name, PlaceID: m.Entry.ID, CountryCode: m.Entry.CountryCode,
			Confidence: m.Confidence, Match: m.Match.String(), Why: why, Reasons: reasons,
			Alternatives: []ReviewAlternative{},
		}
		for _, a := range m.Alternatives {
			it.Alternatives = append(it.Alternatives, ReviewAlternative{a.Entry.Name, a.Entry.ID, a.Entry.CountryCode, round3(a.Score)})
		}
		items = append(items, it)
	}
	return items
}

// ReviewOptions caps the review report.
type ReviewOptions struct {
	MaxPlaces   int // places listed; 0: DefaultReviewPlaces
	MaxExamples int // example mentions per place; 0: DefaultReviewExamples
}

// Default caps of the review report: what one person can check in a sitting.
const (
	DefaultReviewPlaces   = 100
	DefaultReviewExamples = 3
)

// ReviewReport is what a person is asked to check: the places with doubtful mentions,
// the most-mentioned first, each with its least confident mentions as examples, capped,
// with counts of what was left out.
type ReviewReport struct {
	DoubtfulMentions int           `json:"doubtful_mentions"` // in the whole corpus
	DoubtfulPlaces   int           `json:"doubtful_places"`
	Places           []ReviewPlace `json:"places"`
	LeftOutPlaces    int           `json:"left_out_places"`
	LeftOutMentions  int           `json:"left_out_mentions"` // doubtful mentions of the places left out
	MaxPlaces        int           `json:"max_places"`
	MaxExamples      int           `json:"max_examples"`
}

// ReviewPlace groups the doubtful mentions of one place.
type ReviewPlace struct {
	Rank             int                 `json:"rank"`
	PlaceID          string              `json:"place_id"`
	Name             string              `json:"name"`
	CountryCode      string              `json:"country_code"`
	Mentions         int                 `json:"mentions"` // doubtful mentions of the place
	Articles         int                 `json:"articles"`
	LowConfidence    int                 `json:"low_confidence"`
	Misspelt         int                 `json:"misspelt"`
	CloseAlternative int                 `json:"close_alternative"`
	MinConfidence    float64             `json:"min_confidence"`
	Texts            []string            `json:"texts"`        // written forms, most frequent first (at most 10)
	Alternatives     []ReviewAlternative `json:"alternatives"` // of the least confident mention
	Examples         []ReviewItem        `json:"examples"`     // the least confident mentions
}

// reviewAggregate keeps, per place, counts and the least confident examples.
type reviewAggregate struct {
	opts   ReviewOptions
	places map[string]*reviewPlace
	total  int
}

type reviewPlace struct {
	ReviewPlace
	lastArticle string
	texts       map[string]int
}

func newReviewAggregate(opts ReviewOptions) *reviewAggregate {
	if opts.MaxPlaces <= 0 {
		opts.MaxPlaces = DefaultReviewPlaces
	}
	if opts.MaxExamples <= 0 {
		opts.MaxExamples = DefaultReviewExamples
	}
	return &reviewAggregate{opts: opts, places: map[string]*reviewPlace{}}
}

func (ra *reviewAggregate) add(it *ReviewItem) {
	ra.total++
	p := ra.places[it.PlaceID]
	if p == nil {
		p = &reviewPlace{ReviewPlace: ReviewPlace{PlaceID: it.PlaceID, Name: it.Name, CountryCode: it.CountryCode, MinConfidence: 2},
			texts: map[string]int{}}
		ra.places[it.PlaceID] = p
	}
	p.Mentions++
	if it.ArticleID != p.lastArticle {
		p.Articles++
		p.lastArticle = it.ArticleID
	}
	for _, w := range it.Why {
		switch w {
		case WhyLowConfidence:
			p.LowConfidence++
		case WhyMisspelt:
			p.Misspelt++
		case WhyCloseAlternative:
			p.CloseAlternative++
		}
	}
	if len(p.texts) < 100 || p.texts[it.Text] > 0 {
		p.texts[it.Text]++
	}
	if it.Confidence < p.MinConfidence {
		p.MinConfidence = it.Confidence
		p.Alternatives = it.Alternatives
	}
	// keep the MaxExamples least confident mentions (first come first on ties)
	ex := p.Examples
	i := sort.Search(len(ex), func(i int) bool { return ex[i].Confidence > it.Confidence })
	if i < ra.opts.MaxExamples {
		if len(ex) < ra.opts.MaxExamples {
			ex = append(ex, ReviewItem{})
		}
		copy(ex[i+1:], ex[i:])
		ex[i] = *it
		p.Examples = ex
	}
}

func (ra *reviewAggregate) report() *ReviewReport {
	all := make([]*reviewPlace, 0, len(ra.places))
	for _, p := range ra.places {
		all = append(all, p)
	}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.Mentions != b.Mentions {
			return a.Mentions > b.Mentions
		}
		if a.MinConfidence != b.MinConfidence {
			return a.MinConfidence < b.MinConfidence
		}
		return a.PlaceID < b.PlaceID
	})
	r := &ReviewReport{DoubtfulMentions: ra.total, DoubtfulPlaces: len(all), Places: []ReviewPlace{},
		MaxPlaces: ra.opts.MaxPlaces, MaxExamples: ra.opts.MaxExamples}
	for i, p := range all {
		if i >= ra.opts.MaxPlaces {
			r.LeftOutPlaces++
			r.LeftOutMentions += p.Mentions
			continue
		}
		rp := p.ReviewPlace
		rp.Rank = i + 1
		rp.Texts = topTexts(p.texts, 10)
		if rp.Alternatives == nil {
			rp.Alternatives = []ReviewAlternative{}
		}
		r.Places = append(r.Places, rp)
	}
	return r
}

// topTexts returns the n most frequent forms, most frequent first, ties by name.
func topTexts(m map[string]int, n int) []string {
	out := keys(m)
	sort.SliceStable(out, func(i, j int) bool { return m[out[i]] > m[out[j]] })
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// ReviewMarkdown renders the review report for a person: one section per place.
func ReviewMarkdown(r *ReviewReport) string {
	var b strings.Builder
	b.WriteString("# Places to review\n\n")
	if r.DoubtfulMentions == 0 {
		b.WriteString("Nothing to review: every mention was resolved with confidence.\n")
		return b.String()
	}
	fmt.Fprintf(&b, "%d mentions of %d places have low confidence, a misspelt name or a close alternative. ", r.DoubtfulMentions, r.DoubtfulPlaces)
	fmt.Fprintf(&b, "The places with the most of them come first, each with its %d least confident mentions", r.MaxExamples)
	if r.LeftOutPlaces > 0 {
		fmt.Fprintf(&b, "; %d more places (%d mentions) are left out: this report lists the first %d", r.LeftOutPlaces, r.LeftOutMentions, r.MaxPlaces)
	}
	b.WriteString(".\n")
	for _, p := range r.Places {
		fmt.Fprintf(&b, "\n## %d. %s (%s) `%s`: %d mentions in %d articles\n\n", p.Rank, mdEscape(p.Name), p.CountryCode, p.PlaceID, p.Mentions, p.Articles)
		var why []string
		for _, c := range []struct {
			n    int
			what string
		}{{p.LowConfidence, "low confidence"}, {p.Misspelt, "misspelt"}, {p.CloseAlternative, "close alternative"}} {
			if c.n > 0 {
				why = append(why, fmt.Sprintf("%s %d", c.what, c.n))
			}
		}
		fmt.Fprintf(&b, "Written %s; %s; lowest confidence %.2f", mdEscape(strings.Join(p.Texts, ", ")), strings.Join(why, ", "), p.MinConfidence)
		if len(p.Alternatives) > 0 {
			var alts []string
			for _, a := range p.Alternatives {
				alts = append(alts, fmt.Sprintf("%s (%s, %.2f)", a.Name, a.CountryCode, a.Score))
			}
			fmt.Fprintf(&b, "; alternatives: %s", mdEscape(strings.Join(alts, ", ")))
		}
		b.WriteString(".\n\n| mention | text | confidence | why | quote |\n|---|---|---|---|---|\n")
		for _, it := range p.Examples {
			fmt.Fprintf(&b, "| %s | %s | %.2f | %s | %s |\n", it.ID, mdEscape(it.Text), it.Confidence,
				mdEscape(strings.Join(it.Reasons, "; ")), mdEscape(it.Quote))
		}
	}
	return b.String()
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }
