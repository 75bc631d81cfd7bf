package ogc

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/paulmach/orb/geojson"

	"newsmap/geo/schema"
	"newsmap/geo/store"
	"newsmap/web"
)

// htmlPage is what every HTML template gets.
type htmlPage struct {
	Title  string
	Base   string // the API root, ".../ogc"
	Crumbs []crumb
	Data   any
}

type crumb struct{ Href, Text string }

// crumbs builds the breadcrumb trail of path segments below the API root.
func crumbs(base string, segs ...string) []crumb {
	out := []crumb{{base + "?f=html", "OGC API"}}
	p := base
	for _, s := range segs {
		p += "/" + url.PathEscape(s)
		out = append(out, crumb{p + "?f=html", s})
	}
	return out
}

type itemsPage struct {
	Collection, Title string
	Columns           []string
	FC                featureCollection
	Start             int
	Queryables        []queryable
	Params            url.Values
}

type itemPage struct {
	Collection string
	Feature    featureOut
}

// columns are the scalar properties of l, the usual ones first.
func columns(l store.Layer) []string {
	first := []string{schema.Name, schema.Kind, schema.Date, schema.DateEnd, schema.CountryCode}
	var rest []string
	has := map[string]bool{}
	for _, f := range l.Fields() {
		switch f.Type {
		case "string", "integer", "number", "boolean", "mixed":
			has[f.Name] = true
			if !slices.Contains(first, f.Name) && f.Name != schema.ID {
				rest = append(rest, f.Name)
			}
		}
	}
	var out []string
	for _, c := range first {
		if has[c] {
			out = append(out, c)
		}
	}
	return append(out, rest...)
}

var funcs = template.FuncMap{
	"prop": func(p geojson.Properties, k string) string {
		switch v := p[k].(type) {
		case nil:
			return ""
		case string:
			return v
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		default:
			return encodeCompact(v)
		}
	},
	"json": encodeCompact,
	"add":  func(a, b int) int { return a + b },
	"geomType": func(g *geojson.Geometry) string {
		if g == nil || g.Coordinates == nil {
			return "none"
		}
		return g.Coordinates.GeoJSONType()
	},
	"param": func(v url.Values, k string) string { return v.Get(k) },
}

