package ogc

import (
	"net/http"
	"net/url"

	"newsmap/geo/store"
)

// apiParam is one parameter of an operation, for both the OpenAPI document and its HTML
// rendering.
type apiParam struct {
	Name, In, Type, Description string
	Required                    bool
	Schema                      map[string]any
	Ref                         string // a component name; Schema and the rest are then unused
}

// apiOp is one GET operation.
type apiOp struct {
	Path, ID, Summary, Tag string
	Params                 []apiParam
	Responses              map[string]any
}

type obj = map[string]any

func ref(kind, name string) obj { return obj{"$ref": "#/components/" + kind + "/" + name} }

// component parameters, shared by the operations.
var (
	pF = apiParam{Name: "f", In: "query", Type: "string",
		Description: "The representation: json (the default) or html. Without f the Accept header decides.",
		Schema:      obj{"type": "string", "enum": []string{"json", "html"}, "default": "json"}}
	pBBox = apiParam{Name: "bbox", In: "query", Type: "array of numbers",
		Description: "Only features whose geometry intersects the box minLon,minLat,maxLon,maxLat (WGS 84, " +
			"CRS84), or minLon,minLat,minHeight,maxLon,maxLat,maxHeight (heights are ignored). A first " +
			"longitude larger than the second crosses the antimeridian.",
		Schema: obj{"type": "array", "minItems": 4, "maxItems": 6, "items": obj{"type": "number"}}}
	pDatetime = apiParam{Name: "datetime", In: "query", Type: "string",
		Description: "Only features whose time interval (date to date_end) intersects this RFC 3339 " +
			"date-time, or interval start/end with open ends '..' or empty. Dates and coarser ISO 8601 " +
			"values (2023-09-25, 2023-W38, 2023-09, 2023) stand for their whole period. Features " +
			"without a date never match.",
		Schema: obj{"type": "string"}}
	pLimit = apiParam{Name: "limit", In: "query", Type: "integer",
		Description: "The page size. Values above the maximum 10000 are treated as 10000; values below 1 are an error.",
		Schema:      obj{"type": "integer", "minimum": 1, "maximum": MaxLimit, "default": DefaultLimit}}
	pOffset = apiParam{Name: "offset", In: "query", Type: "integer",
		Description: "The number of matching features to skip (the next and prev links set it).",
		Schema:      obj{"type": "integer", "minimum": 0, "default": 0}}
	pFeatureID = apiParam{Name: "featureId", In: "path", Type: "string", Required: true,
		Description: "The id of a feature.", Schema: obj{"type": "string"}}
)

func (p apiParam) json() obj {
	if p.Ref != "" {
		return ref("parameters", p.Ref)
	}
	o := obj{"name": p.Name, "in": p.In, "required": p.Required, "schema": p.Schema}
	if p.Description != "" {
		o["description"] = p.Description
	}
	if p.In == "query" {
		o["style"] = "form"
		o["explode"] = false
	}
	return o
}

