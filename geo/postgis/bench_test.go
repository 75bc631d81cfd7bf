package postgis_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"newsmap/geo/layerstore"
	"newsmap/geo/layerstore/layertest"
	"newsmap/geo/postgis"
	"newsmap/geo/postgis/pgtest"
)

// benchStore writes a synthetic layer of n points with mention-like properties into a
// new database and opens it as a Store.
func benchStore(b *testing.B, n int) (*postgis.Store, *layerstore.Layer) {
	b.Helper()
	l := layertest.Layer(b, layertest.Spec{N: n, MinLon: -10, MinLat: 10, DLon: 150, DLat: 60, Props: func(i int, _ *rand.Rand) string {
		return fmt.Sprintf(`"name":"Place %d","kind":"city","article_id":"a%d","date":"2023-09-%02d","quote":"A sentence of some length quoting the article about place %d.","confidence":0.9,"alternatives":[{"name":"Other","lat":1.5,"lon":2.5}]`, i%500, i%300, 1+i%28, i)
	}})
	url := pgtest.DB(b)
	conn, err := postgis.Connect(context.Background(), url, 0)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := postgis.Write(context.Background(), conn, []*layerstore.Layer{l}); err != nil {
		b.Fatal(err)
	}
	conn.Close(context.Background())
	st, err := postgis.OpenStore(url, postgis.StoreOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(st.Close)
	return st, l
}

// BenchmarkQueryBBox50k: one page of the features in a 4°×4° box (about 90 of 50,000),
// through the pool: the SQL, the rows and their encoding.
func BenchmarkQueryBBox50k(b *testing.B) {
	st, _ := benchStore(b, 50000)
	ctx := context.Background()
	l, err := st.Layer(ctx, "big")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		w := -10 + float64(i%140)
		q := layerstore.Query{BBox: &orb.Bound{Min: orb.Point{w, 40}, Max: orb.Point{w + 4, 44}}, Limit: 100}
		if _, err := l.Query(ctx, q); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkTileUncached50k: a tile at zoom 6 read and rendered (the cache is defeated
// by a new tile each time).
func BenchmarkTileUncached50k(b *testing.B) {
	st, _ := benchStore(b, 50000)
	ctx := context.Background()
	l, err := st.Layer(ctx, "big")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		t := maptile.New(uint32(31+i%26), uint32(14+(i/26)%10), 6)
		i++
		if _, err := l.Tile(ctx, maptile.New(t.X, t.Y, t.Z)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQueryFirstPage50k: the first page of 10 of a query that matches every one of
// 50,000 features (the map's list of a whole layer): the count covers all matches, the
// rows read only the page's.
func BenchmarkQueryFirstPage50k(b *testing.B) {
	st, _ := benchStore(b, 50000)
	ctx := context.Background()
	l, err := st.Layer(ctx, "big")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		res, err := l.Query(ctx, layerstore.Query{Limit: 10})
		if err != nil || res.NumberMatched != 50000 {
			b.Fatal(res.NumberMatched, err)
		}
	}
}