var pages = template.Must(template.New("").Funcs(funcs).Parse(`
{{define "head"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} – newsmap OGC API</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:1.5rem auto;max-width:72rem;padding:0 1rem;color:#222}
nav a{color:#555} table{border-collapse:collapse;font-size:13px} td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:left;vertical-align:top}
th{background:#f3f3f3} code{background:#f6f6f6;padding:0 .2rem} .links li{margin:.15rem 0} pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem}
</style></head><body>
<nav>{{range $i, $c := .Crumbs}}{{if $i}} / {{end}}<a href="{{$c.Href}}">{{$c.Text}}</a>{{end}}</nav>
<h1>{{.Title}}</h1>
{{end}}
{{define "links"}}<h2>Links</h2><ul class="links">{{range .}}<li><a href="{{.Href}}">{{if .Title}}{{.Title}}{{else}}{{.Href}}{{end}}</a> <code>{{.Rel}}</code> <code>{{.Type}}</code></li>{{end}}</ul>{{end}}
{{define "foot"}}</body></html>{{end}}

{{define "landing"}}{{template "head" .}}
<p>{{.Data.Description}}</p>
<ul>
<li><a href="{{.Base}}/collections?f=html">Collections</a></li>
<li><a href="{{.Base}}/conformance?f=html">Conformance</a></li>
<li><a href="{{.Base}}/api?f=html">API documentation</a> (<a href="{{.Base}}/api?f=json">OpenAPI 3.0 JSON</a>)</li>
</ul>
{{template "links" .Data.Links}}{{template "foot"}}{{end}}

{{define "conformance"}}{{template "head" .}}
<ul>{{range .Data.ConformsTo}}<li><a href="{{.}}">{{.}}</a></li>{{end}}</ul>
{{template "foot"}}{{end}}

{{define "collections"}}{{template "head" .}}
<table><tr><th>Collection</th><th>Description</th><th>Features</th><th>Extent</th></tr>
{{range .Data.Collections}}<tr><td><a href="{{$.Base}}/collections/{{.ID}}?f=html">{{.Title}}</a> <code>{{.ID}}</code></td><td>{{.Description}}</td><td>{{.Count}}</td>
<td>{{with .Extent}}{{with .Spatial}}{{json .BBox}}{{end}}{{with .Temporal}}<br>{{json .Interval}}{{end}}{{end}}</td></tr>
{{end}}</table>
{{template "links" .Data.Links}}{{template "foot"}}{{end}}

{{define "collection"}}{{template "head" .}}
<p>{{.Data.Description}}</p>
<p><a href="{{.Base}}/collections/{{.Data.ID}}/items?f=html">Browse the {{.Data.Count}} features</a> ·
<a href="{{.Base}}/collections/{{.Data.ID}}/queryables?f=html">Queryables</a></p>
<table>
<tr><th>id</th><td><code>{{.Data.ID}}</code></td></tr>
<tr><th>item type</th><td>{{.Data.ItemType}}</td></tr>
<tr><th>CRS</th><td>{{range .Data.CRS}}<code>{{.}}</code> {{end}}</td></tr>
{{with .Data.Extent}}{{with .Spatial}}<tr><th>bbox</th><td>{{json .BBox}}</td></tr>{{end}}
{{with .Temporal}}<tr><th>interval</th><td>{{json .Interval}}</td></tr>{{end}}{{end}}
</table>
{{template "links" .Data.Links}}{{template "foot"}}{{end}}

{{define "items"}}{{template "head" .}}
{{with .Data}}
<form method="get"><input type="hidden" name="f" value="html">
bbox <input name="bbox" value="{{param .Params "bbox"}}" placeholder="minLon,minLat,maxLon,maxLat" size="28">
datetime <input name="datetime" value="{{param .Params "datetime"}}" placeholder="2023-09-01/2023-09-30" size="24">
limit <input name="limit" value="{{param .Params "limit"}}" placeholder="10" size="5">
<button>Filter</button></form>
<p>Features {{if .FC.NumberReturned}}{{add .Start 1}}–{{add .Start .FC.NumberReturned}}{{else}}0{{end}} of {{.FC.NumberMatched}} matched.
{{range .FC.Links}}{{if eq .Rel "prev"}}<a href="{{.Href}}">← previous</a> {{end}}{{if eq .Rel "next"}}<a href="{{.Href}}">next →</a>{{end}}{{end}}</p>
<table><tr><th>id</th><th>geometry</th>{{range .Columns}}<th>{{.}}</th>{{end}}</tr>
{{$cols := .Columns}}{{$c := .Collection}}
{{range .FC.Features}}<tr><td><a href="{{$.Base}}/collections/{{$c}}/items/{{.ID}}?f=html">{{.ID}}</a></td><td>{{geomType .Geometry}}</td>
{{$p := .Properties}}{{range $cols}}<td>{{prop $p .}}</td>{{end}}</tr>
{{end}}</table>
<p>Filter by property with <code>?name=value</code>: {{range .Queryables}}<code>{{.Name}}</code> {{end}}</p>
{{template "links" .FC.Links}}{{end}}{{template "foot"}}{{end}}

{{define "item"}}{{template "head" .}}
{{with .Data.Feature}}
<table><tr><th>geometry</th><td>{{geomType .Geometry}} <code>{{json .Geometry}}</code></td></tr>
{{range $k, $v := .Properties}}<tr><th>{{$k}}</th><td>{{json $v}}</td></tr>{{end}}
</table>
{{template "links" .Links}}{{end}}{{template "foot"}}{{end}}

{{define "queryables"}}{{template "head" .}}
<p>Filter the items of this collection by equality: <code>items?name=value</code>. For array properties any element may match.</p>
<table><tr><th>property</th><th>type</th></tr>{{range .Data}}<tr><td><code>{{.Name}}</code></td><td>{{.Type}}</td></tr>{{end}}</table>
{{template "foot"}}{{end}}

{{define "api"}}{{template "head" .}}
<p>The machine-readable definition: <a href="{{.Base}}/api?f=json">OpenAPI 3.0 JSON</a>.</p>
{{range .Data}}<h2><code>GET {{.Path}}</code></h2><p>{{.Summary}}</p>
{{if .Params}}<table><tr><th>parameter</th><th>in</th><th>type</th><th>description</th></tr>
{{range .Params}}<tr><td><code>{{.Name}}</code></td><td>{{.In}}</td><td>{{.Type}}</td><td>{{.Description}}</td></tr>{{end}}</table>{{end}}
{{end}}{{template "foot"}}{{end}}
`))

// renderHTML executes the named template into the response.
func renderHTML(w http.ResponseWriter, name string, p htmlPage) error {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, p); err != nil {
		return err
	}
	h := w.Header()
	h.Del("Content-Crs")
	web.HTMLHeaders(h, web.CSPPages)
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Add("Vary", "Accept")
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(buf.Bytes())
	return err
}
