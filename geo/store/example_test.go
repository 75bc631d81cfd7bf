package store_test

import (
	"context"
	"fmt"

	"github.com/paulmach/orb"

	"newsmap/geo/layerstore"
	"newsmap/geo/store"
)

// The in-memory store of a folder of layer files: the catalogue, then a query of one
// layer, answered as any store answers it.
func ExampleNewMemory() {
	files, err := layerstore.Open("../layerstore/testdata/layers")
	if err != nil {
		panic(err)
	}
	var st store.Store = store.NewMemory(files, nil)
	ctx := context.Background()
	cat, err := st.Catalog(ctx)
	if err != nil {
		panic(err)
	}
	for _, l := range cat.Layers {
		fmt.Println(l.Name(), l.Count())
	}
	l, err := st.Layer(ctx, "mentions")
	if err != nil {
		panic(err)
	}
	res, err := l.Query(ctx, layerstore.Query{BBox: &orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}, Limit: 1})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.NumberMatched, len(res.JSON))
	// Output:
	// mentions 5
	// regions 1
	// routes 1
	// 5 1
}
