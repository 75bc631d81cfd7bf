package layers

import "newsmap/pipeline"

// TemporalExpression is how a temporal expression is written in geoparse output.
type TemporalExpression struct {
	Text        string `json:"text"`
	Start       int    `json:"start"`
	End         int    `json:"end"`
	Value       string `json:"value"`
	Granularity string `json:"granularity"`
	Attributive bool   `json:"attributive,omitempty"`
}

// TemporalExpressions lists a document's temporal expressions.
func TemporalExpressions(d *pipeline.Document) []TemporalExpression {
	out := make([]TemporalExpression, 0, len(d.Timexes))
	for _, x := range d.Timexes {
		out = append(out, TemporalExpression{x.Text, x.Start, x.End, x.Value, string(x.Granularity), x.Attributive})
	}
	return out
}
