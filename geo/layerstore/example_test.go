package layerstore_test

import (
	"fmt"

	"newsmap/geo/layerstore"
)

func Example() {
	store, err := layerstore.Open("testdata/layers")
	if err != nil {
		fmt.Println(err)
		return
	}
	bbox, _ := layerstore.ParseBBox("43,38,51,43")
	day, _ := layerstore.ParseDatetime("2023-09-25")
	res, err := store.Query("mentions", layerstore.Query{BBox: &bbox, Time: &day})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range res.Features {
		fmt.Println(f.ID, f.Properties["name"], f.Properties["date"])
	}
	// Output:
	// a1:12 Yerevan 2023-09-25
	// a1:95 Tbilisi 2023-09-25T10:00
}

func ExampleParseDatetime() {
	for _, s := range []string{"2023-09-25", "2023-W38/..", "../2023-09-25T10:00:00Z", "soon"} {
		iv, err := layerstore.ParseDatetime(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(iv.Start.Format("2006-01-02T15:04"), iv.End.Format("2006-01-02T15:04"))
	}
	// Output:
	// 2023-09-25T00:00 2023-09-26T00:00
	// 2023-09-18T00:00 0001-01-01T00:00
	// 0001-01-01T00:00 2023-09-25T10:00
	// layerstore: bad query: datetime "soon" is not an RFC 3339 date-time, a date or an interval start/end
}
