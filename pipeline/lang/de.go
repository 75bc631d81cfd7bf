package lang

import "strings"

// German is Standard German (de, de-AT, de-CH).
var German = &Language{
	Code:  "de",
	Code3: "deu",
	Name:  "German",
	Words: Words{
		Function: `
der die das den dem des ein eine einer eines einem einen kein keine keiner keines keinem keinen
ich du er sie es wir ihr mich dich sich uns euch ihm ihn ihnen mir dir man jemand niemand
mein meine meiner meines meinem meinen dein deine sein seine seiner seines seinem seinen
ihre ihrer ihres ihrem ihren unser unsere unserer unseres unserem unseren euer eure
dieser diese dieses diesem diesen jener jene jenes jenem jenen welcher welche welches welchem welchen
jeder jede jedes jedem jeden alle aller allen alles allem beide beiden beider manche mancher einige
viele vielen wenige mehr weniger andere anderen anderer anderes anderem solche solcher solchen
und oder aber doch denn sondern sowie als wie wenn weil dass daß ob obwohl während bevor nachdem
damit sodass seit seitdem bis falls sobald solange indem zumal trotzdem dennoch jedoch also
an am auf aus bei beim durch für gegen hinter in im ins mit nach neben ohne über um unter vor
vom von zu zum zur zwischen wegen trotz laut gemäß entlang innerhalb außerhalb ab samt statt
nicht nur auch noch schon sehr so nun jetzt hier dort da dann heute gestern morgen immer nie
wieder bereits etwa rund fast kaum gar ganz eben erst gerade ja nein vielleicht wohl sogar
ist sind war waren wird werden wurde wurden sei seien wäre wären hat haben hatte hatten habe
kann können konnte konnten muss müssen musste soll sollen sollte sollten will wollen wollte
darf dürfen mag mögen möchte es gibt gab
was wer wo wohin woher wann warum wieso weshalb wem wen wessen
dabei dafür dagegen daher damals danach daneben darauf darum davon davor dazu deshalb deswegen
zudem zugleich außerdem insgesamt schließlich eigentlich derweil gleichzeitig inzwischen
zunächst zuerst später bisher besonders insbesondere vor allem`,
		Determiners: `
der die das den dem des ein eine einer eines einem einen kein keine keiner keines keinem keinen
mein meine meiner meines meinem meinen dein deine deiner deines deinem deinen
sein seine seiner seines seinem seinen ihr ihre ihrer ihres ihrem ihren
unser unsere unserer unseres unserem unseren euer eure eurer eures eurem euren
dieser diese dieses diesem diesen jener jene jenes jenem jenen jeder jede jedes jedem jeden
welcher welche welches welchem welchen solcher solche solches solchem solchen
am im ins vom zum zur beim
alle aller allen alles allem beide beider beiden viele vieler vielen einige einiger einigen
mehrere mehrerer mehreren manche mancher manchen wenige weniger wenigen sämtliche sämtlicher`,
		Possessives: endings("mein dein sein ihr unser euer eur", "", "e", "er", "es", "em", "en"),
		Titles: `
präsident präsidentin präsidenten staatspräsident staatschef staatschefin regierungschef
regierungschefin premierminister premierministerin premier ministerpräsident
ministerpräsidentin kanzler kanzlerin bundeskanzler bundeskanzlerin minister ministerin
außenminister außenministerin verteidigungsminister sprecher sprecherin botschafter
botschafterin sonderbotschafter general generalin herr frau dr prof papst könig königin
prinz prinzessin bürgermeister bürgermeisterin abgeordneter abgeordnete senator senatorin
chef chefin oppositionsführer oppositionsführerin autor autorin kollege kollegin`,
		Locatives: `
in im nach aus bei nahe von vom zwischen über durch gen richtung nördlich südlich östlich
westlich nordöstlich nordwestlich südöstlich südwestlich bis ab entlang um rund`,
		OrgHeads:      orgHeads,
		Divisions:     divisions,
		DivisionLinks: "von des der",
		Directions:    "norden süden osten westen nordosten nordwesten südosten südwesten",
		Towards:       "nach richtung gen",
		SettlementNouns: `
stadt hauptstadt landeshauptstadt kreisstadt großstadt kleinstadt millionenstadt hafenstadt
grenzstadt küstenstadt metropole dorf gemeinde ortschaft ort ortsteil stadtteil kurort`,
		Coordinators: "und oder sowie bis",
	},
	Inflection: Inflection{
		Genitive:     []string{"s", "es"},
		PluralDative: "n",
		GenitiveArticles: `des eines keines meines deines seines ihres unseres eures dieses jenes jedes
welches solches`,
		Adjective:       germanAdjectiveEndings,
		Demonym:         []string{"innen", "in", "en", "em", "er", "es", "e", "n", "s"},
		CompassPrefixes: []string{"nordost", "nordwest", "suedost", "suedwest", "sudost", "sudwest", "nord", "sud", "sued", "ost", "west", "zentral", "mittel"},
		RegionHeads:     []string{"region", "gebiet"},
	},
	Caps:  Capitalisation{Nouns: true, Months: true, Weekdays: true, CommonWords: true},
	Since: "seit",
	Timex: Timex{
		Months: [12]string{"januar jänner", "februar feber", "märz", "april", "mai", "juni", "juli",
			"august", "september", "oktober", "november", "dezember"},
		MonthsNeedContext: []int{5, 8},
		MonthAbbrevs:      [12]string{"jan", "feb febr", "mär mrz", "apr", "", "jun", "jul", "aug", "sep sept", "okt", "nov", "dez"},
		Weekdays:          [7]string{"montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag sonnabend", "sonntag"},
		Weekend:           "wochenende",
		WeekdayCompounds:  true,
		PartsOfDay:        [6]string{"morgen früh", "vormittag", "mittag", "nachmittag", "abend", "nacht"},
		PartOfDayAdverbs:  [6]string{"morgens früh", "vormittags", "mittags", "nachmittags", "abends", "nachts"},
		RelativeDays:      map[string]int{"heute": 0, "gestern": -1, "vorgestern": -2, "morgen": 1, "übermorgen": 2},
		RelativeDayNouns:  "morgen",
		Numbers: [12]string{"ein eins eine einem einer einen", "zwei zwo", "drei", "vier", "fünf", "sechs",
			"sieben", "acht", "neun", "zehn", "elf", "zwölf"},
		Units: [4][2]string{{"tag tages", "tage tagen"}, {"woche", "wochen"}, {"monat monats", "monate monaten"},
			{"jahr jahres jahrs", "jahre jahren"}},
		Last:          endings("vergangen letzt vorig", "e", "en", "er", "es", "em"),
		This:          endings("dies laufend", "e", "en", "er", "es", "em"),
		Next:          endings("nächst kommend", "e", "en", "er", "es", "em"),
		PreviousUnits: [4]string{"", "vorwoche", "vormonat vormonats", "vorjahr vorjahres"},
		On:            "am an",
		At:            "um gegen",
		In:            "im in",
		Since:         "seit",
		Records: `höchste höchsten höchster höchstes niedrigste niedrigsten tiefste tiefsten größte größten
stärkste stärksten schwerste schwersten schlimmste schlimmsten tödlichste tödlichsten meisten
wenigsten erstmals ersten erste rekord`,
		Until:               "bis zum",
		From:                "ab von vom",
		YearIn:              "in",
		InFuture:            "in",
		Frame:               "von vom",
		FrameEnd:            "an",
		Articles:            "dem der den",
		AttributiveArticles: "des der dem den die das eines einer einem",
		Genitives:           "des der",
		AttributiveFrom:     "vom",
		RangeWords:          "bis zum an",
		Beginning:           "anfang beginn",
		Middle:              "mitte",
		End:                 "ende",
		ClockWords:          "uhr",
		TimeZones:           "ortszeit mez mesz utc gmt",
		AgoBefore:           "vor",
		After:               "nach",
		Before:              "vor",
		Hedges:              "fast knapp rund etwa gut genau über mehr als",
		Future:              "wird werden werde wirst soll sollen will wollen plant planen geplant",
		Past:                "war waren wurde wurden hatte hatten hat haben sagte sagten erklärte",
		Midnight:            "mitternacht",
		NightFrom:           "von",
		NightTo:             "zu zum auf",
		DayRange:            "bis",
		Anaphoric: map[string]int{"vortag": -1, "vortages": -1, "folgetag": 1, "nächsten tag": 1,
			"tag darauf": 1, "tags darauf": 1, "darauffolgenden tag": 1},
		Holidays: map[string]string{"heiligabend": "12-24", "heiligen abend": "12-24", "weihnachten": "12-25",
			"ersten weihnachtstag": "12-25", "zweiten weihnachtstag": "12-26", "silvester": "12-31",
			"neujahr": "01-01", "neujahrstag": "01-01", "tag der deutschen einheit": "10-03",
			"karfreitag": "easter-2", "ostern": "easter+0", "ostersonntag": "easter+0", "ostermontag": "easter+1",
			"christi himmelfahrt": "easter+39", "pfingsten": "easter+49", "pfingstsonntag": "easter+49",
			"pfingstmontag": "easter+50"},
		HolidayPreps: "zu über",
	},
}

