package article

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// FileError is an article file that could not be read; the others are still read.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

// IsArticleFile reports whether a file name looks like an article (.md or .txt; README
// and hidden files are not articles).
func IsArticleFile(name string) bool {
	base := path.Base(name)
	if strings.HasPrefix(base, ".") || strings.HasPrefix(strings.ToUpper(base), "README") {
		return false
	}
	ext := strings.ToLower(path.Ext(base))
	return ext == ".md" || ext == ".txt" || ext == ".markdown"
}

// LoadDir reads every article file in fsys (not recursing), sorted by name. A file that
// cannot be read or parsed is reported in errs and skipped; it never stops the others.
// Two files with the same id are an error for the second.
func LoadDir(fsys fs.FS) (arts []*Article, errs []error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, []error{err}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	seen := map[string]string{}
	for _, e := range entries {
		if e.IsDir() || !IsArticleFile(e.Name()) {
			continue
		}
		src, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			errs = append(errs, &FileError{e.Name(), err})
			continue
		}
		a, err := Parse(src, nil)
		if err != nil {
			errs = append(errs, &FileError{e.Name(), err})
			continue
		}
		if prev, dup := seen[a.ID]; dup {
			errs = append(errs, &FileError{e.Name(), fmt.Errorf("article: duplicate id %q (also in %s)", a.ID, prev)})
			continue
		}
		seen[a.ID] = e.Name()
		arts = append(arts, a)
	}
	return arts, errs
}
