package gazetteer

import (
	"io/fs"

	"newsmap/data"
)

// LoadEmbedded loads the gazetteer files compiled into the binary (data/gazetteer).
func LoadEmbedded() (*Gazetteer, error) {
	sub, err := fs.Sub(data.Gazetteer, "gazetteer")
	if err != nil {
		return nil, err
	}
	return Load(sub)
}
