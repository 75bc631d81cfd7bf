package gazetteer_test

import (
	"fmt"
	"io/fs"

	"newsmap/data"
	"newsmap/geo/gazetteer"
)

func Example() {
	sub, err := fs.Sub(data.Gazetteer, "gazetteer")
	if err != nil {
		panic(err)
	}
	g, err := gazetteer.Load(sub)
	if err != nil {
		panic(err)
	}
	e := g.Lookup(gazetteer.Normalize("Eriwan"))[0]
	fmt.Println(e.ID, e.Name, e.CountryCode, e.Kind)
	fmt.Println(g.Country("AM").NameIn("de"))
	iso, _ := g.Demonym(gazetteer.Normalize("aserbaidschanisch"))
	fmt.Println(iso)
	for _, m := range g.Fuzzy("stepansakert") {
		fmt.Println(m.Name, "→", m.Entry.ID, m.Entry.Name)
	}
	// Output:
	// gn:616052 Yerevan AM city
	// Armenien
	// AZ
	// stepanakert → gn:146970 Xankandi
}
