package ogc

import (
	"net/http"
	"net/url"
	"time"

	"github.com/gorilla/mux"

	"newsmap/geo/schema"
	"newsmap/geo/store"
	"newsmap/web"
)

// begin does what every resource does first: it negotiates the format, checks the
// parameters (f and allowed) and returns the format and the API root, ".../ogc".
func (a *api) begin(r *http.Request, allowed ...string) (format, string, error) {
	f, err := negotiate(r)
	if err != nil {
		return 0, "", err
	}
	v, err := parseParams(r)
	if err != nil {
		return 0, "", err
	}
	if err := checkParams(v, allowed...); err != nil {
		return 0, "", err
	}
	return f, web.BaseURL(r, a.opts.BaseURL) + "/ogc", nil
}

// respond answers with doc as JSON of type jsonType, or for formatHTML with the template
// named tmpl over page. Both vary by Accept.
func respond(w http.ResponseWriter, r *http.Request, f format, jsonType string, doc any, tmpl string, page htmlPage) error {
	if f == formatHTML {
		return renderHTML(w, tmpl, page)
	}
	w.Header().Add("Vary", "Accept")
	return web.WriteJSON(w, r, jsonType, doc)
}

// formatLinks are the two links to the resource at href: as JSON (of type jsonType) and
// as HTML, the one in format f being "self" and the other "alternate".
func formatLinks(href string, f format, jsonType, title string) []Link {
	return []Link{
		{Href: href + "?f=json", Rel: relSelfOr(f, formatJSON), Type: jsonType, Title: title},
		{Href: href + "?f=html", Rel: relSelfOr(f, formatHTML), Type: typeHTML, Title: title + " as HTML"},
	}
}

// landingPage is the document at /ogc.
type landingPage struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Links       []Link `json:"links"`
}

func (a *api) landing(w http.ResponseWriter, r *http.Request) error {
	f, b, err := a.begin(r)
	if err != nil {
		return err
	}
	doc := landingPage{
		Title:       a.opts.Title,
		Description: a.opts.Description,
		Links: append(formatLinks(b, f, typeJSON, "This document"), []Link{
			{Href: b + "/api", Rel: "service-desc", Type: typeOpenAPI, Title: "The API definition (OpenAPI 3.0)"},
			{Href: b + "/api?f=html", Rel: "service-doc", Type: typeHTML, Title: "The API documentation"},
			{Href: b + "/conformance?f=json", Rel: relConf, Type: typeJSON, Title: "Conformance classes"},
			{Href: b + "/conformance?f=json", Rel: "conformance", Type: typeJSON, Title: "Conformance classes"},
			{Href: b + "/collections?f=json", Rel: relData, Type: typeJSON, Title: "Feature collections"},
			{Href: b + "/collections?f=json", Rel: "data", Type: typeJSON, Title: "Feature collections"},
		}...),
	}
	return respond(w, r, f, typeJSON, doc, "landing", htmlPage{Title: doc.Title, Base: b, Crumbs: crumbs(b), Data: doc})
}

// relSelfOr is "self" when the link's format is the response's, else "alternate".
func relSelfOr(got, link format) string {
	if got == link {
		return "self"
	}
	return "alternate"
}

type conformanceDoc struct {
	ConformsTo []string `json:"conformsTo"`
	Links      []Link   `json:"links"`
}

func (a *api) conformance(w http.ResponseWriter, r *http.Request) error {
	f, b, err := a.begin(r)
	if err != nil {
		return err
	}
	doc := conformanceDoc{ConformsTo: Conformance(), Links: formatLinks(b+"/conformance", f, typeJSON, "This document")}
	return respond(w, r, f, typeJSON, doc, "conformance", htmlPage{Title: "Conformance", Base: b, Crumbs: crumbs(b, "conformance"), Data: doc})
}

// collectionsDoc is the document at /ogc/collections.
type collectionsDoc struct {
	Links       []Link          `json:"links"`
	Collections []collectionDoc `json:"collections"`
}

