package lang

// French is French (fr, fr-BE, fr-CH, fr-CA …).
var French = &Language{
	Code:  "fr",
	Code3: "fra",
	Name:  "French",
	Words: Words{
		Function:    frenchFunction,
		Determiners: "le la les l un une des du ce cet cette ces",
		Titles: `
président présidente premier ministre ministres chef cheffe porte-parole ambassadeur ambassadrice
général générale gouverneur maire secrétaire sénateur sénatrice député députée roi reine prince
princesse pape monsieur madame m mme mmes mlle dr pr colonel commandant capitaine émir cheikh`,
		Locatives: `
à au aux en dans vers depuis près entre par sur chez jusqu via`,
		OrgHeads: `
times post news herald journal tribune airlines fc`,
		Divisions: `
région province oblast département district gouvernorat comté canton territoire état préfecture
raïon rayon régions provinces départements districts gouvernorats comtés cantons territoires
états préfectures`,
		DivisionLinks: "de d du des",
		Contractions:  map[string]string{"du": "le", "au": "le", "des": "les", "aux": "les"},
		Directions:    "nord sud est ouest nord-est nord-ouest sud-est sud-ouest",
		Towards:       "vers",
		SettlementNouns: `
ville village commune capitale bourg cité localité municipalité`,
		Coordinators: "et ou à",
		NameHeads: `mer mers océan golfe baie détroit canal lac fleuve rivière île îles archipel
		péninsule presqu'île cap mont monts massif chaîne plateau désert vallée col bande corridor
		trouée pays région oblast province`,
	},
	Inflection: Inflection{
		// arméniennes → arménien, azerbaïdjanaises → azerbaïdjanais, russes → russe
		Demonym: []string{"nes", "ne", "es", "s", "e"},
		// électeurs → électeur, journaux → journal, bateaux → bateau
		Plural: [][2]string{{"aux", "al"}, {"s", ""}, {"x", ""}},
	},
	Caps:  Capitalisation{CommonWords: true},
	Since: "depuis",
	Timex: Timex{
		Months: [12]string{"janvier", "février fevrier", "mars", "avril", "mai", "juin", "juillet",
			"août aout", "septembre", "octobre", "novembre", "décembre decembre"},
		MonthsNeedContext: []int{3, 5},
		MonthAbbrevs:      [12]string{"janv", "févr fév", "", "avr", "", "", "juil", "", "sept", "oct", "nov", "déc"},
		Weekdays:          [7]string{"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"},
		Weekend:           "week-end weekend",
		PartsOfDay:        [6]string{"matin matinée", "", "midi", "après-midi", "soir soirée", "nuit"},
		RelativeDays: map[string]int{"aujourd'hui": 0, "hier": -1, "avant-hier": -2, "demain": 1,
			"après-demain": 2},
		Numbers: [12]string{"un une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
			"dix", "onze", "douze"},
		Units: [4][2]string{{"jour journée", "jours journées"}, {"semaine", "semaines"}, {"mois", "mois"},
			{"an année", "ans années"}},
		Last:            "dernier dernière passé passée",
		This:            "ce cet cette",
		Next:            "prochain prochaine",
		On:              "le",
		At:              "à vers",
		In:              "en dans",
		Since:           "depuis",
		Records:         `premier première premiers premières pire pires record`,
		Until:           "jusqu'au jusqu'à d'ici",
		From:            "dès",
		During:          "pendant durant",
		YearIn:          "en",
		InFuture:        "dans",
		Articles:        "le la les",
		Of:              "du de",
		Beginning:       "début",
		Middle:          "mi",
		End:             "fin",
		ClockWords:      "h heure heures",
		AgoBefore:       "il y a",
		After:           "après",
		Before:          "avant",
		Hedges:          "près de presque environ quelque plus",
		Future:          "sera seront va vont doit doivent devra devront devrait devraient prévoit prévu prévue aura auront",
		Past:            "a ont avait avaient était étaient fut furent",
		Noon:            "midi",
		Midnight:        "minuit",
		OrdinalSuffixes: "er",
		Stop:            frenchFunction,
		NightFrom:       "de du",
		NightTo:         "à au",
		DayRange:        "au",
		ElidedArticles:  "l",
		Anaphoric:       map[string]int{"lendemain": 1, "veille": -1, "surlendemain": 2, "avant-veille": -2},
		Holidays: map[string]string{"noël": "12-25", "réveillon de noël": "12-24", "saint-sylvestre": "12-31",
			"nouvel an": "01-01", "jour de l'an": "01-01", "vendredi saint": "easter-2", "pâques": "easter+0",
			"lundi de pâques": "easter+1", "ascension": "easter+39", "pentecôte": "easter+49",
			"toussaint": "11-01"},
		PeriodHyphen:  true,
		ThisPartOfDay: true,
		AttributiveOf: true,
		ModifierAfter: true,
	},
}

// frenchFunction are French function words: articles and their contractions, pronouns,
// prepositions, conjunctions, auxiliaries and frequent adverbs, and the elided forms
// written before an apostrophe (l', d', qu', s', n', j', m', t', c').
const frenchFunction = `
le la les l un une des du de d au aux ce cet cette ces mon ma mes ton ta tes son sa ses notre nos
votre vos leur leurs quel quelle quels quelles chaque plusieurs certains certaines tout toute tous toutes
je tu il elle on nous vous ils elles me te se lui y en moi toi soi eux celui celle ceux celles
qui que qu quoi dont où lequel laquelle lesquels lesquelles
et ou mais donc or ni car comme si quand lorsque lorsqu puisque puisqu parce alors ainsi aussi
à a dans par pour sur sous avec sans chez entre vers contre depuis pendant avant après selon malgré
dès jusqu jusque parmi hors près loin auprès face partir
nord sud ouest
ne n pas plus moins très bien déjà encore toujours jamais aujourd hier demain ici là non oui
est sont était étaient sera seront été être ont avait avaient aura auront fut
peut peuvent pouvait doit doivent devait fait font faisait c s j m t
cependant pourtant toutefois néanmoins enfin puis ensuite également notamment surtout environ`
