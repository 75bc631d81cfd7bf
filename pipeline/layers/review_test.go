package layers

import (
	"fmt"
	"strings"
	"testing"
)

func TestReviewRankedAndCapped(t *testing.T) {
	item := func(article, place string, conf float64, why ...string) ReviewItem {
		return ReviewItem{ID: fmt.Sprintf("%s:%d", article, int(conf*100)), ArticleID: article, Text: place + "-text", PlaceID: place, Name: place,
			Confidence: conf, Why: why, Reasons: why, Alternatives: []ReviewAlternative{{Name: place + "-alt", Score: conf}}}
	}
	agg := NewAggregate(ReviewOptions{MaxPlaces: 2, MaxExamples: 2})
	// place b: 4 doubtful mentions in 2 articles; a: 2; c: 2 with a lower minimum; d: 1
	agg.Add(&Result{ArticleID: "1", Review: []ReviewItem{
		item("1", "b", 0.5, WhyLowConfidence), item("1", "b", 0.3, WhyLowConfidence, WhyMisspelt), item("1", "a", 0.55, WhyLowConfidence),
	}})
	agg.Add(&Result{ArticleID: "2", Review: []ReviewItem{
		item("2", "b", 0.4, WhyCloseAlternative), item("2", "b", 0.45, WhyLowConfidence), item("2", "c", 0.2, WhyLowConfidence),
		item("2", "a", 0.58, WhyLowConfidence), item("2", "c", 0.5, WhyMisspelt), item("2", "d", 0.1, WhyLowConfidence),
	}})
	r := agg.Review()
	if r.DoubtfulMentions != 9 || r.DoubtfulPlaces != 4 || r.LeftOutPlaces != 2 || r.LeftOutMentions != 3 {
		t.Errorf("counts: %+v", r)
	}
	if len(r.Places) != 2 || r.Places[0].PlaceID != "b" || r.Places[1].PlaceID != "c" {
		t.Fatalf("ranking: %+v (want b with 4 mentions, then c: 2 mentions, lower minimum than a)", r.Places)
	}
	b := r.Places[0]
	if b.Mentions != 4 || b.Articles != 2 || b.LowConfidence != 3 || b.Misspelt != 1 || b.CloseAlternative != 1 || b.MinConfidence != 0.3 {
		t.Errorf("place b: %+v", b)
	}
	if len(b.Examples) != 2 || b.Examples[0].Confidence != 0.3 || b.Examples[1].Confidence != 0.4 {
		t.Errorf("examples of b: %+v, want the two least confident (0.3, 0.4)", b.Examples)
	}
	if len(b.Alternatives) != 1 || b.Alternatives[0].Score != 0.3 {
		t.Errorf("alternatives of b come from its least confident mention: %+v", b.Alternatives)
	}
	md := ReviewMarkdown(r)
	for _, want := range []string{"9 mentions of 4 places", "2 more places (3 mentions) are left out", "## 1. b", "## 2. c"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "## 3.") {
		t.Errorf("markdown lists more places than the cap:\n%s", md)
	}
}

func TestReviewEmpty(t *testing.T) {
	r := NewAggregate(ReviewOptions{}).Review()
	if r.DoubtfulMentions != 0 || r.Places == nil || r.MaxPlaces != DefaultReviewPlaces {
		t.Errorf("%+v", r)
	}
	if md := ReviewMarkdown(r); !strings.Contains(md, "Nothing to review") {
		t.Error(md)
	}
}