// operations lists the API's operations for the layers of cat.
func (a *api) operations(cat *store.Catalog) []apiOp {
	std := obj{"400": ref("responses", "InvalidParameter"), "500": ref("responses", "ServerError")}
	with := func(code string, v obj) obj {
		out := obj{code: v}
		for k, x := range std {
			out[k] = x
		}
		return out
	}
	ops := []apiOp{
		{Path: "/", ID: "getLandingPage", Tag: "Capabilities", Summary: "The landing page: links to the API definition, the conformance declaration and the collections.",
			Params: []apiParam{{Ref: "f", Name: "f", In: "query", Type: "string", Description: pF.Description}}, Responses: with("200", ref("responses", "LandingPage"))},
		{Path: "/conformance", ID: "getConformanceDeclaration", Tag: "Capabilities", Summary: "The conformance classes the API implements.",
			Params: []apiParam{{Ref: "f", Name: "f", In: "query", Type: "string", Description: pF.Description}}, Responses: with("200", ref("responses", "ConformanceDeclaration"))},
		{Path: "/api", ID: "getAPIDefinition", Tag: "Capabilities", Summary: "This API definition (OpenAPI 3.0; HTML with f=html).",
			Params: []apiParam{{Ref: "f", Name: "f", In: "query", Type: "string", Description: pF.Description}}, Responses: with("200", obj{
				"description": "The API definition.",
				"content":     obj{typeOpenAPI: obj{"schema": obj{"type": "object"}}, typeHTML: obj{"schema": obj{"type": "string"}}},
			})},
		{Path: "/collections", ID: "getCollections", Tag: "Capabilities", Summary: "The feature collections: one per newsmap layer.",
			Params: []apiParam{{Ref: "f", Name: "f", In: "query", Type: "string", Description: pF.Description}}, Responses: with("200", ref("responses", "Collections"))},
	}
	fRef := apiParam{Ref: "f", Name: "f", In: "query", Type: "string", Description: pF.Description}
	for _, l := range cat.Layers {
		id := l.Name()
		p := "/collections/" + url.PathEscape(id)
		notFound := func(v obj) obj {
			o := with("200", v)
			o["404"] = ref("responses", "NotFound")
			return o
		}
		params := []apiParam{
			{Ref: "bbox", Name: "bbox", In: "query", Type: pBBox.Type, Description: pBBox.Description},
			{Ref: "datetime", Name: "datetime", In: "query", Type: pDatetime.Type, Description: pDatetime.Description},
			{Ref: "limit", Name: "limit", In: "query", Type: pLimit.Type, Description: pLimit.Description},
			{Ref: "offset", Name: "offset", In: "query", Type: pOffset.Type, Description: pOffset.Description},
			fRef,
		}
		for _, q := range queryablesOf(l) {
			s := obj{"type": q.Type}
			desc := "Only features whose property " + q.Name + " equals this value."
			if q.Type == "array" {
				s = obj{"type": "string"}
				desc = "Only features whose property " + q.Name + " (an array) has an element equal to this value."
			}
			params = append(params, apiParam{Name: q.Name, In: "query", Type: q.Type, Description: desc, Schema: s})
		}
		ops = append(ops,
			apiOp{Path: p, ID: "describeCollection_" + id, Tag: id, Summary: "Metadata of the collection " + id + ": extent, links.",
				Params: []apiParam{fRef}, Responses: notFound(ref("responses", "Collection"))},
			apiOp{Path: p + "/items", ID: "getFeatures_" + id, Tag: id,
				Summary: "The features of " + id + ", in id order, filtered by bbox, datetime and properties, one page at a time.",
				Params:  params, Responses: notFound(ref("responses", "Features"))},
			apiOp{Path: p + "/items/{featureId}", ID: "getFeature_" + id, Tag: id, Summary: "One feature of " + id + ".",
				Params:    []apiParam{{Ref: "featureId", Name: "featureId", In: "path", Type: "string", Description: pFeatureID.Description}, fRef},
				Responses: notFound(ref("responses", "Feature"))},
			apiOp{Path: p + "/queryables", ID: "getQueryables_" + id, Tag: id, Summary: "The properties of " + id + " that the items resource filters on (JSON Schema).",
				Params: []apiParam{fRef}, Responses: notFound(ref("responses", "Queryables"))},
		)
	}
	return ops
}

