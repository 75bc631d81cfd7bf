package ogc

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"
	"github.com/paulmach/orb/geojson"

	"newsmap/geo/layerstore"
	"newsmap/geo/store"
	"newsmap/web"
)

// itemParams are the parameters of the items resource besides property filters.
var itemParams = []string{"bbox", "datetime", "limit", "offset"}

// queryable is a property that the items resource filters on by equality.
type queryable struct {
	Name string
	// Type is the JSON Schema type of the property: string, integer, number, boolean,
	// or array (of scalars; a filter matches any element).
	Type string
}

// queryablesOf lists the properties of l that can be filtered on: those whose values
// are scalars or arrays of scalars, except names that the standard's parameters take.
func queryablesOf(l store.Layer) []queryable {
	var out []queryable
	for _, fd := range l.Fields() {
		if slices.Contains(itemParams, fd.Name) || fd.Name == "f" {
			continue
		}
		switch fd.Type {
		case "string", "integer", "number", "boolean":
			out = append(out, queryable{fd.Name, fd.Type})
		case "array":
			if fd.ScalarItems {
				out = append(out, queryable{fd.Name, "array"})
			}
		}
	}
	return out
}

// itemsAllowed are the parameters the items resource of l takes besides f.
func itemsAllowed(l store.Layer) []string {
	allowed := slices.Clone(itemParams)
	for _, q := range queryablesOf(l) {
		allowed = append(allowed, q.Name)
	}
	return allowed
}

// itemsQuery is a parsed items request.
type itemsQuery struct {
	q      layerstore.Query
	limit  int
	offset int
}

// parseItems reads the parameters of an items request, which checkParams has checked
// against itemsAllowed.
func parseItems(v url.Values) (itemsQuery, error) {
	iq := itemsQuery{limit: DefaultLimit}
	for k, vals := range v {
		val := vals[0]
		switch k {
		case "f":
		case "bbox":
			b, err := layerstore.ParseBBox(val)
			if err != nil {
				return iq, err
			}
			iq.q.BBox = &b
		case "datetime":
			t, err := layerstore.ParseDatetime(gdalDates(val))
			if err != nil {
				return iq, err
			}
			iq.q.Time = &t
		case "limit":
			n, err := strconv.Atoi(strings.TrimSpace(val))
			switch {
			case err != nil:
				return iq, badRequest("limit %q is not an integer", val)
			case n < 1:
				return iq, badRequest("limit %d is below the minimum 1", n)
			}
			iq.limit = min(n, MaxLimit)
		case "offset":
			n, err := strconv.Atoi(strings.TrimSpace(val))
			switch {
			case err != nil:
				return iq, badRequest("offset %q is not an integer", val)
			case n < 0:
				return iq, badRequest("offset %d is negative", n)
			}
			iq.offset = n
		default:
			if iq.q.Props == nil {
				iq.q.Props = map[string]string{}
			}
			iq.q.Props[k] = val
		}
	}
	return iq, nil
}

