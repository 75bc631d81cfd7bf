package tiles_test

import (
	"fmt"

	"newsmap/geo/layerstore"
	"newsmap/geo/tiles"
)

func Example() {
	store, err := layerstore.Open("../layerstore/testdata/layers")
	if err != nil {
		fmt.Println(err)
		return
	}
	layer, _ := store.Layer("mentions")
	t, err := tiles.ParseTile("6", "40", "24") // the eastern South Caucasus
	if err != nil {
		fmt.Println(err)
		return
	}
	r := tiles.New(tiles.Options{})
	gz, err := r.Tile(layer, t)
	fmt.Println(len(gz) > 0, err)
	tj := tiles.NewTileJSON(layer, "http://127.0.0.1:8080")
	fmt.Println(tj.TileJSON, tj.Tiles[0])
	_, err = tiles.ParseTile("3", "8", "0")
	fmt.Println(err)
	// Output:
	// true <nil>
	// 3.0.0 http://127.0.0.1:8080/tiles/mentions/{z}/{x}/{y}.mvt
	// tiles: bad tile coordinates: x and y must lie in 0..7 at zoom 3, got 8/0
}