// germanAdjectiveEndings are the strong/weak adjective endings, longest first.
var germanAdjectiveEndings = []string{"en", "em", "er", "es", "e"}

// endings returns every stem of stems with every ending appended.
func endings(stems string, ends ...string) string {
	var b strings.Builder
	for _, s := range strings.Fields(stems) {
		for _, e := range ends {
			b.WriteString(s + e + " ")
		}
	}
	return b.String()
}

// orgHeads and divisions are shared by German and English: news in either language
// quotes the other's newspaper and division names ("laut Washington Post", "Provinz",
// "département").
const (
	orgHeads = `
post times zeitung rundschau allgemeine tagblatt kurier express news herald journal tribune
fc sc sv united airlines airport flughafen universität university college institut
institute statut statute vertrag treaty protokoll protocol abkommen agreement format prozess process
gruppe group bank börse exchange station bahnhof hauptbahnhof`
	divisions = `
region provinz oblast bezirk kreis landkreis bundesstaat bundesland kanton gouvernement
departement département verwaltungsbezirk gebiet
regionen provinzen oblaste bezirke kreise landkreise bundesstaaten bundesländer kantone
gouvernements departements départements verwaltungsbezirke gebiete
province state county district governorate prefecture department canton territory council
provinces states counties districts governorates prefectures departments cantons territories`
)
