// Package static holds the newsmap map page (index.html, app.js, app.css, the layer
// schema's names in schema.js, the parts shared with the published site in page.js and
// the view helpers in view.js) and its
// vendored front-end assets (Leaflet, Leaflet.markercluster, topojson-client and the
// Natural Earth 110m countries from world-atlas), embedded into the binary so that the
// server needs neither npm nor a CDN at run time. vendor.sh refreshes vendor/ from the
// versions pinned in package-lock.json.
package static

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"newsmap/web"
)

//go:embed index.html app.js app.css schema.js page.js view.js clusters.js vendor
var files embed.FS

// FS returns the embedded files (index.html, app.js, app.css, schema.js, page.js,
// view.js, clusters.js and vendor/...).
func FS() fs.FS { return files }

// contentTypes pins the types of the extensions the page uses, so that they do not
// depend on the host's mime tables.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".json": "application/json",
	".png":  "image/png",
	".svg":  "image/svg+xml",
	"":      "text/plain; charset=utf-8", // LICENSE, VERSIONS
}

type asset struct {
	body        []byte
	etag        string
	contentType string
	cache       string
}

// Handler serves the embedded page and assets; "/" is index.html. Every file has a
// content-hash ETag. The page's own files (index.html, app.js, app.css) are revalidated
// on every load (Cache-Control: no-cache); vendored files, at pinned versions, are
// cached for a day. Only GET and HEAD are allowed; unknown paths and directories get 404.
func Handler() http.Handler {
	assets := map[string]asset{}
	_ = fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		ct, ok := contentTypes[ext]
		if !ok {
			ct = mime.TypeByExtension(ext)
		}
		cache := "no-cache"
		if strings.HasPrefix(name, "vendor/") {
			cache = "public, max-age=86400"
		}
		assets[name] = asset{
			body:        body,
			etag:        `"` + hex.EncodeToString(sum[:12]) + `"`,
			contentType: ct,
			cache:       cache,
		}
		return nil
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			web.WriteError(w, http.StatusMethodNotAllowed, "method not allowed")
			return
		}
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if name == "" {
			name = "index.html"
		}
		a, ok := assets[name]
		if !ok {
			web.WriteError(w, http.StatusNotFound, "not found")
			return
		}
		h := w.Header()
		if a.contentType != "" {
			h.Set("Content-Type", a.contentType)
		}
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", a.cache)
		h.Set("ETag", a.etag)
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(a.body))
	})
}