// gdalDate is a date followed by a bare "T", which GDAL before 3.7 sends for SQL
// filters on date fields ("date >= '2023-09-26'" becomes datetime=2023-09-26T/..).
var gdalDate = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})T$`)

// gdalDates reads "YYYY-MM-DDT" at either end of a datetime value as the date.
func gdalDates(v string) string {
	start, end, ok := strings.Cut(v, "/")
	start = gdalDate.ReplaceAllString(start, "$1")
	if !ok {
		return start
	}
	return start + "/" + gdalDate.ReplaceAllString(end, "$1")
}

// page returns the features of the requested page, in id order, and how many features
// match in all. The query semantics (a bbox across the antimeridian, geometry rather
// than bounding-box intersection) are layerstore's, the same as
// /api/layers/{name}.geojson, whatever the store.
func (iq itemsQuery) page(ctx context.Context, l store.Layer) (store.Result, error) {
	q := iq.q
	q.Limit, q.Offset = iq.limit, iq.offset
	return l.Query(ctx, q)
}

// featureOut is a feature with the links the API adds, for the HTML pages and the single
// item; items pages as GeoJSON are made of layerstore's encoded features, which have the
// same members but the links.
type featureOut struct {
	Type       string             `json:"type"`
	ID         string             `json:"id"`
	Geometry   *geojson.Geometry  `json:"geometry"`
	Properties geojson.Properties `json:"properties"`
	Links      []Link             `json:"links,omitempty"`
}

func newFeatureOut(f *geojson.Feature, links []Link) featureOut {
	out := featureOut{Type: "Feature", ID: layerstore.FeatureID(f), Properties: f.Properties, Links: links}
	if f.Geometry != nil {
		out.Geometry = geojson.NewGeometry(f.Geometry)
	}
	if out.Properties == nil {
		out.Properties = geojson.Properties{}
	}
	return out
}

// featureCollection is the items response as the HTML page gets it.
type featureCollection struct {
	Type           string
	Links          []Link
	NumberMatched  int
	NumberReturned int
	Features       []featureOut
}

func (a *api) items(w http.ResponseWriter, r *http.Request) error {
	l, f, b, err := a.beginLayer(r, itemsAllowed)
	if err != nil {
		return err
	}
	params, err := parseParams(r)
	if err != nil {
		return err
	}
	iq, err := parseItems(params)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Crs", "<"+crs84+">")
	// A GeoJSON page depends on the layer version, the API root of its links and the
	// query; f and Accept chose JSON and are then irrelevant. Requests for the same page at
	// the same time query and encode it once.
	if f == formatJSON {
		key := l.Name() + "\x00" + l.Hash() + "\x00" + b + "\x00" + withParams("", params, "")
		p, err := a.pages.Do(r.Context(), key, func() (*web.Page, error) {
			res, err := iq.page(r.Context(), l)
			if err != nil {
				return nil, err
			}
			body, err := itemsJSON(res, itemsLinks(l, b, params, iq, f, len(res.JSON), res.NumberMatched), a.opts.Now())
			if err != nil {
				return nil, err
			}
			return web.NewPage(body), nil
		})
		if err != nil {
			return err
		}
		w.Header().Add("Vary", "Accept")
		p.Serve(w, r, typeGeoJSON)
		return nil
	}
	res, err := iq.page(r.Context(), l)
	if err != nil {
		return err
	}
	feats, err := res.Decoded()
	if err != nil {
		return err
	}
	matched, n := res.NumberMatched, len(feats)
	start := min(iq.offset, matched)
	links := itemsLinks(l, b, params, iq, f, n, matched)
	fc := featureCollection{Type: "FeatureCollection", Links: links, NumberMatched: matched, NumberReturned: n, Features: make([]featureOut, n)}
	for k, feat := range feats {
		fc.Features[k] = newFeatureOut(feat, nil)
	}
	return renderHTML(w, "items", htmlPage{
		Title: l.Title(), Base: b, Crumbs: crumbs(b, "collections", l.Name(), "items"),
		Data: itemsPage{Collection: l.Name(), Title: l.Title(), Columns: columns(l), FC: fc, Start: start, Queryables: queryablesOf(l), Params: params},
	})
}

// itemsLinks are the links of an items page of n features out of matched: self and
// alternate (in the page's format f and the other), next and prev, the collection.
func itemsLinks(l store.Layer, b string, params url.Values, iq itemsQuery, f format, n, matched int) []Link {
	start := min(iq.offset, matched)
	end := start + n
	cpath := b + "/collections/" + url.PathEscape(l.Name())
	ipath := cpath + "/items"
	selfType, altType, selfF, altF := typeGeoJSON, typeHTML, "json", "html"
	if f == formatHTML {
		selfType, altType, selfF, altF = typeHTML, typeGeoJSON, "html", "json"
	}
	links := []Link{
		{Href: withParams(ipath, params, selfF), Rel: "self", Type: selfType, Title: "This page"},
		{Href: withParams(ipath, params, altF), Rel: "alternate", Type: altType, Title: "This page as " + strings.ToUpper(altF)},
	}
	paged := func(offset int) url.Values {
		v := url.Values{}
		for k, vals := range params {
			v[k] = vals
		}
		v.Set("limit", strconv.Itoa(iq.limit))
		if offset > 0 {
			v.Set("offset", strconv.Itoa(offset))
		} else {
			v.Del("offset")
		}
		return v
	}
	if end < matched {
		links = append(links, Link{Href: withParams(ipath, paged(end), selfF), Rel: "next", Type: selfType, Title: "Next page"})
	}
	if start > 0 {
		links = append(links, Link{Href: withParams(ipath, paged(max(0, start-iq.limit)), selfF), Rel: "prev", Type: selfType, Title: "Previous page"})
	}
	return append(links, Link{Href: cpath + "?f=json", Rel: "collection", Type: typeJSON, Title: l.Title()})
}

// itemsJSON is the GeoJSON items page: the FeatureCollection with the API's members, its
// features the bytes the store encoded (layerstore when it loaded the layer).
func itemsJSON(res store.Result, links []Link, now time.Time) ([]byte, error) {
	lj, err := web.MarshalJSON(links)
	if err != nil {
		return nil, err
	}
	lj = lj[:len(lj)-1] // the newline
	size := 160 + len(lj)
	for _, f := range res.JSON {
		size += len(f) + 1
	}
	buf := make([]byte, 0, size)
	buf = append(buf, `{"type":"FeatureCollection","links":`...)
	buf = append(buf, lj...)
	buf = append(buf, `,"timeStamp":"`...)
	buf = now.UTC().AppendFormat(buf, "2006-01-02T15:04:05Z")
	buf = append(buf, `","numberMatched":`...)
	buf = strconv.AppendInt(buf, int64(res.NumberMatched), 10)
	buf = append(buf, `,"numberReturned":`...)
	buf = strconv.AppendInt(buf, int64(len(res.JSON)), 10)
	buf = append(buf, `,"features":[`...)
	for k, f := range res.JSON {
		if k > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, f...)
	}
	return append(buf, "]}\n"...), nil
}