// collectionDoc describes one layer.
type collectionDoc struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Links       []Link   `json:"links"`
	Extent      *extent  `json:"extent,omitempty"`
	ItemType    string   `json:"itemType"`
	CRS         []string `json:"crs"`
	// Count is the number of features; not a member of the standard's schema.
	Count int `json:"numberOfFeatures"`
}

type extent struct {
	Spatial  *spatialExtent  `json:"spatial,omitempty"`
	Temporal *temporalExtent `json:"temporal,omitempty"`
}

type spatialExtent struct {
	BBox [][]float64 `json:"bbox"`
	CRS  string      `json:"crs"`
}

type temporalExtent struct {
	Interval [][]*string `json:"interval"`
	TRS      string      `json:"trs"`
}

func (a *api) collectionOf(b string, l store.Layer, f format) collectionDoc {
	id := l.Name()
	p := b + "/collections/" + url.PathEscape(id)
	desc := schema.LayerDescription(id)
	if desc == "" {
		desc = "The newsmap layer " + id + "."
	}
	c := collectionDoc{
		ID: id, Title: l.Title(), Description: desc, ItemType: "feature", CRS: []string{crs84},
		Count: l.Count(),
		Links: append(formatLinks(p, f, typeJSON, "This collection"), []Link{
			{Href: p + "/items?f=json", Rel: "items", Type: typeGeoJSON, Title: "Features as GeoJSON"},
			{Href: p + "/items?f=html", Rel: "items", Type: typeHTML, Title: "Features as HTML"},
			{Href: p + "/queryables?f=json", Rel: relQueryabl, Type: typeSchema, Title: "Properties to filter by"},
		}...),
	}
	var ext extent
	if bd, ok := l.Bound(); ok {
		ext.Spatial = &spatialExtent{BBox: [][]float64{{bd.Min[0], bd.Min[1], bd.Max[0], bd.Max[1]}}, CRS: crs84}
	}
	if iv, ok := l.TimeExtent(); ok {
		start := iv.Start.UTC().Format(time.RFC3339)
		// The layer's extent is half-open; the standard's interval is closed.
		endT := iv.End.Add(-time.Nanosecond)
		if endT.Before(iv.Start) {
			endT = iv.Start
		}
		end := endT.UTC().Format(time.RFC3339)
		ext.Temporal = &temporalExtent{Interval: [][]*string{{&start, &end}}, TRS: gregorian}
	}
	if ext.Spatial != nil || ext.Temporal != nil {
		c.Extent = &ext
	}
	return c
}

func (a *api) collections(w http.ResponseWriter, r *http.Request) error {
	f, b, err := a.begin(r)
	if err != nil {
		return err
	}
	doc := collectionsDoc{Links: formatLinks(b+"/collections", f, typeJSON, "This document"), Collections: []collectionDoc{}}
	cat, err := a.store.Catalog(r.Context())
	if err != nil {
		return err
	}
	for _, l := range cat.Layers {
		doc.Collections = append(doc.Collections, a.collectionOf(b, l, formatJSON))
	}
	return respond(w, r, f, typeJSON, doc, "collections", htmlPage{Title: "Collections", Base: b, Crumbs: crumbs(b, "collections"), Data: doc})
}

// beginLayer is begin for the resources of a collection: it first finds the layer named
// by the collectionId path variable; allowed, if not nil, lists the layer's parameters.
func (a *api) beginLayer(r *http.Request, allowed func(store.Layer) []string) (store.Layer, format, string, error) {
	l, err := a.store.Layer(r.Context(), mux.Vars(r)["collectionId"])
	if err != nil {
		return nil, 0, "", err
	}
	var params []string
	if allowed != nil {
		params = allowed(l)
	}
	f, b, err := a.begin(r, params...)
	return l, f, b, err
}

func (a *api) collection(w http.ResponseWriter, r *http.Request) error {
	l, f, b, err := a.beginLayer(r, nil)
	if err != nil {
		return err
	}
	doc := a.collectionOf(b, l, f)
	return respond(w, r, f, typeJSON, doc, "collection", htmlPage{Title: doc.Title, Base: b, Crumbs: crumbs(b, "collections", l.Name()), Data: doc})
}