// document builds the OpenAPI 3.0 document.
func (a *api) document(cat *store.Catalog, base string) obj {
	paths := obj{}
	var tags []obj
	seen := map[string]bool{}
	for _, op := range a.operations(cat) {
		var params []obj
		for _, p := range op.Params {
			params = append(params, p.json())
		}
		paths[op.Path] = obj{"get": obj{
			"operationId": op.ID, "summary": op.Summary, "tags": []string{op.Tag},
			"parameters": params, "responses": op.Responses,
		}}
		if !seen[op.Tag] {
			seen[op.Tag] = true
			tags = append(tags, obj{"name": op.Tag})
		}
	}
	linkArr := obj{"type": "array", "items": ref("schemas", "link")}
	jsonAndHTML := func(desc string, schema obj) obj {
		return obj{"description": desc, "content": obj{
			typeJSON: obj{"schema": schema}, typeHTML: obj{"schema": obj{"type": "string"}},
		}}
	}
	geoAndHTML := func(desc string, schema obj) obj {
		return obj{"description": desc,
			"headers": obj{"Content-Crs": obj{"description": "The CRS of the coordinates: <" + crs84 + ">.", "schema": obj{"type": "string"}}},
			"content": obj{typeGeoJSON: obj{"schema": schema}, typeHTML: obj{"schema": obj{"type": "string"}}},
		}
	}
	exception := obj{"description": "The error.", "content": obj{typeJSON: obj{"schema": ref("schemas", "exception")}}}
	return obj{
		"openapi": "3.0.3",
		"info": obj{
			"title": a.opts.Title, "description": a.opts.Description, "version": "1.0.0",
			"license": obj{"name": "See the newsmap repository"},
		},
		"servers": []obj{{"url": base, "description": "This server"}},
		"tags":    tags,
		"paths":   paths,
		"components": obj{
			"parameters": obj{
				"f": pF.json(), "bbox": pBBox.json(), "datetime": pDatetime.json(),
				"limit": pLimit.json(), "offset": pOffset.json(), "featureId": pFeatureID.json(),
			},
			"responses": obj{
				"LandingPage":            jsonAndHTML("The landing page.", ref("schemas", "landingPage")),
				"ConformanceDeclaration": jsonAndHTML("The conformance classes.", ref("schemas", "confClasses")),
				"Collections":            jsonAndHTML("The feature collections.", ref("schemas", "collections")),
				"Collection":             jsonAndHTML("One feature collection.", ref("schemas", "collection")),
				"Features":               geoAndHTML("A page of features.", ref("schemas", "featureCollectionGeoJSON")),
				"Feature":                geoAndHTML("One feature.", ref("schemas", "featureGeoJSON")),
				"Queryables": obj{"description": "The queryable properties.", "content": obj{
					typeSchema: obj{"schema": obj{"type": "object"}}, typeHTML: obj{"schema": obj{"type": "string"}},
				}},
				"InvalidParameter": withDesc(exception, "A parameter is unknown, repeated or has an invalid value."),
				"NotFound":         withDesc(exception, "The collection or feature does not exist."),
				"ServerError":      withDesc(exception, "A server error."),
			},
			"schemas": obj{
				"exception": obj{"type": "object", "required": []string{"code", "error"}, "properties": obj{
					"code": obj{"type": "integer", "description": "The HTTP status."}, "error": obj{"type": "string"},
				}},
				"link": obj{"type": "object", "required": []string{"href", "rel"}, "properties": obj{
					"href": obj{"type": "string"}, "rel": obj{"type": "string"}, "type": obj{"type": "string"},
					"title": obj{"type": "string"}, "templated": obj{"type": "boolean"},
				}},
				"landingPage": obj{"type": "object", "required": []string{"links"}, "properties": obj{
					"title": obj{"type": "string"}, "description": obj{"type": "string"}, "links": linkArr,
				}},
				"confClasses": obj{"type": "object", "required": []string{"conformsTo"}, "properties": obj{
					"conformsTo": obj{"type": "array", "items": obj{"type": "string"}},
				}},
				"collections": obj{"type": "object", "required": []string{"links", "collections"}, "properties": obj{
					"links": linkArr, "collections": obj{"type": "array", "items": ref("schemas", "collection")},
				}},
				"collection": obj{"type": "object", "required": []string{"id", "links"}, "properties": obj{
					"id": obj{"type": "string"}, "title": obj{"type": "string"}, "description": obj{"type": "string"},
					"links": linkArr, "extent": ref("schemas", "extent"),
					"itemType":         obj{"type": "string", "default": "feature"},
					"crs":              obj{"type": "array", "items": obj{"type": "string"}, "default": []string{crs84}},
					"numberOfFeatures": obj{"type": "integer", "description": "The number of features (not a member of the standard)."},
				}},
				"extent": obj{"type": "object", "properties": obj{
					"spatial": obj{"type": "object", "properties": obj{
						"bbox": obj{"type": "array", "minItems": 1, "items": obj{"type": "array", "minItems": 4, "maxItems": 6, "items": obj{"type": "number"}}},
						"crs":  obj{"type": "string", "enum": []string{crs84}, "default": crs84},
					}},
					"temporal": obj{"type": "object", "properties": obj{
						"interval": obj{"type": "array", "minItems": 1, "items": obj{"type": "array", "minItems": 2, "maxItems": 2,
							"items": obj{"type": "string", "format": "date-time", "nullable": true}}},
						"trs": obj{"type": "string", "enum": []string{gregorian}, "default": gregorian},
					}},
				}},
				"geometryGeoJSON": obj{"type": "object", "required": []string{"type"}, "properties": obj{
					"type":        obj{"type": "string", "enum": []string{"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"}},
					"coordinates": obj{"type": "array"}, "geometries": obj{"type": "array", "items": ref("schemas", "geometryGeoJSON")},
				}},
				"featureGeoJSON": obj{"type": "object", "required": []string{"type", "geometry", "properties"}, "properties": obj{
					"type":       obj{"type": "string", "enum": []string{"Feature"}},
					"id":         obj{"type": "string"},
					"geometry":   obj{"allOf": []obj{ref("schemas", "geometryGeoJSON")}, "nullable": true},
					"properties": obj{"type": "object", "nullable": true},
					"links":      linkArr,
				}},
				"featureCollectionGeoJSON": obj{"type": "object", "required": []string{"type", "features"}, "properties": obj{
					"type":           obj{"type": "string", "enum": []string{"FeatureCollection"}},
					"features":       obj{"type": "array", "items": ref("schemas", "featureGeoJSON")},
					"links":          linkArr,
					"timeStamp":      obj{"type": "string", "format": "date-time"},
					"numberMatched":  obj{"type": "integer", "minimum": 0},
					"numberReturned": obj{"type": "integer", "minimum": 0},
				}},
			},
		},
	}
}

func withDesc(o obj, desc string) obj {
	out := obj{}
	for k, v := range o {
		out[k] = v
	}
	out["description"] = desc
	return out
}

func (a *api) openAPI(w http.ResponseWriter, r *http.Request) error {
	f, b, err := a.begin(r)
	if err != nil {
		return err
	}
	cat, err := a.store.Catalog(r.Context())
	if err != nil {
		return err
	}
	if f == formatHTML {
		ops := a.operations(cat)
		for i := range ops {
			for j, p := range ops[i].Params {
				if p.Schema != nil && p.Type == "" {
					ops[i].Params[j].Type, _ = p.Schema["type"].(string)
				}
			}
		}
		return renderHTML(w, "api", htmlPage{Title: "API documentation", Base: b, Crumbs: crumbs(b, "api"), Data: ops})
	}
	return respond(w, r, f, typeOpenAPI, a.document(cat, b), "", htmlPage{})
}