func (a *api) item(w http.ResponseWriter, r *http.Request) error {
	l, f, b, err := a.beginLayer(r, nil)
	if err != nil {
		return err
	}
	fid := mux.Vars(r)["featureId"]
	feat, ok, err := l.Feature(r.Context(), fid)
	if err != nil {
		return err
	}
	if !ok {
		return badID(l.Name(), fid)
	}
	cpath := b + "/collections/" + url.PathEscape(l.Name())
	links := append(formatLinks(cpath+"/items/"+url.PathEscape(fid), f, typeGeoJSON, "This feature"),
		Link{Href: cpath + "?f=json", Rel: "collection", Type: typeJSON, Title: l.Title()})
	out := newFeatureOut(feat, links)
	w.Header().Set("Content-Crs", "<"+crs84+">")
	return respond(w, r, f, typeGeoJSON, out, "item", htmlPage{
		Title: fid, Base: b, Crumbs: crumbs(b, "collections", l.Name(), "items", fid),
		Data: itemPage{Collection: l.Name(), Feature: out},
	})
}

func badID(layer, id string) error {
	return &notFoundError{"feature " + strconv.Quote(id) + " is not in collection " + layer}
}

type notFoundError struct{ msg string }

func (e *notFoundError) Error() string { return "ogc: not found: " + e.msg }
func (e *notFoundError) Unwrap() error { return ErrNotFound }

// queryablesDoc is a JSON Schema of the properties the items resource filters on.
func (a *api) queryables(w http.ResponseWriter, r *http.Request) error {
	l, f, b, err := a.beginLayer(r, nil)
	if err != nil {
		return err
	}
	props := map[string]any{}
	for _, q := range queryablesOf(l) {
		s := map[string]any{"title": q.Name, "type": q.Type}
		if q.Type == "array" {
			s["items"] = map[string]any{"type": "string"}
		}
		props[q.Name] = s
	}
	doc := map[string]any{
		"$schema":              "https://json-schema.org/draft/2019-09/schema",
		"$id":                  b + "/collections/" + url.PathEscape(l.Name()) + "/queryables",
		"type":                 "object",
		"title":                l.Title(),
		"properties":           props,
		"additionalProperties": false,
	}
	return respond(w, r, f, typeSchema, doc, "queryables", htmlPage{
		Title: l.Title() + " queryables", Base: b, Crumbs: crumbs(b, "collections", l.Name(), "queryables"),
		Data: queryablesOf(l),
	})
}

// encodeCompact is used by the HTML pages to show JSON values.
func encodeCompact(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSpace(buf.String())
}
