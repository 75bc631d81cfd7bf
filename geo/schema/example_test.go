package schema_test

import (
	"fmt"

	"newsmap/geo/schema"
)

func ExampleParseValue() {
	iv, _ := schema.ParseValue("2023-W38")
	fmt.Println(iv.Start.Format("2006-01-02"), iv.End.Format("2006-01-02"), iv.Granularity)
	// Output: 2023-09-18 2023-09-25 week
}

func ExampleFeatureSpan() {
	// A place mentioned from 25 September 2023 up to some time in October: its time
	// runs to the end of October.
	props := map[string]any{schema.Date: "2023-09-25", schema.DateEnd: "2023-10"}
	s, _ := schema.FeatureSpan(props)
	iv := s.Interval()
	fmt.Println(iv.Start.Format("2006-01-02"), iv.End.Format("2006-01-02"), s.First.Granularity, s.Last.Granularity)
	// Output: 2023-09-25 2023-11-01 day month
}
