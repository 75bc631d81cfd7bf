package timex_test

import (
	"fmt"
	"newsmap/pipeline/lang"
	"time"

	"newsmap/pipeline/timex"
)

func ExampleTag() {
	published := time.Date(2023, 9, 25, 0, 0, 0, 0, time.UTC) // a Monday
	text := "Das Abkommen vom 9. November 2020 gilt seit Dienstag nicht mehr. Von zwei Uhr nachmittags an ist die Grenze zu."
	for _, e := range timex.Tag(text, published, lang.German) {
		fmt.Printf("%d-%d %q %s %s attributive=%v\n", e.Start, e.End, e.Text, e.Value, e.Granularity, e.Attributive)
	}
	// Output:
	// 13-33 "vom 9. November 2020" 2020-11-09 day attributive=true
	// 39-52 "seit Dienstag" 2023-09-19 day attributive=false
	// 65-92 "Von zwei Uhr nachmittags an" 2023-09-25T14:00 hour attributive=false
}
