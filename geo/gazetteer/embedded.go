package gazetteer

import (
	"io/fs"
	"os"
	"path/filepath"

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

// LoadEmbeddedCached is LoadCached of the embedded files: the gazetteer compiled into
// the binary, with its snapshot.
func LoadEmbeddedCached(opts SnapshotOptions) (*Gazetteer, SnapshotStatus, error) {
	sub, err := fs.Sub(data.Gazetteer, "gazetteer")
	if err != nil {
		return nil, SnapshotStatus{}, err
	}
	return LoadCached(sub, opts)
}

// DefaultSnapshotDir is the folder for the snapshot of programs that have no cache
// folder of their own: newsmap in the user's cache folder (os.UserCacheDir, e.g.
// ~/.cache/newsmap), or "" (no snapshot) when there is none.
func DefaultSnapshotDir() string {
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "newsmap")
}
